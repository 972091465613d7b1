"""`review run`: stages in order, selected stages, and one-line causes for each failure."""
import subprocess
import sys

import nbformat
import pytest
import yaml

PARAMS = 'review_dir = "."\nout_dir = "out"\nlang = "nb"\n'


def _notebook(path, *cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell(PARAMS)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params] + [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, path)


@pytest.fixture
def review(tmp_path, repo):
    folder = tmp_path / "review"
    (folder / "exports").mkdir(parents=True)
    data = yaml.safe_load((repo / "protocol.yaml").read_text(encoding="utf-8"))
    data["sources"] = data["sources"][:1]
    data["sources"][0]["files"] = ["exports/pubmed.nbib"]
    (folder / "exports/pubmed.nbib").write_text("PMID- 1\nTI  - x\n", encoding="utf-8")
    (folder / "protocol.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.fixture
def notebooks(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    write = ("from pathlib import Path\n"
             "Path(out_dir, 'tables').mkdir(parents=True, exist_ok=True)\n"
             "Path(out_dir, 'tables', '{name}.csv').write_text('stage,lang\\n{name},' + lang + '\\n')\n")
    _notebook(nbs / "01_first.ipynb", write.format(name="first"))
    _notebook(nbs / "02_second.ipynb", write.format(name="second"))
    return nbs


def _review(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "review.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_runs_stages_in_order_and_writes_report(review, notebooks, tmp_path):
    out = tmp_path / "out"
    res = _review("run", "--review", review, "--out", out, "--notebooks", notebooks, "--lang", "en",
                  "--no-progress")
    assert res.returncode == 0, res.stderr
    assert (out / "tables/first.csv").read_text() == "stage,lang\nfirst,en\n"
    assert (out / "tables/second.csv").exists()
    assert (out / "notebooks/01_first.ipynb").exists() and (out / "notebooks/02_second.ipynb").exists()
    assert (out / "report.html").exists()


def test_stage_selection_by_short_name(review, notebooks, tmp_path):
    out = tmp_path / "out"
    res = _review("run", "--review", review, "--out", out, "--notebooks", notebooks, "--stage", "second",
                  "--no-progress")
    assert res.returncode == 0, res.stderr
    assert not (out / "tables/first.csv").exists()
    assert (out / "tables/second.csv").exists()


def test_unknown_stage_is_named(review, notebooks, tmp_path):
    res = _review("run", "--review", review, "--notebooks", notebooks, "--stage", "charting")
    assert res.returncode == 1
    assert "--stage 'charting': no such stage; choose from 01_first, 02_second" in res.stderr


def test_notebook_that_raises_names_notebook_and_cell_and_keeps_it(review, notebooks, tmp_path):
    _notebook(notebooks / "02_second.ipynb", "x = 1", "raise ValueError('bad counts in box 3')")
    out = tmp_path / "out"
    res = _review("run", "--review", review, "--out", out, "--notebooks", notebooks, "--no-progress")
    assert res.returncode == 1
    first = res.stderr.strip().splitlines()[0]
    assert "stage 02_second failed in cell 3" in first
    assert "ValueError: bad counts in box 3" in first
    kept = nbformat.read(out / "notebooks/02_second.ipynb", as_version=4)
    errors = [o for c in kept.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert errors and errors[0]["evalue"] == "bad counts in box 3"
    assert (out / "tables/first.csv").exists()  # earlier stage output is kept
    assert "Traceback" not in res.stderr


def test_protocol_error_is_one_line(review, notebooks):
    p = review / "protocol.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("reviewers:", "reviewer:"), encoding="utf-8")
    res = _review("run", "--review", review, "--notebooks", notebooks)
    assert res.returncode == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(p) in lines[0] and "unknown key 'reviewer'" in lines[0]


def test_missing_export_is_one_line(review, notebooks):
    (review / "exports/pubmed.nbib").unlink()
    res = _review("run", "--review", review, "--notebooks", notebooks)
    assert res.returncode == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "exports/pubmed.nbib" in lines[0] and "does not exist" in lines[0]


def test_check_command(review):
    res = _review("check", "--review", review)
    assert res.returncode == 0 and "is valid: 1 sources" in res.stdout
