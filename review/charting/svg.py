"""Hover texts in SVG figures: a <title> in the group matplotlib writes for an artist's gid."""
from __future__ import annotations

import html
import re
from pathlib import Path

from ..outputs import atomic_write_text, save_figure


def add_svg_titles(svg: str, titles: dict[str, str]) -> str:
    """Insert ``<title>`` as the first child of each ``<g id="gid">``; browsers show it on hover."""
    def repl(m: re.Match) -> str:
        gid = html.unescape(m.group(1))
        if gid not in titles:
            return m.group(0)
        return f"{m.group(0)}\n    <title>{html.escape(titles[gid], quote=False)}</title>"

    return re.sub(r'<g id="([^"]+)">', repl, svg)


def save_chart(fig, name: str, figures_dir: str | Path, titles: dict[str, str] | None = None) -> dict[str, Path]:
    """save_figure (SVG, PNG 300 dpi, PDF), then the hover texts into the SVG."""
    paths = save_figure(fig, name, Path(figures_dir))
    if titles:
        svg = paths["svg"].read_text(encoding="utf-8")
        atomic_write_text(paths["svg"], add_svg_titles(svg, titles))
    return paths
