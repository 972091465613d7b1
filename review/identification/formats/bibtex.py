"""BibTeX via bibtexparser 2.x; LaTeX accents such as ``{\\o}`` decoded to ø (not in URLs and DOIs)."""
from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser.model import Entry, ParsingFailedBlock

from ...errors import ParseError
from ..records import Problem, RawRecord, make_record

_TYPES = {"article": "JOUR", "book": "BOOK", "incollection": "CHAP", "inbook": "CHAP",
          "techreport": "RPRT", "report": "RPRT", "phdthesis": "THES", "mastersthesis": "THES",
          "inproceedings": "CONF", "misc": "GEN", "online": "ELEC"}
_REVERSE = {"JOUR": "article", "BOOK": "book", "CHAP": "incollection", "RPRT": "techreport",
            "THES": "phdthesis", "CONF": "inproceedings", "ELEC": "online"}
_AND = re.compile(r"\s+and\s+", re.I)


def _split_authors(value: str | None) -> list[str]:
    if not value:
        return []
    out, depth, cur = [], 0, []
    # " and " only separates names outside braces ({Helse- and Omsorgsdepartementet}).
    tokens = re.split(r"(\{|\}|\s+and\s+)", value)
    for tok in tokens:
        if tok == "{":
            depth += 1
        elif tok == "}":
            depth = max(0, depth - 1)
        elif _AND.fullmatch(tok or "") and depth == 0:
            out.append("".join(cur))
            cur = []
            continue
        cur.append(tok)
    out.append("".join(cur))
    return [a.strip() for a in out if a.strip()]


def _plain(value):
    if value is None:
        return None
    return str(value).replace("{", "").replace("}", "")


# Fields BibTeX tools write verbatim: "%" and "_" in them are not LaTeX ("%20" in a URL).
VERBATIM = {"url", "doi", "eprint", "file", "pmid", "isbn", "issn"}
_DECODER = None


def _decode(value):
    """LaTeX to text ({\\o} -> ø, \\& -> &, -- -> –), as bibtexparser's LatexDecodingMiddleware does."""
    global _DECODER
    if not isinstance(value, str) or not re.search(r"[\\{}$%~-]", value):
        return value
    if _DECODER is None:
        from pylatexenc.latex2text import LatexNodes2Text

        _DECODER = LatexNodes2Text(keep_braced_groups=False, math_mode="verbatim")
    try:
        return _DECODER.latex_to_text(value)
    except Exception:  # pylatexenc gives up on odd input; keep the text as written
        return value


def to_fields(entry: Entry) -> dict:
    raw = {k.lower(): v.value for k, v in entry.fields_dict.items()}
    f = {k: (v if k in VERBATIM else _decode(v)) for k, v in raw.items()}
    # Split names before decoding: braces keep "{Helse- and Care Directorate}" one author.
    authors = [_decode(a) for a in _split_authors(raw.get("author") or raw.get("editor"))]
    ids = {"bibtex_key": entry.key}
    for key in ("pmid", "eprint"):
        if f.get(key):
            ids[key] = f[key]
    kw = f.get("keywords")
    return make_record(
        title=_plain(f.get("title")),
        authors=authors,
        year=f.get("year") or f.get("date"),
        container=_plain(f.get("journal") or f.get("journaltitle") or f.get("booktitle")
                         or f.get("institution") or f.get("publisher") or f.get("school")),
        volume=f.get("volume"), issue=f.get("number") or f.get("issue"),
        pages=re.sub(r"\s*(--|–|—)\s*", "-", f.get("pages") or "") or None,
        doi=f.get("doi"), issn=f.get("issn"), isbn=f.get("isbn"),
        abstract=_plain(f.get("abstract")),
        keywords=[k for k in re.split(r"[;,]\s*", _plain(kw))] if kw else [],
        language=f.get("language") or f.get("langid"),
        url=f.get("url"),
        pub_type=_TYPES.get(entry.entry_type.lower(), entry.entry_type.upper()),
        source_ids=ids,
    )


def read(text: str, path, *, lenient: bool = False):
    logging.getLogger("bibtexparser").setLevel(logging.ERROR)
    try:
        library = bibtexparser.parse_string(text)
    except Exception as exc:  # bibtexparser raises assorted errors on odd input
        raise ParseError(path, f"BibTeX cannot be read ({type(exc).__name__}: {exc})", line=1) from None
    records, problems = [], []
    position = 0
    for block in library.blocks:
        if isinstance(block, ParsingFailedBlock):
            position += 1
            line = (block.start_line or 0) + 1
            reason = f"BibTeX entry cannot be parsed ({block.error})".replace("\n", " ")
            if not lenient:
                raise ParseError(path, reason + "; fix the entry or export it again", line=line, record=position)
            problems.append(Problem(line, position, reason))
        elif isinstance(block, Entry):
            position += 1
            records.append(RawRecord(position, (block.start_line or 0) + 1, block.raw or "", to_fields(block)))
    if not records and not problems and re.search(r"\S", re.sub(r"%.*", "", text)):
        if "@" not in text:
            raise ParseError(path, "no BibTeX entries found (no '@type{' line); check the source's format "
                                   "in protocol.yaml", line=1)
    return records, problems


def _escape(value: str) -> str:
    # Characters LaTeX treats as commands; everything else (ø, å, –) is written as UTF-8.
    return re.sub(r"(?<!\\)([&%#_$])", r"\\\1", value)


def _field(name: str, value) -> str:
    return f"  {name} = {{{value if name in VERBATIM else _escape(str(value))}}}"


def write(rows) -> str:
    import json

    out = []
    for i, r in enumerate(rows, start=1):
        ids = json.loads(r["source_ids"]) if r.get("source_ids") else {}
        key = ids.get("bibtex_key") or f"ref{i}"
        etype = _REVERSE.get(r.get("pub_type") or "", "misc")
        fields = []
        container_key = {"article": "journal", "incollection": "booktitle", "inproceedings": "booktitle",
                         "techreport": "institution", "phdthesis": "school"}.get(etype, "publisher")
        for name, value in (("title", r.get("title")),
                            ("author", " and ".join((r.get("authors") or "").split("; ")) or None),
                            ("year", r.get("year")), (container_key, r.get("container")),
                            ("volume", r.get("volume")), ("number", r.get("issue")),
                            ("pages", (r.get("pages") or "").replace("-", "--") or None),
                            ("doi", r.get("doi")), ("issn", r.get("issn")), ("isbn", r.get("isbn")),
                            ("abstract", r.get("abstract")),
                            ("keywords", ", ".join((r.get("keywords") or "").split("; ")) or None),
                            ("language", r.get("language")), ("url", r.get("url"))):
            if value not in (None, ""):
                fields.append(_field(name, value))
        out.append(f"@{etype}{{{key},\n" + ",\n".join(fields) + "\n}\n")
    return "\n".join(out)
