"""Detect an export's text encoding and line endings, so ø, æ and å come through intact.

Order: a byte-order mark; UTF-16 without a BOM (every other byte NUL); strict UTF-8; a file
that mixes UTF-8 lines with Windows-1252 lines (records pasted from two exports) is read line by
line; then the single-byte Western encodings databases still emit (Windows-1252, Latin-1), with
charset-normalizer asked to confirm.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ParseError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# Bytes 0x80-0x9F that Windows-1252 leaves undefined; their presence rules it out.
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
_WESTERN = {"cp1252", "latin_1", "iso8859_15", "iso8859_1"}
# UTF-8 for Latin-1 supplement letters (æ ø å é ü ...): 0xC3 then a continuation byte.
_UTF8_LETTER = re.compile(rb"\xc3[\x80-\xbf]")
MIXED = "utf-8+cp1252"


@dataclass(frozen=True)
class Decoded:
    text: str          # with "\n" line endings and no BOM
    encoding: str      # the codec name used
    bom: bool
    newline: str       # "\r\n", "\r" or "\n" (the first one found)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) / 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def detect_encoding(data: bytes) -> tuple[str, bool]:
    """The codec for ``data`` and whether it starts with a BOM."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, True
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16, False
    try:
        data.decode("utf-8")
        return "utf-8", False
    except UnicodeDecodeError:
        pass
    if _UTF8_LETTER.search(data):
        # UTF-8 letters beside bytes that are not UTF-8: records pasted together from two exports.
        return MIXED, False
    high = {b for b in data if b >= 0x80}
    if not (high & _CP1252_UNDEFINED):
        # Windows-1252 is a superset of Latin-1's printable range; use it unless
        # charset-normalizer is sure of another Western code page.
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000], cp_isolation=["cp1252", "latin_1", "iso8859_15"]).best()
        if best is not None and best.encoding in _WESTERN:
            return best.encoding, False
        return "cp1252", False
    return "latin_1", False


def _decode_line(line: bytes) -> bytes:
    try:
        line.decode("utf-8")
        return line
    except UnicodeDecodeError:
        try:
            return line.decode("cp1252").encode("utf-8")
        except UnicodeDecodeError:
            return line.decode("latin_1").encode("utf-8")


def decode_bytes(data: bytes, path: str | Path = "<bytes>") -> Decoded:
    encoding, bom = detect_encoding(data)
    try:
        if encoding == MIXED:
            # Line by line: UTF-8 where a line is UTF-8, Windows-1252 (or Latin-1) where it is not.
            text = b"\n".join(_decode_line(line) for line in data.split(b"\n")).decode("utf-8")
        else:
            text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ParseError(path, f"not valid {encoding} text ({exc.reason}); save the export as UTF-8 "
                               "and try again", line=line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r\n" in text:
        newline = "\r\n"
    elif "\r" in text:
        newline = "\r"
    else:
        newline = "\n"
    if newline != "\n":
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text, encoding, bom, newline)


def read_text(path: str | Path) -> Decoded:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(path, f"cannot open the file ({exc.strerror})") from None
    return decode_bytes(data, path)
