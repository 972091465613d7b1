from pathlib import Path

import pytest

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"


@pytest.fixture
def exports() -> Path:
    return EXPORTS
