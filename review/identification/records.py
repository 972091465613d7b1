"""The canonical record table every reader produces, and the stable record id.

Readers turn one export record into a dict of canonical fields (``make_record``); ``to_frame``
adds provenance and the content-derived ``record_id`` and returns the ``records.csv`` table.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

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
_SPACE = re.compile(r"\s+")


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
    if isinstance(value, (list, tuple)):
        value = " ".join(str(v) for v in value if v)
    text = _SPACE.sub(" ", str(value)).strip()
    return text or None


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
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    out = [c for c in (clean(v) for v in values) if c]
    return SEP.join(out) if out else None


def pages_of(start, end=None) -> str | None:
    start, end = clean(start), clean(end)
    if start and end and end != start:
        return f"{start}-{end}"
    return start or end


def make_record(**fields) -> dict:
    """Canonical fields from a reader's values: lists joined, year and DOI normalised."""
    rec = {}
    for name in FIELDS:
        value = fields.get(name)
        if name in LIST_FIELDS:
            rec[name] = join_list(value)
        elif name == "year":
            rec[name] = year_of(value)
        elif name == "doi":
            rec[name] = clean_doi(value)
        elif name == "source_ids":
            ids = {k: str(v).strip() for k, v in (value or {}).items() if v is not None and str(v).strip()}
            rec[name] = json.dumps(dict(sorted(ids.items())), ensure_ascii=False) if ids else None
        elif name == "abstract":
            rec[name] = clean(value)
        else:
            rec[name] = clean(value)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown record fields: {sorted(unknown)}")
    return rec


def normalise_raw(raw: str) -> str:
    """Raw text as hashed: newlines unified and trailing spaces dropped, so re-saving a file
    with other line endings or encoding keeps every id."""
    return "\n".join(line.rstrip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n"))


def record_ids(source: str, raws: list[str]) -> list[str]:
    """``<source>-<10 hex digits of sha1(source, raw)>``; exact repeats in one file get ``-2``, ``-3``."""
    ids, seen = [], {}
    for raw in raws:
        digest = hashlib.sha1(f"{source}\n{normalise_raw(raw)}".encode("utf-8")).hexdigest()[:10]
        base = f"{source}-{digest}"
        n = seen.get(base, 0) + 1
        seen[base] = n
        ids.append(base if n == 1 else f"{base}-{n}")
    return ids


def to_frame(records: list[RawRecord], *, source: str, source_kind: str, file: str) -> pd.DataFrame:
    """The ``records.csv`` rows for one file, in file order."""
    ids = record_ids(source, [r.raw for r in records])
    rows = []
    for rid, r in zip(ids, records):
        row = {"record_id": rid, "source": source, "source_kind": source_kind, "file": file,
               "position": r.position, "line": r.line}
        row.update(r.fields)
        row["raw"] = normalise_raw(r.raw)
        rows.append(row)
    return frame(rows)


def frame(rows: list[dict]) -> pd.DataFrame:
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
