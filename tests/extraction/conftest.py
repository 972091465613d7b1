import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from review.extraction import load_form, load_studies
from review.protocol import load_protocol

REPO = Path(__file__).resolve().parents[2]
STUDIES = REPO / "extraction" / "studies"


@pytest.fixture(scope="session")
def protocol():
    return load_protocol(REPO, check_files=False)


@pytest.fixture(scope="session")
def form(protocol):
    return load_form(REPO / "extraction" / "form.yaml", protocol)


@pytest.fixture(scope="session")
def flagship(form):
    return load_studies(STUDIES)


def copy_studies(dest: Path, ids: list[str], work_ids: dict[str, str] | None = None) -> Path:
    """Copy flagship study files into ``dest``, setting its work_id line to a test id."""
    dest.mkdir(parents=True, exist_ok=True)
    for sid in ids:
        text = (STUDIES / f"{sid}.yaml").read_text(encoding="utf-8")
        wid = (work_ids or {}).get(sid, f"W-{sid}")
        text = re.sub(r"(?m)^work_id:.*$", f"work_id: {wid}", text, count=1)
        (dest / f"{sid}.yaml").write_text(text, encoding="utf-8")
    return dest


def edit_study(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def write_included(path: Path, rows: list[dict]) -> Path:
    """included.csv as the screening stage writes it; here with a BOM and CRLF like an Excel re-save."""
    df = pd.DataFrame(rows, columns=["work_id", "title", "authors", "year", "container", "doi"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + df.to_csv(index=False, lineterminator="\r\n").encode("utf-8"))
    return path


SAMPLE = ["kassah2016", "oydgard2018a", "oydgard2018b", "sundsbo2024"]
SAMPLE_ROWS = [
    {"work_id": "W-kassah2016", "title": "Samhandling i kommunale helse- og omsorgstjenester – en studie av hjemmesykepleieres erfaringer",
     "authors": "Kassah, Bente Lise Lilleby; Tønnessen, Siri", "year": "2016", "container": "Tidsskrift for velferdsforskning", "doi": ""},
    {"work_id": "W-oydgard2018a", "title": "Individuelle behovsvurderinger eller standardiserte tjenestetilbud?",
     "authors": "Øydgard, Guro Wisth", "year": "2018", "container": "Tidsskrift for omsorgsforskning", "doi": ""},
    {"work_id": "W-oydgard2018b", "title": "Hjemmetjenesten som alliert, rådgiver og forventningsregulator",
     "authors": "Øydgard, Guro Wisth", "year": "2018", "container": "Tidsskrift for velferdsforskning", "doi": ""},
    {"work_id": "W-sundsbo2024", "title": "", "authors": "Sundsbø, Alf Ivar", "year": "2024", "container": "", "doi": ""},
]


@pytest.fixture
def sample(tmp_path, form):
    """Four real study files with work_ids and a matching included.csv."""
    folder = copy_studies(tmp_path / "studies", SAMPLE)
    included = write_included(tmp_path / "tables" / "included.csv", SAMPLE_ROWS)
    return folder, included
