"""Proposing which included work (output/tables/included.csv) each extraction file describes.

The proposal is for a person: the lead copies a proposed work_id into the study file after
looking at it. Folding ø to o would merge different names (Vabø, Vabo), so surnames are compared
case-insensitively but with their letters intact; titles are compared fuzzily (rapidfuzz).
"""
from __future__ import annotations

import re
import unicodedata

import pandas as pd
from rapidfuzz import fuzz

from ..errors import ValidationError
from .studies import Study

LINK_COLUMNS = ["study_id", "current_work_id", "proposed_work_id", "score", "title_score",
                "author_match", "year_match", "included", "status"]
MIN_SCORE = 60


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", str(text or "")).casefold().strip()


def _first_surname(authors: str) -> str:
    first = str(authors or "").split(";")[0]
    return _norm(first.split(",")[0])


def _score(study: Study, row: pd.Series) -> tuple[float, float, bool, bool]:
    cit = study.data.get("citation") or {}
    authors = cit.get("authors") or []
    surname = _norm(authors[0]) if authors else ""
    inc_surnames = [_norm(a.split(",")[0]) for a in str(row.get("authors", "")).split(";") if a.strip()]
    author_match = bool(surname) and bool(inc_surnames) and surname == inc_surnames[0]
    author_any = bool(surname) and surname in inc_surnames
    try:
        year_gap = abs(int(str(row.get("year", "")).strip()[:4]) - int(cit.get("year")))
    except (TypeError, ValueError):
        year_gap = 99
    year_match = year_gap == 0
    title = str(cit.get("title") or "")
    inc_title = str(row.get("title", "") or "")
    title_score = fuzz.token_set_ratio(_norm(title), _norm(inc_title)) if title and inc_title else 0.0
    author_part = 100.0 if author_match else 60.0 if author_any else 0.0
    # Online-first and print years often differ by one.
    year_part = 100.0 if year_match else 50.0 if year_gap == 1 else 0.0
    if title and inc_title:
        score = 0.5 * title_score + 0.3 * author_part + 0.2 * year_part
    else:
        score = 0.6 * author_part + 0.4 * year_part
    return round(score, 1), round(title_score, 1), author_match, year_match


def link_studies(studies: dict[str, Study], included: pd.DataFrame) -> pd.DataFrame:
    """One row per study: the best-matching included work_id, its score and how sure it is.

    ``status`` is ``confirmed`` (the file's work_id is the proposal), ``differs`` (the file names
    another work), ``proposed`` (the file has none), ``ambiguous`` (another work scores as high, or the best work went to another study)
    or ``none`` (nothing scores ``MIN_SCORE`` or more). Each work is proposed for at most one study:
    pairs are taken best score first.
    """
    rows = [(sid, i, *_score(s, included.iloc[i]))
            for sid, s in studies.items() for i in range(len(included))]
    rows.sort(key=lambda r: (-r[2], r[0], str(included.iloc[r[1]]["work_id"])))
    taken_studies: dict[str, tuple] = {}
    taken_works: set[int] = set()
    # How many works reach each study's best score: a tie means the data cannot tell them apart.
    best: dict[str, float] = {}
    ties: dict[str, int] = {}
    for r in rows:
        sid, score = r[0], r[2]
        if sid not in best:
            best[sid] = score
        if score == best[sid] and score >= MIN_SCORE:
            ties[sid] = ties.get(sid, 0) + 1
    for r in rows:
        sid, i, score = r[0], r[1], r[2]
        if score < MIN_SCORE or sid in taken_studies or i in taken_works:
            continue
        taken_studies[sid] = r
        taken_works.add(i)
    out = []
    for sid, study in sorted(studies.items()):
        r = taken_studies.get(sid)
        current = study.work_id
        if r is None:
            out.append({"study_id": sid, "current_work_id": current, "proposed_work_id": "",
                        "score": 0.0, "title_score": 0.0, "author_match": False,
                        "year_match": False, "included": "", "status": "none"})
            continue
        _, i, score, title_score, author_match, year_match = r
        row = included.iloc[i]
        wid = str(row["work_id"])
        if ties.get(sid, 0) > 1 or score < best[sid]:
            status = "ambiguous"
        elif not current:
            status = "proposed"
        else:
            status = "confirmed" if current == wid else "differs"
        first = str(row.get("authors", "")).split(";")[0].strip()
        out.append({"study_id": sid, "current_work_id": current, "proposed_work_id": wid,
                    "score": score, "title_score": title_score, "author_match": author_match,
                    "year_match": year_match,
                    "included": f"{first} ({row.get('year', '')}): {str(row.get('title', ''))[:70]}",
                    "status": status})
    return pd.DataFrame(out, columns=LINK_COLUMNS)


_WORK_ID_LINE = re.compile(r"^work_id:[^\n]*$", re.MULTILINE)


def write_work_ids(studies: dict[str, Study], links: pd.DataFrame, *,
                   statuses: tuple[str, ...] = ("proposed",)) -> list[str]:
    """Write each proposed work_id into its study file, changing only the ``work_id:`` line.

    Only rows whose status is in ``statuses`` are written (by default ``proposed``: files with no
    work_id yet), so a person's earlier choice is never overwritten. Returns the study_ids written.
    """
    from ..outputs import atomic_write_text

    written = []
    for row in links.itertuples():
        if row.status not in statuses or not row.proposed_work_id:
            continue
        study = studies[row.study_id]
        text = study.path.read_text(encoding="utf-8")
        if not _WORK_ID_LINE.search(text):
            raise ValidationError(f"{study.path}: has no top-level `work_id:` line to fill; add one")
        text = _WORK_ID_LINE.sub(f"work_id: {row.proposed_work_id}", text, count=1)
        atomic_write_text(study.path, text)
        written.append(row.study_id)
    return written
