"""Export works (the included ones) as RIS for Zotero or EndNote, written with rispy."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import rispy

from ..outputs import atomic_write_text

RIS_TYPES = [("thesis", "THES"), ("dissertation", "THES"), ("chapter", "CHAP"), ("book", "BOOK"),
             ("report", "RPRT"), ("conference", "CONF"), ("proceeding", "CONF")]


def _val(v) -> str:
    if v is None:
        return ""
    try:
        if pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    return str(v).strip()


def ris_type(pub_type: str) -> str:
    text = pub_type.lower()
    for word, ty in RIS_TYPES:
        if word in text:
            return ty
    return "JOUR"


def to_ris_entries(works: pd.DataFrame, note: str | None = None) -> list[dict]:
    entries = []
    for w in works.to_dict("records"):
        e: dict = {"type_of_reference": ris_type(_val(w.get("pub_type")))}
        if _val(w.get("title")):
            e["title"] = _val(w["title"])
        authors = [a.strip() for a in _val(w.get("authors")).split(";") if a.strip()]
        if authors:
            e["authors"] = authors
        year = re.search(r"\d{4}", _val(w.get("year")))
        if year:
            e["year"] = year.group(0)
        for col, key in [("container", "secondary_title"), ("volume", "volume"), ("issue", "number"),
                         ("doi", "doi"), ("issn", "issn"), ("abstract", "abstract"), ("language", "language")]:
            if _val(w.get(col)):
                e[key] = _val(w[col])
        pages = _val(w.get("pages"))
        if pages:
            parts = re.split(r"\s*[-–]\s*", pages, maxsplit=1)
            e["start_page"] = parts[0]
            if len(parts) > 1 and parts[1]:
                e["end_page"] = parts[1]
        keywords = [k.strip() for k in _val(w.get("keywords")).split(";") if k.strip()]
        if keywords:
            e["keywords"] = keywords
        if _val(w.get("url")):
            e["urls"] = [_val(w["url"])]
        e["id"] = _val(w.get("work_id"))
        if note:
            e["notes"] = [note]
        entries.append(e)
    return entries


def export_ris(works: pd.DataFrame, path: str | Path, note: str | None = None) -> Path:
    """Write ``works`` (bibliographic columns as in deduplicated.csv) to ``path`` as RIS."""
    text = rispy.dumps(to_ris_entries(works, note)) if len(works) else ""
    atomic_write_text(Path(path), text)
    return Path(path)
