"""A small box-and-arrow layout engine for flow diagrams, drawn with matplotlib.

Boxes sit in a grid of columns and rows; a row is as tall as its tallest box, and every box in a
row gets that height, as in the PRISMA 2020 template. Each box's text is one matplotlib Text with
``gid="box-<id>"``, so the SVG (text kept as text) has ``<g id="box-<id>">`` around its lines and
tests and readers can find every box's numbers.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

FONT_PT = 8.0
LINE_IN = FONT_PT * 1.32 / 72          # line height in inches
CHAR_IN = FONT_PT * 0.55 / 72          # generous average glyph width (DejaVu Sans), so text never spills
PAD_IN = 0.08
GAP_X = 0.35                            # between columns (room for the arrows)
GAP_Y = 0.28                            # between rows
PHASE_W = 0.32                          # the blue phase bars on the left

PHASE_FILL = "#cfe2f3"
HEAD_FILLS = {"databases": "#ffe699", "other": "#d9d9d9", "none": "white", "warn": "#fde0c5"}


@dataclass
class Box:
    id: str
    row: int
    col: int
    lines: list[str]
    span: int = 1                       # number of columns the box covers
    fill: str = "white"
    bold: bool = False
    align: str = "left"                 # left or center
    dashed: bool = False
    hatch: str | None = None


@dataclass
class Arrow:
    src: str
    dst: str
    kind: str = "down"                  # down | right | left | down_left (out of the bottom, into the side)
    dashed: bool = False


@dataclass
class Layout:
    col_widths: list[float]
    boxes: list[Box]
    arrows: list[Arrow] = field(default_factory=list)
    phases: list[tuple[str, int, int]] = field(default_factory=list)   # (label, first row, last row)
    row_min: dict[int, float] = field(default_factory=dict)             # minimum row heights


def wrap_lines(lines: list[str], width_in: float) -> list[str]:
    chars = max(8, int((width_in - 2 * PAD_IN) / CHAR_IN))
    out: list[str] = []
    for line in lines:
        if not line:
            out.append("")
            continue
        indent = len(line) - len(line.lstrip(" "))
        for part in textwrap.wrap(line, width=chars, subsequent_indent=" " * (indent + 2),
                                  break_long_words=False, break_on_hyphens=False) or [""]:
            # SVG collapses leading spaces; no-break spaces keep the indent of list items.
            stripped = part.lstrip(" ")
            out.append("\u00a0" * (len(part) - len(stripped)) + stripped)
    return out


def draw(layout: Layout, *, title: str | None = None):
    """Draw ``layout`` and return the matplotlib Figure (sized in inches to fit its boxes)."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch, Rectangle

    left0 = PHASE_W + 0.12 if layout.phases else 0.05
    col_x: list[float] = []
    x = left0
    for w in layout.col_widths:
        col_x.append(x)
        x += w + GAP_X
    total_w = x - GAP_X + 0.05

    def box_w(b: Box) -> float:
        return sum(layout.col_widths[b.col:b.col + b.span]) + GAP_X * (b.span - 1)

    wrapped = {b.id: wrap_lines(b.lines, box_w(b)) for b in layout.boxes}
    n_rows = max(b.row for b in layout.boxes) + 1
    row_h = [layout.row_min.get(r, 0.0) for r in range(n_rows)]
    for b in layout.boxes:
        row_h[b.row] = max(row_h[b.row], len(wrapped[b.id]) * LINE_IN + 2 * PAD_IN)
    top0 = 0.45 if title else 0.05
    row_y: list[float] = []
    y = top0
    for h in row_h:
        row_y.append(y)
        y += h + GAP_Y
    total_h = y - GAP_Y + 0.05

    fig = plt.figure(figsize=(total_w, total_h))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, total_w)
    ax.set_ylim(total_h, 0)
    ax.axis("off")
    if title:
        ax.text(total_w / 2, 0.2, title, ha="center", va="center", fontsize=FONT_PT + 2,
                fontweight="bold", gid="figure-title")

    geom: dict[str, tuple[float, float, float, float]] = {}
    for b in layout.boxes:
        bx, by, bw, bh = col_x[b.col], row_y[b.row], box_w(b), row_h[b.row]
        geom[b.id] = (bx, by, bw, bh)
        rect = Rectangle((bx, by), bw, bh, facecolor=b.fill, edgecolor="black",
                         linewidth=0.9, linestyle="--" if b.dashed else "-", hatch=b.hatch,
                         gid=f"box-{b.id}-frame")
        ax.add_patch(rect)
        text = "\n".join(wrapped[b.id])
        if b.align == "center":
            ax.text(bx + bw / 2, by + bh / 2, text, ha="center", va="center", fontsize=FONT_PT,
                    fontweight="bold" if b.bold else "normal", linespacing=1.32, gid=f"box-{b.id}",
                    multialignment="center")
        else:
            ax.text(bx + PAD_IN, by + bh / 2, text, ha="left", va="center", fontsize=FONT_PT,
                    fontweight="bold" if b.bold else "normal", linespacing=1.32, gid=f"box-{b.id}")

    for label, r0, r1 in layout.phases:
        y0 = row_y[r0]
        y1 = row_y[r1] + row_h[r1]
        ax.add_patch(FancyBboxPatch((0.05, y0), PHASE_W, y1 - y0, boxstyle="round,pad=0,rounding_size=0.06",
                                    facecolor=PHASE_FILL, edgecolor="#1f4e79", linewidth=0.8))
        ax.text(0.05 + PHASE_W / 2, (y0 + y1) / 2, label, rotation=90, ha="center", va="center",
                fontsize=FONT_PT + 0.5, fontweight="bold", gid=f"phase-{label}")

    style = dict(arrowstyle="-|>", color="black", lw=0.9, shrinkA=0, shrinkB=0, mutation_scale=9)
    for a in layout.arrows:
        sx, sy, sw, sh = geom[a.src]
        dx, dy, dw, dh = geom[a.dst]
        ls = "--" if a.dashed else "-"
        if a.kind == "left":
            y_mid = (max(sy, dy) + min(sy + sh, dy + dh)) / 2
            ax.annotate("", xy=(dx + dw, y_mid), xytext=(sx, y_mid),
                        arrowprops=dict(style, linestyle=ls))
        elif a.kind == "right":
            y_mid = (max(sy, dy) + min(sy + sh, dy + dh)) / 2
            ax.annotate("", xy=(dx, y_mid), xytext=(sx + sw, y_mid),
                        arrowprops=dict(style, linestyle=ls))
        elif a.kind == "down_left":
            x_mid = sx + sw / 2
            y_mid = dy + dh / 2
            ax.plot([x_mid, x_mid], [sy + sh, y_mid], color="black", lw=0.9, linestyle=ls)
            ax.annotate("", xy=(dx + dw, y_mid), xytext=(x_mid, y_mid),
                        arrowprops=dict(style, linestyle=ls))
        else:
            x_mid = (max(sx, dx) + min(sx + sw, dx + dw)) / 2
            ax.annotate("", xy=(x_mid, dy), xytext=(x_mid, sy + sh),
                        arrowprops=dict(style, linestyle=ls))
    return fig
