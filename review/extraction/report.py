"""Tables about the extraction for the notebook and the report (the form, the ambiguities)."""
from __future__ import annotations

import pandas as pd

from .form import Form
from .studies import Study

TEXT_COLUMNS = ("citation", "aim", "method", "sample", "allocation_organisation", "findings")


def form_frame(form: Form, lang: str = "nb") -> pd.DataFrame:
    """One row per field of the form: id, label, type, required, allowed values."""
    rows = []
    for f in form.fields:
        rows.append({"field": f.id, "label": f.label(lang), "type": f.type,
                     "required": "yes" if f.required else "",
                     "allowed": ", ".join(f"{t.id} ({t.label(lang)})" for t in form.vocab.get(f.id, []))})
    for f in form.quality_fields:
        req = "yes" if f.required else (f"if {f.required_if}" if f.required_if else "")
        rows.append({"field": f"quality.<component>.{f.id}", "label": f.label(lang), "type": f.type,
                     "required": req,
                     "allowed": ", ".join(f"{q.id} ({q.label(lang)})" for q in form.quality_dimensions)
                     if f.id == "illuminated" else ""})
    return pd.DataFrame(rows, columns=["field", "label", "type", "required", "allowed"])


def ambiguities_frame(studies: dict[str, Study]) -> pd.DataFrame:
    rows = [{"study_id": sid, "ambiguity": str(text)}
            for sid in sorted(studies) for text in (studies[sid].data.get("ambiguities") or [])]
    return pd.DataFrame(rows, columns=["study_id", "ambiguity"])


def wrap_columns(table: pd.DataFrame) -> list[str]:
    """The long-text columns of extraction.csv, wrapped in the spreadsheet."""
    return [c for c in table.columns if c in TEXT_COLUMNS or c.endswith(("_findings", "_where"))]
