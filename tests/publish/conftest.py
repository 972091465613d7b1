from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from review.protocol import load_protocol  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
EXTRACTION = REPO / "tests" / "fixtures" / "charting" / "extraction.csv"


@pytest.fixture(scope="session")
def protocol():
    return load_protocol(REPO, check_files=False)


@pytest.fixture(scope="session")
def form(protocol):
    from review.extraction.form import load_form

    return load_form(REPO / protocol.extraction.form, protocol)


def evidence_map(protocol, form, lang="nb", path=EXTRACTION):
    from review.charting import ChartLabels, read_extraction
    from review.publish.evidence_map import from_extraction

    ext = read_extraction(path, protocol)
    return from_extraction(ext, ChartLabels(protocol, form, lang), title="Evidence map")


def crosstab(path, protocol, keep=lambda row: True):
    """Studies per model × dimension, counted straight from the CSV with pandas, as a reader would."""
    import pandas as pd

    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw = raw[raw.apply(keep, axis=1)]
    long = raw.assign(model=raw.models.str.split(";")).explode("model")
    long["model"] = long.model.str.strip()
    out = {}
    for q in protocol.quality_dimensions:
        hit = long[long[f"q_{q.id}"].str.lower() == "true"]
        for m, n in hit.groupby("model").study_id.nunique().items():
            out[(m, q.id)] = int(n)
    return out
