from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from review.protocol import load_protocol  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "charting" / "extraction.csv"


@pytest.fixture(scope="session")
def protocol():
    return load_protocol(REPO, check_files=False)


@pytest.fixture(scope="session")
def form(protocol):
    from review.extraction.form import load_form

    path = REPO / protocol.extraction.form
    if not path.exists():
        pytest.skip("the review has no extraction form")
    return load_form(path, protocol)


@pytest.fixture
def extraction_path() -> Path:
    return FIXTURE
