"""The descriptive summary computed from the extraction table, and its comparison with the
numbers the published report states (published/report_summary.yaml)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from ..errors import MissingInputError, ValidationError
from .form import Form
from .table import LIST_SEP

SUMMARY_COLUMNS = ["measure", "category", "value"]
# Count one study once per value of these fields (the `; `-joined ones may hold several).
COUNTED = [("publication_type", "citation.publication_type", False),
           ("method_class", "method_class", False),
           ("perspectives", "perspectives", True),
           ("service_area", "service_area", False),
           ("models", "models", True),
           ("report_group", "report_group", True)]
RANGES = ["year", "n_municipalities"]


def _split(value) -> list[str]:
    return [v for v in str(value or "").split(LIST_SEP) if v]


def summarise(table: pd.DataFrame, form: Form) -> pd.DataFrame:
    """Counts and ranges from ``extraction.csv``: rows ``measure, category, value``.

    Every allowed value gets a row (0 if no study has it), so the table's shape does not depend on
    the data and a change to one study changes only the cells that depend on it.
    """
    rows = [("studies", "all", len(table))]
    for measure, field_id, multi in COUNTED:
        values = [_split(v) if multi else [v] for v in table[measure].tolist()]
        for cat in form.allowed(field_id):
            rows.append((measure, cat, sum(cat in v for v in values)))
        if measure == "perspectives":
            rows.append((measure, "two_or_more", sum(len(v) >= 2 for v in values)))
        if measure == "report_group":
            rows.append((measure, "placements", sum(len(v) for v in values)))
    for q in form.quality_ids:
        rows.append(("quality_illuminated", q, int((table[f"q_{q}"] == "true").sum())))
    for col in RANGES:
        nums = pd.to_numeric(table[col], errors="coerce").dropna()
        rows.append((col, "min", int(nums.min()) if len(nums) else None))
        rows.append((col, "max", int(nums.max()) if len(nums) else None))
    df = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    df["value"] = df["value"].astype("Int64")
    return df


COMPARISON_COLUMNS = ["measure", "category", "computed", "published", "agrees", "stated", "where",
                      "explanation"]


def load_published(path: str | Path) -> dict:
    path = Path(path)
    if not path.exists():
        raise MissingInputError(f"{path}: no file of the report's stated numbers; create it or skip the comparison")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for i, n in enumerate(data.get("numbers") or [], start=1):
        missing = [k for k in ("measure", "category", "value", "stated", "where") if n.get(k) in (None, "")]
        if missing:
            raise ValidationError(f"{path}: number {i} ({n.get('measure')}/{n.get('category')}) lacks "
                                  f"{', '.join(missing)}; every stated number needs its quote and place")
    return data


def _beyond(table: pd.DataFrame, col: str, kind: str, bound: int) -> str:
    """The studies outside a published min/max, e.g. 'angelsen2024 (123)'."""
    nums = pd.to_numeric(table[col], errors="coerce")
    mask = nums < bound if kind == "min" else nums > bound
    hits = table.loc[mask.fillna(False), ["study_id", col]].sort_values(["study_id"])
    return ", ".join(f"{r.study_id} ({int(getattr(r, col))})" for r in hits.itertuples())


def compare_with_published(summary: pd.DataFrame, published: dict, table: pd.DataFrame) -> pd.DataFrame:
    """The computed summary beside each number the report states, one line of explanation for
    each difference. Also checks the report's own sums (``checks:``), e.g. method classes that
    should add up to the number of studies."""
    look = {(r.measure, r.category): r.value for r in summary.itertuples()}
    rows = []
    for n in published.get("numbers") or []:
        key = (n["measure"], str(n["category"]))
        computed = look.get(key)
        pub = int(n["value"])
        agrees = computed is not None and not pd.isna(computed) and int(computed) == pub
        if agrees:
            why = ""
        else:
            why = str(n.get("note") or "").strip()
            if n["measure"] in RANGES and n["category"] in ("min", "max"):
                out = _beyond(table, n["measure"], n["category"], pub)
                if out:
                    side = "below" if n["category"] == "min" else "above"
                    why = (f"studies {side} the stated {pub}: {out}. " + why).strip()
            if computed is None:
                why = f"the summary has no measure {key}; fix the measure name. " + why
            if not why:
                why = "differs; no explanation recorded yet: add a note in published/report_summary.yaml"
        rows.append({"measure": key[0], "category": key[1],
                     "computed": None if computed is None or pd.isna(computed) else int(computed),
                     "published": pub, "agrees": agrees, "stated": n["stated"], "where": n["where"],
                     "explanation": why})
    numbers = published.get("numbers") or []
    for c in published.get("checks") or []:
        # The first statement of each part counts (the report may state a figure twice).
        parts = []
        for cat in map(str, c["categories"]):
            first = next((n for n in numbers if n["measure"] == c["measure"] and str(n["category"]) == cat), None)
            if first is not None:
                parts.append(int(first["value"]))
        total = sum(parts)
        target = next((int(n["value"]) for n in numbers
                       if (n["measure"], str(n["category"])) == tuple(map(str, c["equals"]))), None)
        plus = int(c.get("plus", 0))
        expected = None if target is None else target + plus
        agrees = expected is not None and total == expected
        expect_text = f"{c['equals'][0]}/{c['equals'][1]} = {target}" + (
            f" + {plus} ({c.get('plus_because', '')})" if plus else "")
        ours = [look.get((c["measure"], str(cat))) for cat in c["categories"]]
        ours_total = sum(int(v) for v in ours if v is not None and not pd.isna(v))
        rows.append({"measure": c["measure"], "category": "sum: " + " + ".join(map(str, c["categories"])),
                     "computed": ours_total, "published": total, "agrees": agrees,
                     "stated": " + ".join(map(str, parts)) + f" = {total}; expected {expect_text}",
                     "where": c.get("where", ""),
                     "explanation": "" if agrees else str(c.get("note") or "the report's parts do not add up to its total")})
    df = pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
    df["computed"] = df["computed"].astype("Int64")
    return df
