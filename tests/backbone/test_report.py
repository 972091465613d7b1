"""The report: sections from every stage, numbered captions, escaped text, no code."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from review.outputs import save_figure
from review.report import ReportSection, assemble


def test_sections_are_numbered_in_stage_order_and_escaped(tmp_path):
    for name in ("a", "b"):
        fig, ax = plt.subplots()
        ax.plot([1, 2])
        save_figure(fig, name, tmp_path / "figures")
        plt.close(fig)
    late = ReportSection(tmp_path, "02_late", "Second stage")
    late.figure("b", "Second figure")
    early = ReportSection(tmp_path, "01_early", "First stage")
    early.text("A <script>alert(1)</script> title")
    early.table(pd.DataFrame({"x": ["<b>y</b>"]}), "A table", csv="x.csv")
    early.figure("a", "First figure")
    html = assemble(tmp_path, title="Review").read_text(encoding="utf-8")
    assert html.index("First stage") < html.index("Second stage")
    assert "<b>Figure 1.</b> First figure" in html
    assert "<b>Figure 2.</b> Second figure" in html
    assert "<b>Table 1.</b> A table" in html
    assert "<script>" not in html
    assert "&lt;b&gt;y&lt;/b&gt;" in html
    # Two inline SVGs must not share element ids.
    import re
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_rerunning_a_stage_replaces_its_section(tmp_path):
    s = ReportSection(tmp_path, "01_x", "X")
    s.text("old")
    s = ReportSection(tmp_path, "01_x", "X")
    s.text("new")
    html = assemble(tmp_path, title="R").read_text(encoding="utf-8")
    assert "new" in html and "old" not in html


def test_missing_figure_file_is_flagged_not_crashing(tmp_path):
    ReportSection(tmp_path, "01_x", "X").figure("nothing", "Gone")
    html = assemble(tmp_path, title="R").read_text(encoding="utf-8")
    assert "nothing.svg is missing" in html


def test_missing_values_show_as_empty_cells(tmp_path):
    ReportSection(tmp_path, "01_x", "X").table(pd.DataFrame({"a": [None, float("nan"), "x"]}), "T")
    html = assemble(tmp_path, title="R").read_text(encoding="utf-8")
    assert "None" not in html and "NaN" not in html and "<td>x</td>" in html
