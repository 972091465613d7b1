"""Match records from another tool's export to the works of the screening pool.

By ``work_id`` when the export carries it, else by DOI, else by folded title and year (and the
first author's surname where both sides have one).
"""
from __future__ import annotations

import re

import pandas as pd
from rapidfuzz import fuzz

from .fulltexts import first_surname, fold

TITLE_THRESHOLD = 95


def norm_doi(value) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    text = text.strip().lower()
    text = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", text)
    return text


def _year(value) -> str:
    m = re.search(r"\d{4}", "" if value is None else str(value))
    return m.group(0) if m else ""


class WorkMatcher:
    def __init__(self, pool: pd.DataFrame):
        self.ids = set(pool["work_id"].astype(str))
        self.by_doi: dict[str, set[str]] = {}
        self.by_title: dict[str, list[tuple[str, str, str]]] = {}
        self.titles: list[tuple[str, str, str, str]] = []
        for w in pool.to_dict("records"):
            wid = str(w["work_id"])
            d = norm_doi(w.get("doi"))
            if d:
                self.by_doi.setdefault(d, set()).add(wid)
            t = fold(w.get("title"))
            if t:
                self.titles.append((t, _year(w.get("year")), first_surname(w.get("authors")), wid))

    def match(self, *, work_id=None, doi=None, title=None, year=None, authors=None) -> str | None:
        if work_id is not None and str(work_id).strip() in self.ids:
            return str(work_id).strip()
        hits = self.by_doi.get(norm_doi(doi), set()) if norm_doi(doi) else set()
        if len(hits) == 1:
            return next(iter(hits))
        want = fold(title)
        if not want:
            return None
        want_year, want_author = _year(year), first_surname(authors)
        found = set()
        for t, y, a, wid in self.titles:
            if want_year and y and y != want_year:
                continue
            if want_author and a and want_author != a:
                continue
            if t == want or fuzz.ratio(t, want) >= TITLE_THRESHOLD:
                found.add(wid)
        return next(iter(found)) if len(found) == 1 else None
