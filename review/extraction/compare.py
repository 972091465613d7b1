"""Dual extraction (JBI): two extractors' files for the same studies, compared field by field."""
from __future__ import annotations

import pandas as pd

from .form import Form, get_path
from .studies import Study

DISAGREEMENT_COLUMNS = ["study_id", "field", "first", "second"]
CODED_TYPES = ("choice", "multi_choice", "integer", "boolean")


def _canon(value, ftype: str) -> str:
    if value is None or value == "" or value == []:
        return ""
    if ftype == "multi_choice" and isinstance(value, list):
        return "; ".join(sorted(map(str, value)))  # order of ids carries no meaning
    if isinstance(value, list):
        return " | ".join(" ".join(str(v).split()) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return " ".join(str(value).split())


def compare_extractors(first: dict[str, Study], second: dict[str, Study], form: Form, *,
                       include_text: bool = False) -> pd.DataFrame:
    """Disagreements between two extractors: one row per study and field where they differ.

    Coded fields (choices, numbers, yes/no, and whether each quality component is illuminated) are
    always compared; free text only with ``include_text=True``, since two people's own words
    always differ. A study only one extractor has is listed with field ``(study)``.
    """
    rows = []
    for sid in sorted(set(first) | set(second)):
        if sid not in first or sid not in second:
            rows.append({"study_id": sid, "field": "(study)",
                         "first": "present" if sid in first else "missing",
                         "second": "present" if sid in second else "missing"})
            continue
        a, b = first[sid].data, second[sid].data
        for spec in form.fields:
            if spec.id in (form.id_field, "ambiguities"):
                continue
            if spec.type not in CODED_TYPES and not include_text:
                continue
            va, vb = _canon(get_path(a, spec.id), spec.type), _canon(get_path(b, spec.id), spec.type)
            if va != vb:
                rows.append({"study_id": sid, "field": spec.id, "first": va, "second": vb})
        for q in form.quality_ids:
            qa, qb = (a.get("quality") or {}).get(q) or {}, (b.get("quality") or {}).get(q) or {}
            for spec in form.quality_fields:
                if spec.type not in CODED_TYPES and not include_text:
                    continue
                va, vb = _canon(qa.get(spec.id), spec.type), _canon(qb.get(spec.id), spec.type)
                if spec.type == "boolean":
                    va, vb = va or "false", vb or "false"
                if va != vb:
                    rows.append({"study_id": sid, "field": f"quality.{q}.{spec.id}", "first": va, "second": vb})
    return pd.DataFrame(rows, columns=DISAGREEMENT_COLUMNS)


def agreement_by_field(first: dict[str, Study], second: dict[str, Study], form: Form,
                       disagreements: pd.DataFrame) -> pd.DataFrame:
    """Per coded field: studies both extracted, how many agree, and the share that agree."""
    both = sorted(set(first) & set(second))
    names = [s.id for s in form.fields if s.type in CODED_TYPES and s.id != form.id_field]
    names += [f"quality.{q}.{s.id}" for q in form.quality_ids for s in form.quality_fields
              if s.type in CODED_TYPES]
    counts = disagreements[disagreements["study_id"].isin(both)]["field"].value_counts()
    rows = []
    for name in names:
        differ = int(counts.get(name, 0))
        n = len(both)
        rows.append({"field": name, "studies": n, "agree": n - differ,
                     "agreement": round((n - differ) / n, 3) if n else None})
    return pd.DataFrame(rows, columns=["field", "studies", "agree", "agreement"])
