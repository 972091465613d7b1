"""Per-record comparison features, computed once per record."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from review.dedup import normalize as nz


@dataclass
class Features:
    """Column-wise normalised fields (lists indexed by record position in the input table)."""

    record_id: list[str]
    title: list[str]           # folded title
    title_raw: list[str]
    title_numbers: list[frozenset]
    truncated: list[bool]      # the title was cut with an ellipsis (Google Scholar)
    notice: list[bool]
    authors: list[tuple[nz.Author, ...]]
    author_key: list[str]
    author_bag: list[str]      # every folded name token, given names too (swapped family/given)
    has_letters: list[bool]    # any non-ASCII letter in the author field
    year: list[int | None]
    container: list[list[str]]
    container_key: list[str]
    container_title: list[str]  # the container folded like a title (book title of a chapter)
    volume: list[str]
    volume_clean: list[str]    # only a volume that is a bare number ("58 1 SUPPL. 1" -> "")
    supplement: list[str]      # the supplement number in volume or issue ("SUPPL. 1" -> "1")
    issue: list[str]
    page_first: list[str]
    page_last: list[str]
    page_first_d: list[str]    # digits only ("c37" -> "37"), for comparison
    page_last_d: list[str]
    page_starts: list[frozenset]  # first pages of every range when pages list several ("230-5, 246-51")
    doi: list[str]
    type_class: list[str]

    def __len__(self) -> int:
        return len(self.record_id)


# Placeholders some exports write for "no value".
_MISSING = {"na", "n/a", "nan", "null", "none", "unknown", "[no title]", "no title", "-", "--"}


def _col(df: pd.DataFrame, name: str) -> list[str]:
    if name not in df.columns:
        return [""] * len(df)
    out = []
    for v in df[name].tolist():
        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            out.append("")
            continue
        v = str(v)
        out.append("" if v.strip().lower() in _MISSING else v)
    return out


_RANGE_START = re.compile(r"(?:^|[,+;]\s*)[a-zA-Z]?(\d+)")
_SUPPL = re.compile(r"\bsuppl?(?:ement)?\.?\s*(\d+)", re.I)


_SUPPL_ISSUE = re.compile(r"^\s*s(\d+)\s*$", re.I)


def _supplement(volume: str, issue: str) -> str:
    """The supplement number in volume or issue: "16 (Suppl 1)" -> "1", issue "S3" -> "3"."""
    m = _SUPPL.search(volume + " " + issue) or _SUPPL_ISSUE.match(issue)
    return m.group(1) if m else ""


def _digits(page: str) -> str:
    return "".join(ch for ch in page if ch.isdigit()).lstrip("0")


def _record_number_files(records: pd.DataFrame, issues: list[str]) -> set[str]:
    """Files whose issue column holds record numbers, not issues: 30 or more numeric values, all
    different (EndNote exports write the record number there). Real issues repeat (1-12)."""
    if "file" not in records.columns:
        return set()
    seen: dict[str, list[str]] = {}
    for f, v in zip(_col(records, "file"), issues):
        if v.strip().isdigit():
            seen.setdefault(f, []).append(v.strip())
    return {f for f, vs in seen.items() if len(vs) >= 30 and len(set(vs)) == len(vs)}


def compute_features(records: pd.DataFrame) -> Features:
    titles = _col(records, "title")
    cleaned = [nz.clean_title(t) for t in titles]
    authors_raw = _col(records, "authors")
    containers = _col(records, "container")
    pages_raw = _col(records, "pages")
    pages = [nz.normalize_pages(p) for p in pages_raw]
    authors = [nz.parse_authors(a) for a in authors_raw]
    cont_tokens = [nz.container_tokens(c) for c in containers]
    issues = _col(records, "issue")
    numbered = _record_number_files(records, issues)
    if numbered:
        issues = ["" if f in numbered else v for f, v in zip(_col(records, "file"), issues)]
    return Features(
        record_id=_col(records, "record_id"),
        title=[nz.fold(t) for t in cleaned],
        title_raw=titles,
        title_numbers=[nz.numbers_in(t) for t in cleaned],
        truncated=[nz.is_truncated(t) for t in titles],
        notice=[nz.is_notice(t) for t in titles],
        authors=authors,
        author_key=[nz.author_key(a) for a in authors],
        author_bag=[" ".join(t for t in nz.fold(a).split() if t != "null") for a in authors_raw],
        # Some databases transliterate author names but not titles (SSA: "Oydgard" with
        # "rådgiver"), so only the author field says whether ø could have been written.
        has_letters=[nz.has_non_ascii_letters(a) for a in authors_raw],
        year=[nz.normalize_year(y) for y in _col(records, "year")],
        container=cont_tokens,
        container_key=[" ".join(c) for c in cont_tokens],
        container_title=[nz.fold(c) for c in containers],
        volume=[nz.normalize_number(v) for v in _col(records, "volume")],
        supplement=[_supplement(v, i) for v, i in zip(_col(records, "volume"), issues)],
        # A bare number that equals the year is the year in the wrong column ("2016" for HBR).
        volume_clean=[v.strip().lstrip("0") if v.strip().isdigit() and v.strip() != y.strip()[:4] else ""
                      for v, y in zip(_col(records, "volume"), _col(records, "year"))],
        issue=[nz.normalize_number(v) for v in issues],
        page_first=[p[0] for p in pages],
        page_last=[p[1] for p in pages],
        page_starts=[frozenset(_digits(m) for m in _RANGE_START.findall(p)) if ("," in p or "+" in p)
                     else frozenset() for p in pages_raw],
        page_first_d=[_digits(p[0]) for p in pages],
        # "240-240" often stands for an unknown end page: compare it as missing.
        page_last_d=[_digits(p[1]) if _digits(p[1]) != _digits(p[0]) else "" for p in pages],
        doi=[nz.normalize_doi(d) for d in _col(records, "doi")],
        type_class=[nz.type_class(t) for t in _col(records, "pub_type")],
    )
