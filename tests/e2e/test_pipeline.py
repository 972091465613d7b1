"""End to end: `review run` on the small fixture review and on the flagship, into a temporary folder."""
import hashlib
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests/fixtures/mini_review"
FIGURES = ["prisma", "prisma_published", "model_by_dimension", "evidence_map"]
STAGE_TITLES = ["Identification and deduplication", "Screening", "Data extraction",
                "Charting the findings", "PRISMA 2020 flow diagram"]

pytestmark = pytest.mark.e2e


def _run(review: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "review.cli", "run", "--review", str(review),
                           "--out", str(out), "--no-progress", *extra],
                          capture_output=True, text=True, timeout=1200)


def _fingerprint(folder: Path) -> dict[str, str]:
    """Checksums of every file a run must never touch: the review folder's sources and decisions."""
    sums = {}
    for sub in ("protocol.yaml", "exports", "decisions", "extraction", "fulltexts", "published",
                "search_strings"):
        root = folder / sub
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for p in files:
            sums[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return sums


def _check_outputs(out: Path, n_included: int, figures=FIGURES):
    html = (out / "report.html").read_text(encoding="utf-8")
    for title in STAGE_TITLES:
        assert title in html, title
    assert "<pre" not in html and "import review" not in html  # no code in the report
    for name in figures:
        for fmt in ("svg", "png", "pdf"):
            assert (out / "figures" / f"{name}.{fmt}").stat().st_size > 1000, (name, fmt)
    for stage in ("01_identification", "02_screening", "03_extraction", "04_charting", "05_prisma"):
        assert (out / "notebooks" / f"{stage}.ipynb").exists()
    extraction = pd.read_csv(out / "tables/extraction.csv")
    assert len(extraction) == n_included
    counts = pd.read_csv(out / "tables/screening_counts.csv").set_index("measure")["value"]
    assert counts["studies_included"] == n_included
    # The diagram joins "n = 3" with no-break spaces so a count never wraps.
    prisma_svg = (out / "figures/prisma.svg").read_text(encoding="utf-8").replace("\u00a0", " ")
    assert f"(n = {n_included})" in prisma_svg


@pytest.fixture(scope="module")
def mini_runs(tmp_path_factory):
    before = _fingerprint(MINI)
    outs = []
    for i in range(2):
        out = tmp_path_factory.mktemp(f"mini{i}")
        res = _run(MINI, out)
        assert res.returncode == 0, res.stderr[-3000:]
        outs.append(out)
    assert _fingerprint(MINI) == before, "a run changed the review folder"
    return outs


def test_mini_review_outputs(mini_runs):
    included = pd.read_csv(mini_runs[0] / "tables/included.csv")
    # The fixture review publishes no counts, so it has no redrawn published figure.
    _check_outputs(mini_runs[0], len(included), [f for f in FIGURES if f != "prisma_published"])
    assert not (mini_runs[0] / "figures/prisma_published.svg").exists()
    assert len(included) == 3


def test_mini_review_tables_are_byte_identical_between_runs(mini_runs):
    a, b = (sorted((o / "tables").iterdir()) for o in mini_runs)  # CSV, XLSX and RIS alike
    assert [p.name for p in a] == [p.name for p in b] and a
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes(), pa.name


def test_flagship(tmp_path):
    before = _fingerprint(REPO)
    out = tmp_path / "out"
    res = _run(REPO, out)
    assert res.returncode == 0, res.stderr[-3000:]
    assert _fingerprint(REPO) == before, "a run changed the review folder"
    _check_outputs(out, 24)
    log = pd.read_csv(out / "tables/search_log.csv")
    assert len(log) == 13
    assert {"citation_search", "team_knowledge"} <= set(log["source_id"])
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "demonstration exports" in html
