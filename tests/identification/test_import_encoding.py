"""Encoding and line-ending detection: ø, æ and å come through whatever the export's bytes."""
import pytest

from review.identification.encoding import decode_bytes

TEXT = "TY  - JOUR\nT1  - Tildeling i Bærum, Tønsberg og Åsnes\nAU  - Sundsbø, Åse\nER  - \n"


@pytest.mark.parametrize("encoding, bom, expected", [
    ("utf-8", b"", "utf-8"),
    ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
    ("utf-16-le", b"\xff\xfe", "utf-16-le"),
    ("utf-16-be", b"\xfe\xff", "utf-16-be"),
    ("utf-16-le", b"", "utf-16-le"),        # no BOM: found from the NUL bytes
    ("cp1252", b"", "cp1252"),
])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_detects_encoding_and_newlines(encoding, bom, expected, newline):
    data = bom + TEXT.replace("\n", newline).encode(encoding)
    decoded = decode_bytes(data, "x.ris")
    assert decoded.encoding == expected
    assert decoded.text == TEXT
    assert decoded.bom == bool(bom)
    assert decoded.newline == newline


def test_windows_1252_punctuation_is_not_mistaken_for_latin1():
    data = "«Tildeling» – bestiller–utfører, “tillitsmodellen” – ø".encode("cp1252")
    decoded = decode_bytes(data)
    assert decoded.text == "«Tildeling» – bestiller–utfører, “tillitsmodellen” – ø"


def test_latin1_with_bytes_windows_1252_lacks():
    # 0x81 is undefined in Windows-1252, so only Latin-1 can read this.
    data = "Sundsbø Åse ".encode("latin-1") + b"\x81"
    decoded = decode_bytes(data)
    assert decoded.encoding == "latin_1"
    assert decoded.text.startswith("Sundsbø Åse")


def test_utf8_is_preferred_when_valid():
    # Bytes that are valid UTF-8 are never re-read as a single-byte code page (no "Ã¸").
    decoded = decode_bytes("Øydgard og Slåtsveen".encode())
    assert decoded.text == "Øydgard og Slåtsveen" and decoded.encoding == "utf-8"


def test_utf8_file_with_pasted_windows_1252_lines():
    data = ("TY  - JOUR\nAU  - Sundsbø, Åse\n".encode() + "AU  - Tønnessen, Siri\n".encode("cp1252")
            + b"ER  - \n")
    decoded = decode_bytes(data)
    assert decoded.encoding == "utf-8+cp1252"
    assert decoded.text == "TY  - JOUR\nAU  - Sundsbø, Åse\nAU  - Tønnessen, Siri\nER  - \n"
