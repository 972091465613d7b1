"""Reviewer overrides: ``decisions/dedup_overrides.csv``.

Append-only rows ``timestamp, reviewer, record_id_a, record_id_b, decision, reason`` with decision
``same`` or ``different``. For each unordered pair the latest row wins (by timestamp, then by row
order in the file), so a reviewer changes their mind by appending a row, never by editing one.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from review.errors import ValidationError

OVERRIDE_COLUMNS = ["timestamp", "reviewer", "record_id_a", "record_id_b", "decision", "reason"]


def read_overrides(path: Path | None) -> pd.DataFrame:
    """The rows that win, one per pair, with the pair ordered (a < b) and their line numbers."""
    cols = OVERRIDE_COLUMNS + ["line"]
    if path is None or not Path(path).exists():
        return pd.DataFrame(columns=cols)
    path = Path(path)
    text = path.read_bytes().decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in OVERRIDE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(
            f"{path}: line 1: the header lacks {', '.join(missing)}; the header must be "
            f"{','.join(OVERRIDE_COLUMNS)}")
    rows, problems = [], []
    for n, row in enumerate(reader, start=2):
        if not any((v or "").strip() for v in row.values()):
            continue
        a, b = (row["record_id_a"] or "").strip(), (row["record_id_b"] or "").strip()
        decision = (row["decision"] or "").strip().lower()
        if not a or not b:
            problems.append(f"{path}: line {n}: record_id_a and record_id_b must both be filled in")
            continue
        if a == b:
            problems.append(f"{path}: line {n}: record_id_a and record_id_b are the same ({a})")
            continue
        if decision not in ("same", "different"):
            problems.append(f"{path}: line {n}: decision is {row['decision']!r}; write 'same' or 'different'")
            continue
        a, b = sorted((a, b))
        rows.append({"timestamp": (row["timestamp"] or "").strip(), "reviewer": (row["reviewer"] or "").strip(),
                     "record_id_a": a, "record_id_b": b, "decision": decision,
                     "reason": (row["reason"] or "").strip(), "line": n})
    if problems:
        raise ValidationError(f"{path}: {len(problems)} override row(s) cannot be used; fix them and re-run",
                              problems)
    df = pd.DataFrame(rows, columns=cols)
    if df.empty:
        return df
    df = df.sort_values(["record_id_a", "record_id_b", "timestamp", "line"], kind="stable")
    return df.drop_duplicates(["record_id_a", "record_id_b"], keep="last").reset_index(drop=True)
