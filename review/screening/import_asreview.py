"""Import screening decisions from an ASReview export (CSV, or XLSX, of the project's records).

ASReview writes one row per record with its bibliographic columns and the screener's label in
``included`` (ASReview 1.x; ``label_included`` or ``label`` in some exports): 1 = relevant
(include), 0 = irrelevant (exclude), empty or -1 = not screened (skipped here). ASReview has one
screener per project, so the caller names the reviewer id.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import ParseError, ValidationError
from .import_rayyan import ImportResult
from .matching import WorkMatcher
from .store import DecisionStore

LABEL_COLUMNS = ("included", "label_included", "label", "final_included")
LABELS = {"1": "include", "1.0": "include", "0": "exclude", "0.0": "exclude"}


def read_asreview(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xls"):
        df = pd.read_excel(path, dtype=str).fillna("")
    else:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.columns = [str(c).strip() for c in df.columns]
    return df


def import_asreview(store: DecisionStore, export: str | Path, stage: str, reviewer: str, pool, *,
                    write: bool = True) -> ImportResult:
    """Append ``reviewer``'s ASReview labels as decisions at ``stage``; returns rows and unmatched records."""
    export = Path(export)
    df = read_asreview(export)
    label_col = next((c for c in LABEL_COLUMNS if c in df.columns), None)
    if label_col is None:
        raise ParseError(export, f"no label column ({', '.join(LABEL_COLUMNS)}); export the ASReview project "
                         "with its screening labels (Export > Dataset)")
    if store.protocol.stage(stage).reason_required_for_exclusion:
        raise ValidationError(f"{export}: ASReview labels carry no exclusion reason, but stage {stage!r} "
                              "requires one; import ASReview decisions at title_abstract only")
    matcher = WorkMatcher(pool)
    lower = {c.lower(): c for c in df.columns}
    rows, unmatched, problems = [], [], []
    for i, rec in enumerate(df.to_dict("records")):
        decision = LABELS.get(str(rec[label_col]).strip())
        if decision is None:
            continue
        get = lambda *names: next((rec[lower[n]] for n in names if n in lower), None)  # noqa: E731
        work_id = matcher.match(work_id=get("work_id"), doi=get("doi"), title=get("title", "primary_title"),
                                year=get("year", "publication_year"), authors=get("authors", "author"))
        where = f"{export}, record {i + 1}"
        if work_id is None:
            unmatched.append(f"{where}: {str(get('title', 'primary_title') or '')[:80]!r} matches no work in the pool")
            continue
        row = {"work_id": work_id, "reviewer": reviewer, "stage": stage, "decision": decision,
               "reason": None, "note": "Imported from ASReview"}
        bad = store.check_row({**row, "timestamp": "2000-01-01T00:00:00Z"})
        if bad:
            problems.append(f"{where}: " + "; ".join(bad))
        rows.append(row)
    if problems:
        raise ValidationError(f"{export}: {len(problems)} problem(s); nothing imported", problems)
    result = ImportResult(rows, unmatched)
    if write and rows:
        result.written = store.append_many(rows)
    return result
