"""``review screening`` sub-commands (wired into review/cli.py by the lead)."""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pandas as pd
import pytest

from review.errors import ValidationError
from review.screening import cli

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "screening" / "review"


def _run(*argv) -> int:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return cli.run(parser.parse_args(list(argv)))


def test_record_resolve_and_tables(tmp_path, capsys):
    review = tmp_path / "review"
    shutil.copytree(FIXTURE, review)
    r = str(review)
    assert _run("record", "--review", r, "w_0a1f3c", "demo_a", "title_abstract", "include") == 0
    assert _run("record", "--review", r, "w_0a1f3c", "demo_b", "title_abstract", "exclude", "--reason", "not_norway") == 0
    assert _run("resolve", "--review", r, "w_0a1f3c", "demo_a+demo_b", "title_abstract", "include") == 0
    with pytest.raises(ValidationError, match="needs a reason"):
        _run("record", "--review", r, "w_4a6b2c", "demo_a", "full_text", "exclude")
    assert _run("tables", "--review", r) == 0
    assert "1 conflicts" in capsys.readouterr().out
    status = pd.read_csv(review / "output" / "tables" / "screening_status.csv").set_index("work_id")
    assert status.loc["w_0a1f3c", "title_abstract"] == "included"
