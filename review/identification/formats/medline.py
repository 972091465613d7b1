"""PubMed's MEDLINE format (.nbib / .txt), parsed by Bio.Medline one record at a time.

Records are separated by blank lines; cutting them here gives each one its line number and
raw text, and lets lenient mode skip a damaged record instead of the whole file.
"""
from __future__ import annotations

import io
import re

from Bio import Medline

from ...errors import ParseError
from ..records import Problem, RawRecord, make_record

_TAG = re.compile(r"^[A-Z][A-Z0-9]{0,3} *- ")
_AID_DOI = re.compile(r"^(10\.\S+)\s*\[doi\]")


def _chunks(text: str):
    lines = text.split("\n")
    start = None
    for i, line in enumerate(lines + [""]):
        if line.strip():
            if start is None:
                start = i
        elif start is not None:
            yield start + 1, "\n".join(lines[start:i])
            start = None


def _field(rec, key):
    value = rec.get(key)
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _as_list(value) -> list:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _authors(rec) -> list[str]:
    # Full names where PubMed has one for every author; group authors (CN) after them.
    full, short = _as_list(rec.get("FAU")), _as_list(rec.get("AU"))
    people = full if full and len(full) >= len(short) else short
    return people + [c for c in _as_list(rec.get("CN")) if c not in people]


def to_fields(rec) -> dict:
    doi = None
    for aid in _as_list(rec.get("AID")) + _as_list(rec.get("LID")):
        m = _AID_DOI.match(aid)
        if m:
            doi = m.group(1)
            break
    isbn = _field(rec, "ISBN")
    issn = rec.get("IS")
    if isinstance(issn, list):
        issn = issn[0] if issn else None
    if issn:
        issn = issn.split(" ")[0]
    ids = {"pmid": _field(rec, "PMID")}
    pmc = _field(rec, "PMC")
    if pmc:
        ids["pmcid"] = pmc
    return make_record(
        title=_field(rec, "TI") or _field(rec, "BTI"),
        authors=_authors(rec),
        year=_field(rec, "DP"),
        container=_field(rec, "JT") or _field(rec, "TA"),
        volume=_field(rec, "VI"), issue=_field(rec, "IP"), pages=_field(rec, "PG"),
        doi=doi, issn=issn, isbn=isbn,
        abstract=_field(rec, "AB"),
        keywords=(rec.get("OT") or []) + [m.lstrip("*") for m in rec.get("MH", [])],
        language=_field(rec, "LA"),
        url=f"https://pubmed.ncbi.nlm.nih.gov/{ids['pmid']}/" if ids.get("pmid") else None,
        pub_type=_field(rec, "PT"),
        source_ids=ids,
    )


def read(text: str, path, *, lenient: bool = False):
    records, problems = [], []
    position = 0
    for line, chunk in _chunks(text):
        position += 1
        reason = None
        first = chunk.split("\n", 1)[0]
        if not _TAG.match(first):
            reason = f"MEDLINE record does not start with a tag such as 'PMID- ' (found {first[:40]!r})"
        else:
            try:
                rec = Medline.read(io.StringIO(chunk + "\n"))
            except Exception as exc:  # Bio.Medline raises bare ValueError/KeyError on damage
                reason = f"MEDLINE record cannot be read ({type(exc).__name__}: {exc})"
            else:
                if not rec:
                    reason = "MEDLINE record has no fields"
        if reason:
            if not lenient:
                raise ParseError(path, reason + "; export it from PubMed again", line=line, record=position)
            problems.append(Problem(line, position, reason))
            continue
        records.append(RawRecord(position, line, chunk, to_fields(rec)))
    return records, problems


def _wrap(tag: str, value: str) -> list[str]:
    head = f"{tag:<4}- "
    words, lines, cur = str(value).split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > 82:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    lines.append(cur)
    return [head + lines[0]] + ["      " + ln for ln in lines[1:]]


# What the writer emits, in PubMed's order: (tag, canonical field, template). "; "-joined fields
# (authors, keywords) repeat their tag once per value.
_WRITE_TAGS = (
    ("IS", "issn", "{} (Print)"), ("VI", "volume", "{}"), ("IP", "issue", "{}"), ("DP", "year", "{}"),
    ("TI", "title", "{}"), ("PG", "pages", "{}"), ("LID", "doi", "{} [doi]"), ("AB", "abstract", "{}"),
    ("FAU", "authors", "{}"), ("LA", "language", "{}"), ("PT", "pub_type", "{}"),
    ("JT", "container", "{}"), ("OT", "keywords", "{}"), ("ISBN", "isbn", "{}"),
)
_REPEATED = {"authors", "keywords"}


def write(rows) -> str:
    import json

    out = []
    for r in rows:
        ids = json.loads(r["source_ids"]) if r.get("source_ids") else {}
        lines = []
        for tag, key in (("PMID", "pmid"), ("PMC", "pmcid")):
            if ids.get(key):
                lines += _wrap(tag, ids[key])
        for tag, field, template in _WRITE_TAGS:
            value = r.get(field)
            if not value:
                continue
            for v in (value.split("; ") if field in _REPEATED else [value]):
                if v:
                    lines += _wrap(tag, template.format(v))
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"
