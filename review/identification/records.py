"""The canonical record table every reader produces, and the stable record id.

Readers turn one export record into a dict of canonical fields (``make_record``); ``to_frame``
adds provenance and the content-derived ``record_id`` and returns the ``records.csv`` table.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from json.encoder import encode_basestring

import pandas as pd

RECORD_COLUMNS = [
    "record_id", "source", "source_kind", "file", "position", "line",
    "title", "authors", "year", "container", "volume", "issue", "pages", "doi", "issn", "isbn",
    "abstract", "keywords", "language", "url", "pub_type", "source_ids", "raw",
]
# The bibliographic fields a reader fills (the rest is provenance).
FIELDS = ["title", "authors", "year", "container", "volume", "issue", "pages", "doi", "issn", "isbn",
          "abstract", "keywords", "language", "url", "pub_type", "source_ids"]
LIST_FIELDS = ("authors", "keywords")
SEP = "; "
PROBLEM_COLUMNS = ["source_id", "file", "line", "record", "reason"]

_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_ENC = encode_basestring


@dataclass
class RawRecord:
    """One record as a reader found it: where it starts, its text, and its canonical fields."""

    position: int
    line: int
    raw: str
    fields: dict = field(default_factory=dict)


@dataclass
class Problem:
    """A record a lenient reader skipped."""

    line: int | None
    record: int | None
    reason: str


def clean(value) -> str | None:
    """Collapse whitespace; empty becomes None."""
    if value is None:
        return None
    if type(value) is not str:
        if isinstance(value, (list, tuple)):
            value = " ".join(str(v) for v in value if v)
        else:
            value = str(value)
    if "  " in value or "\n" in value or "\t" in value or "\r" in value or value[:1].isspace() \
            or value[-1:].isspace():
        value = " ".join(value.split())
    return value or None


def year_of(value) -> int | None:
    """The first plausible year in a date such as ``2019///``, ``2019 Mar 4`` or ``c2018``."""
    if value is None:
        return None
    m = _YEAR.search(str(value))
    return int(m.group(1)) if m else None


def clean_doi(value) -> str | None:
    text = clean(value)
    if text is None:
        return None
    text = _DOI_PREFIX.sub("", text.split()[0]).strip()
    return text if text.startswith("10.") else None


def join_list(values) -> str | None:
    if not values:
        return None
    if isinstance(values, str):
        values = [values]
    try:
        joined = SEP.join(values)
    except TypeError:
        joined = None
    # Fast path: already-clean strings (the common case) joined once, not cleaned one by one.
    if joined and not ("  " in joined or " ;" in joined or "\n" in joined or "\t" in joined or "\r" in joined
                       or joined[0].isspace() or joined[-1].isspace() or ";;" in joined):
        return joined
    out = [clean(v) for v in values if v]
    return SEP.join([v for v in out if v]) or None


def make_record(*, title=None, authors=None, year=None, container=None, volume=None, issue=None,
                pages=None, doi=None, issn=None, isbn=None, abstract=None, keywords=None, language=None,
                url=None, pub_type=None, source_ids=None) -> dict:
    """Canonical fields from a reader's values: lists joined, year and DOI normalised,
    ``source_ids`` as sorted JSON."""
    ids = None
    if source_ids:
        ids = {k: str(v).strip() for k, v in source_ids.items() if v is not None and str(v).strip()}
        # Same text as json.dumps(ids, ensure_ascii=False, sort_keys=True), without its per-call cost.
        ids = "{" + ", ".join(f"{_ENC(k)}: {_ENC(v)}" for k, v in sorted(ids.items())) + "}" if ids else None
    return {"title": clean(title), "authors": join_list(authors), "year": year_of(year),
            "container": clean(container), "volume": clean(volume), "issue": clean(issue),
            "pages": clean(pages), "doi": clean_doi(doi), "issn": clean(issn), "isbn": clean(isbn),
            "abstract": clean(abstract), "keywords": join_list(keywords), "language": clean(language),
            "url": clean(url), "pub_type": clean(pub_type), "source_ids": ids}


def normalise_raw(raw: str) -> str:
    """Raw text as stored and hashed: newlines unified, blank lines and spaces around it dropped,
    so re-saving a file with other line endings or encoding keeps every id."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return raw.strip()


def record_ids(source: str, raws: list[str], *, normalised: bool = False) -> list[str]:
    """``<source>-<10 hex digits of sha1(source, raw)>``; exact repeats in one file get ``-2``, ``-3``."""
    ids, seen = [], {}
    for raw in raws:
        text = raw if normalised else normalise_raw(raw)
        digest = hashlib.sha1(f"{source}\n{text}".encode()).hexdigest()[:10]
        base = f"{source}-{digest}"
        n = seen.get(base, 0) + 1
        seen[base] = n
        ids.append(base if n == 1 else f"{base}-{n}")
    return ids


def unique_ids(ids: list[str]) -> list[str]:
    """Keep the first of equal ids and suffix later ones (``-2``, ``-3``...), in the given order."""
    seen: set[str] = set()
    out = []
    for rid in ids:
        new, n = rid, 1
        while new in seen:
            n += 1
            new = f"{rid}-{n}"
        seen.add(new)
        out.append(new)
    return out


def to_frame(records: list[RawRecord], *, source: str, source_kind: str, file: str) -> pd.DataFrame:
    """The ``records.csv`` rows for one file, in file order."""
    raws = [normalise_raw(r.raw) for r in records]
    ids = record_ids(source, raws, normalised=True)
    n = len(records)
    cols = {"record_id": ids, "source": [source] * n, "source_kind": [source_kind] * n, "file": [file] * n,
            "position": [r.position for r in records], "line": [r.line for r in records]}
    fields = [r.fields for r in records]
    for name in FIELDS:
        cols[name] = [f[name] for f in fields]
    cols["raw"] = raws
    return frame(cols)


def frame(rows) -> pd.DataFrame:
    """A records table from a list of row dicts or a dict of columns."""
    df = pd.DataFrame(rows, columns=RECORD_COLUMNS)
    for col in ("position", "line", "year"):
        df[col] = df[col].astype("Int64")
    return df


def empty_records() -> pd.DataFrame:
    return frame([])


def problems_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
    for col in ("line", "record"):
        df[col] = df[col].astype("Int64")
    return df
