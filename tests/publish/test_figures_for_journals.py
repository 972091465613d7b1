"""Figures for a journal: `--dpi` sets the PNG resolution; PDF embeds TrueType fonts, not Type 3."""
import struct

import matplotlib.pyplot as plt
import pytest

from review.cli import main
from review.outputs import DPI_ENV, save_figure


def _png_dpi(path) -> float:
    data = path.read_bytes()
    i = data.index(b"pHYs")
    x_per_metre = struct.unpack(">I", data[i + 4:i + 8])[0]
    return x_per_metre * 0.0254


@pytest.mark.parametrize("dpi", [None, "600"])
def test_png_resolution_follows_the_run(tmp_path, monkeypatch, dpi):
    if dpi:
        monkeypatch.setenv(DPI_ENV, dpi)
    else:
        monkeypatch.delenv(DPI_ENV, raising=False)
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.set_title("Øydgard og Sundsbø")
    paths = save_figure(fig, "f", tmp_path)
    plt.close(fig)
    assert round(_png_dpi(paths["png"])) == int(dpi or 300)


def test_pdf_embeds_truetype_fonts(tmp_path):
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.set_title("Tildeling – Slåtsveen")
    pdf = save_figure(fig, "f", tmp_path)["pdf"].read_bytes()
    plt.close(fig)
    assert b"/FontFile2" in pdf          # an embedded TrueType font program
    assert b"/Subtype /Type3" not in pdf


def test_dpi_out_of_range_is_refused_with_one_line(tmp_path, capsys):
    (tmp_path / "protocol.yaml").write_text("title: x\n", encoding="utf-8")
    code = main(["run", "--review", str(tmp_path), "--dpi", "5"])
    err = capsys.readouterr().err
    assert code == 1 and "--dpi 5" in err and "Traceback" not in err
