"""Find a work's full-text document in the review folder's ``fulltexts/``.

A document is found as ``fulltexts/<work_id>.<ext>``, or through ``fulltexts/index.csv``: by its
``work_id`` column where the index has one, else by title (fuzzy, accents and case folded), year
and first author's surname, since work ids are derived and the index is written by people.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz

from ..paths import ReviewPaths

TITLE_THRESHOLD = 92
_FOLD = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "å": "a", "Å": "A", "ß": "ss"})


def fold(text) -> str:
    """Lower-case ASCII words: 'Tildeling – Øydgard' -> 'tildeling oydgard'."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    text = unicodedata.normalize("NFKD", str(text).translate(_FOLD))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def first_surname(authors) -> str:
    """The first author's surname from 'Øydgard, G.; Sundsbø, A.' or 'Grethe Øydgard and ...'."""
    text = "" if authors is None or (isinstance(authors, float) and pd.isna(authors)) else str(authors)
    first = re.split(r";| and |\|", text)[0].strip()
    if not first:
        return ""
    name = first.split(",")[0] if "," in first else first.split()[-1]
    words = fold(name).split()
    return words[-1] if words else ""


def _year(value) -> str:
    m = re.search(r"\d{4}", "" if value is None else str(value))
    return m.group(0) if m else ""


def _column(df: pd.DataFrame, *names: str) -> str | None:
    lower = {c.lower().strip(): c for c in df.columns}
    for n in names:
        if n in lower:
            return lower[n]
    return None


def read_index(review_dir: str | Path) -> pd.DataFrame:
    path = ReviewPaths.of(review_dir).fulltexts / "index.csv"
    if not path.exists():
        return pd.DataFrame()
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def find_fulltext(review_dir: str | Path, work: dict, index: pd.DataFrame | None = None) -> Path | None:
    """The path of ``work``'s document (``work`` has work_id, title, authors, year), or None."""
    folder = ReviewPaths.of(review_dir).fulltexts
    if not folder.is_dir():
        return None
    work_id = str(work.get("work_id") or "")
    if work_id:
        named = sorted(p for p in folder.glob(f"{glob_escape(work_id)}.*") if p.name != "index.csv")
        if named:
            return named[0]
    index = read_index(review_dir) if index is None else index
    if index.empty:
        return None
    file_col = _column(index, "file", "filename", "path", "document")
    if file_col is None:
        return None
    id_col = _column(index, "work_id")
    if id_col and work_id:
        hit = index[index[id_col].str.strip() == work_id]
        if not hit.empty:
            return _existing(folder, hit.iloc[0][file_col])
    title_col = _column(index, "title")
    if title_col is None:
        return None
    year_col = _column(index, "year")
    auth_col = _column(index, "authors", "author", "first_author")
    want_title = fold(work.get("title"))
    want_year = _year(work.get("year"))
    want_author = first_surname(work.get("authors"))
    if not want_title:
        return None
    best, best_score = None, 0.0
    for row in index.to_dict("records"):
        score = fuzz.ratio(want_title, fold(row.get(title_col)))
        if score < TITLE_THRESHOLD:
            continue
        year = _year(row.get(year_col)) if year_col else ""
        if want_year and year and year != want_year:
            continue
        author = first_surname(row.get(auth_col)) if auth_col else ""
        if want_author and author and author != want_author:
            continue
        if score > best_score:
            best, best_score = row[file_col], score
    return _existing(folder, best) if best else None


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _existing(folder: Path, name) -> Path | None:
    if not name:
        return None
    path = (folder / str(name).strip()).resolve()
    # Index entries stay inside fulltexts/.
    if folder.resolve() not in path.parents or not path.exists():
        return None
    return path
