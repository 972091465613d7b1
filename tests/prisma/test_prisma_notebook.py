"""05_prisma.ipynb runs on a review's tables and stops, naming the box, when the counts do not add up."""
import json
import shutil
from pathlib import Path

import papermill as pm
import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "prisma"


def _run(out):
    pm.execute_notebook(str(REPO / "notebooks" / "05_prisma.ipynb"), str(out / "05_prisma.ipynb"),
                        parameters={"review_dir": str(REPO), "out_dir": str(out), "lang": "nb"},
                        cwd=str(REPO / "notebooks"), progress_bar=False, kernel_name="python3")


def test_notebook_writes_figures_tables_and_report_part(tmp_path):
    shutil.copytree(FIXTURES / "tables", tmp_path / "tables")
    _run(tmp_path)
    for name in ("prisma", "prisma_published"):
        for ext in ("svg", "png", "pdf"):
            assert (tmp_path / "figures" / f"{name}.{ext}").stat().st_size > 0
    for table in ("prisma_counts", "prisma2020_template", "prisma_published_check", "prisma_reconciliation"):
        assert (tmp_path / "tables" / f"{table}.csv").exists()
    part = json.loads((tmp_path / "report_parts" / "05_prisma.json").read_text(encoding="utf-8"))
    assert [b["name"] for b in part["blocks"] if b["kind"] == "figure"] == ["prisma", "prisma_published"]


def test_notebook_stops_on_a_box_that_does_not_add_up(tmp_path):
    shutil.copytree(FIXTURES / "tables", tmp_path / "tables")
    path = tmp_path / "tables" / "screening_counts.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("reports_assessed,2", "reports_assessed,5"),
                    encoding="utf-8")
    with pytest.raises(pm.PapermillExecutionError) as err:
        _run(tmp_path)
    assert "Reports assessed for eligibility (databases)" in str(err.value)
    assert not (tmp_path / "figures" / "prisma.svg").exists()
