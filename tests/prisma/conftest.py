import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from review.protocol import load_protocol  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "prisma"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="session")
def protocol():
    return load_protocol(REPO, check_files=False)


@pytest.fixture
def tables(tmp_path) -> Path:
    """A writable copy of the fixture stage tables (output/tables of a small review)."""
    dst = tmp_path / "tables"
    shutil.copytree(FIXTURES / "tables", dst)
    return dst


def read_svg_boxes(path: Path) -> dict[str, str]:
    """Box id → the box's text as the SVG holds it (lines joined by one space)."""
    out = {}
    for g in ET.parse(path).getroot().iter(f"{SVG}g"):
        gid = g.get("id", "")
        if gid.startswith("box-") and not gid.endswith("-frame"):
            lines = ["".join(t.itertext()) for t in g.iter(f"{SVG}text")]
            out[gid[4:]] = " ".join(" ".join(line.replace("\u00a0", " ").split()) for line in lines)
    return out


@pytest.fixture
def svg_boxes():
    return read_svg_boxes
