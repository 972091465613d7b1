"""The screening notebook runs under papermill without blocking and writes the stage's tables."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import papermill as pm

from review.screening.store import DecisionStore

ROOT = Path(__file__).resolve().parents[2]


def test_notebook_runs_headless_and_writes_every_table(tmp_path):
    review = tmp_path / "review"
    shutil.copytree(ROOT / "tests" / "fixtures" / "screening" / "review", review)
    store = DecisionStore(review)
    for reviewer in ("demo_a", "demo_b"):
        store.append("w_0a1f3c", reviewer, "title_abstract", "include")
        store.append("w_0a1f3c", reviewer, "full_text", "include")
    out = review / "output"
    pm.execute_notebook(str(ROOT / "notebooks" / "02_screening.ipynb"), str(tmp_path / "run.ipynb"),
                        parameters={"review_dir": str(review), "out_dir": str(out), "reviewer": "demo_a"},
                        cwd=str(tmp_path), progress_bar=False, kernel_name="python3",
                        execution_timeout=120, start_timeout=60)
    tables = out / "tables"
    for name in ["screening_status.csv", "screening_counts.csv", "agreement.csv", "conflicts.csv", "conflicts.xlsx",
                 "included.csv", "included.ris"]:
        assert (tables / name).exists(), name
    counts = pd.read_csv(tables / "screening_counts.csv").set_index("measure")["value"]
    assert counts["studies_included"] == 1 and counts["records_pending"] == 4
    assert (out / "figures" / "screening_decisions.svg").exists()
    assert (out / "report_parts" / "02_screening.json").exists()
