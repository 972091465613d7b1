"""Tables and figures: byte-identical re-runs, safe spreadsheets, no half-written files."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from openpyxl import load_workbook

from review import outputs


def _frame():
    return pd.DataFrame({
        "title": ["Tildeling av tjenester i Bærum", "=HYPERLINK(\"http://x\")", "+47 99", "@SUM(A1)", "-1"],
        "year": [2024, 2020, None, 2019, 2018],
    })


def test_csv_is_byte_identical_and_unix_newlines(tmp_path):
    a = outputs.save_table(_frame(), "t", tmp_path / "a").read_bytes()
    b = outputs.save_table(_frame(), "t", tmp_path / "b").read_bytes()
    assert a == b
    assert b"\r\n" not in a
    assert "Bærum".encode() in a


def test_xlsx_neutralises_formulas_and_freezes_header(tmp_path):
    outputs.save_table(_frame(), "t", tmp_path, xlsx=True)
    ws = load_workbook(tmp_path / "t.xlsx").active
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.bold
    values = [ws.cell(row=r, column=1).value for r in range(2, 7)]
    assert values[0] == "Tildeling av tjenester i Bærum"
    assert all(v.startswith("'") for v in values[1:])
    assert ws.cell(row=2, column=1).data_type != "f"


def test_xlsx_is_stable_between_runs(tmp_path, monkeypatch):
    import time
    outputs.save_table(_frame(), "t", tmp_path / "a", xlsx=True)
    later = time.time() + 3600  # zip entries would carry the clock time of writing
    monkeypatch.setattr(time, "time", lambda: later)
    outputs.save_table(_frame(), "t", tmp_path / "b", xlsx=True)
    assert (tmp_path / "a/t.xlsx").read_bytes() == (tmp_path / "b/t.xlsx").read_bytes()
    import zipfile
    core = zipfile.ZipFile(tmp_path / "b/t.xlsx").read("docProps/core.xml").decode()
    assert "<dcterms:modified" in core and "2000-01-01T00:00:00Z</dcterms:modified>" in core


def test_figure_in_three_formats_text_kept_and_stable(tmp_path):
    def draw():
        fig, ax = plt.subplots()
        ax.bar(["Øydgard", "Sundsbø"], [3, 5])
        ax.set_title("Studier per modell")
        return fig
    first = outputs.save_figure(draw(), "f", tmp_path / "a")
    second = outputs.save_figure(draw(), "f", tmp_path / "b")
    assert set(first) == {"svg", "png", "pdf"}
    svg = first["svg"].read_text(encoding="utf-8")
    assert "Studier per modell" in svg and "Sundsbø" in svg
    for fmt in ("svg", "pdf", "png"):
        assert first[fmt].read_bytes() == second[fmt].read_bytes(), fmt


def test_atomic_write_leaves_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "t.csv"
    target.write_text("old\n")

    def boom(*a, **k):
        raise OSError("disk full")
    monkeypatch.setattr(outputs.os, "replace", boom)
    with pytest.raises(OSError):
        outputs.atomic_write_text(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]
