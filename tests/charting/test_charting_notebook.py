"""04_charting.ipynb draws the four charts from extraction.csv and records them for the report."""
import json
import shutil
from pathlib import Path

import papermill as pm

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "charting" / "extraction.csv"


def test_notebook_writes_the_four_charts(tmp_path):
    (tmp_path / "tables").mkdir()
    shutil.copy(FIXTURE, tmp_path / "tables" / "extraction.csv")
    pm.execute_notebook(str(REPO / "notebooks" / "04_charting.ipynb"), str(tmp_path / "04.ipynb"),
                        parameters={"review_dir": str(REPO), "out_dir": str(tmp_path), "lang": "en"},
                        cwd=str(REPO / "notebooks"), progress_bar=False, kernel_name="python3")
    names = ["model_by_dimension", "evidence_map", "publications_over_time", "study_characteristics"]
    for name in names:
        for ext in ("svg", "png", "pdf"):
            assert (tmp_path / "figures" / f"{name}.{ext}").stat().st_size > 0
    part = json.loads((tmp_path / "report_parts" / "04_charting.json").read_text(encoding="utf-8"))
    assert [b["name"] for b in part["blocks"] if b["kind"] == "figure"] == names
    assert "Coordinated and continuous" in (tmp_path / "figures" / "model_by_dimension.svg").read_text(encoding="utf-8")
