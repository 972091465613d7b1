"""The one-page HTML report: every stage's figures and tables, numbered, with no code.

Each notebook builds a :class:`ReportSection`. Every ``table``/``figure``/``text`` call both
shows the item in the notebook and records it in ``output/report_parts/<stage>.json``.
``review run`` then calls :func:`assemble` to number the captions and write ``report.html``.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .outputs import atomic_write_text

MAX_REPORT_ROWS = 500


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return False
    return get_ipython() is not None


def _display(obj) -> None:
    if _in_notebook():
        from IPython.display import display

        display(obj)


def df_to_html(df: pd.DataFrame, *, max_rows: int = MAX_REPORT_ROWS, escape: bool = True) -> str:
    shown = df.head(max_rows)
    shown = shown.astype(object).where(shown.notna(), "")  # None and NaN both show as empty cells
    out = shown.to_html(index=False, escape=escape, na_rep="", border=0, classes="table")
    if len(df) > max_rows:
        out += f'<p class="note">Showing {max_rows} of {len(df)} rows; the CSV has them all.</p>'
    return out


@dataclass
class ReportSection:
    """A stage's part of the report. ``out`` is the output folder; ``stage`` sorts the sections."""

    out: Path
    stage: str
    title: str
    blocks: list[dict] = field(default_factory=list)

    def __post_init__(self):
        self.out = Path(self.out)
        # A re-run of a stage starts its section afresh.
        self.save()

    def text(self, text: str, *, kind: str = "p") -> None:
        """A paragraph (kind='p'), a note box (kind='note') or a warning box (kind='warning')."""
        self.blocks.append({"kind": "text", "style": kind, "html": html.escape(text)})
        _display_markdown(text)
        self.save()

    def heading(self, text: str) -> None:
        self.blocks.append({"kind": "heading", "html": html.escape(text)})
        _display_markdown(f"### {text}")
        self.save()

    def table(self, df: pd.DataFrame, caption: str, *, csv: str | None = None,
              max_rows: int = MAX_REPORT_ROWS, html_override: str | None = None) -> None:
        """A captioned table. ``csv`` names the file in output/tables that holds all rows."""
        body = html_override if html_override is not None else df_to_html(df, max_rows=max_rows)
        self.blocks.append({"kind": "table", "caption": caption, "html": body, "csv": csv})
        _display(df.head(max_rows) if html_override is None else _html(body))
        self.save()

    def figure(self, name: str, caption: str) -> None:
        """A captioned figure already saved as output/figures/<name>.svg (see outputs.save_figure)."""
        self.blocks.append({"kind": "figure", "name": name, "caption": caption})
        svg = self.out / "figures" / f"{name}.svg"
        if _in_notebook() and svg.exists():
            from IPython.display import SVG

            _display(SVG(filename=str(svg)))
        self.save()

    def interactive(self, fragment: str, caption: str) -> None:
        """A captioned interactive figure: an HTML fragment the package generated (never user
        text: the fragment must escape its own data, as review.publish.evidence_map does)."""
        self.blocks.append({"kind": "interactive", "caption": caption, "html": fragment})
        _display(_html(fragment))
        self.save()

    def save(self) -> None:
        path = self.out / "report_parts" / f"{self.stage}.json"
        data = {"stage": self.stage, "title": self.title, "blocks": self.blocks}
        atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1))


def _html(body: str):
    from IPython.display import HTML

    return HTML(body)


def _display_markdown(text: str) -> None:
    if _in_notebook():
        from IPython.display import Markdown

        _display(Markdown(text))


_ID_RE = re.compile(r'\bid="([^"]+)"')


def _scope_svg_ids(svg: str, prefix: str) -> str:
    """Prefix every id in an inline SVG so that several figures on one page do not collide."""
    svg = re.sub(r"<\?xml[^>]*\?>", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>", "", svg)
    ids = set(_ID_RE.findall(svg))
    if not ids:
        return svg
    svg = _ID_RE.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})"
                 if m.group(1) in ids else m.group(0), svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m.group(1)}"'
                 if m.group(1) in ids else m.group(0), svg)
    return svg


CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#1a1a1a;line-height:1.45}
h1{border-bottom:3px solid #0b5394;padding-bottom:.3em}
h2{margin-top:2.2em;border-bottom:1px solid #ccc;padding-bottom:.2em;color:#0b5394}
figure{margin:1.5em 0;text-align:center}figure svg{max-width:100%;height:auto}
figcaption,caption{font-size:.95em;color:#333;text-align:left;margin:.4em 0}
table.table{border-collapse:collapse;font-size:.85em;margin:.5em 0 1.5em;width:100%}
table.table th{background:#eef3f8;text-align:left;position:sticky;top:0}
table.table td,table.table th{border:1px solid #d0d7de;padding:.25em .5em;vertical-align:top}
.note{background:#f4f8fb;border-left:4px solid #0b5394;padding:.5em 1em}
.warning{background:#fff6e5;border-left:4px solid #e69f00;padding:.5em 1em}
nav ol{columns:2}
.wrap{overflow-x:auto}
@media print{.wrap{overflow:visible}table.table{font-size:.65em}th{position:static}figure{break-inside:avoid}}
"""


def assemble(out: str | Path, *, title: str, subtitle: str = "", banner: str = "") -> Path:
    """Combine every stage's part into ``output/report.html``, numbering figures and tables."""
    out = Path(out)
    parts = sorted((out / "report_parts").glob("*.json"))
    fig_no = 0
    tab_no = 0
    sections: list[str] = []
    toc: list[str] = []
    for part_path in parts:
        part = json.loads(part_path.read_text(encoding="utf-8"))
        anchor = html.escape(part["stage"])
        toc.append(f'<li><a href="#{anchor}">{html.escape(part["title"])}</a></li>')
        body = [f'<section id="{anchor}"><h2>{html.escape(part["title"])}</h2>']
        for block in part["blocks"]:
            kind = block["kind"]
            if kind == "text":
                style = block.get("style", "p")
                paragraphs = "".join(f"<p>{p}</p>" for p in block["html"].split("\n\n"))
                if style == "p":
                    body.append(paragraphs)
                else:
                    body.append(f'<div class="{style}">{paragraphs}</div>')
            elif kind == "heading":
                body.append(f"<h3>{block['html']}</h3>")
            elif kind == "table":
                tab_no += 1
                link = ""
                if block.get("csv"):
                    link = f' <span class="note-inline">(all rows: tables/{html.escape(block["csv"])})</span>'
                body.append(f'<div class="wrap"><p class="caption"><b>Table {tab_no}.</b> '
                            f'{html.escape(block["caption"])}{link}</p>{block["html"]}</div>')
            elif kind == "figure":
                fig_no += 1
                svg_path = out / "figures" / f"{block['name']}.svg"
                if svg_path.exists():
                    svg = _scope_svg_ids(svg_path.read_text(encoding="utf-8"), f"f{fig_no}-")
                else:
                    svg = f'<p class="warning">Figure file {html.escape(svg_path.name)} is missing.</p>'
                body.append(f"<figure>{svg}<figcaption><b>Figure {fig_no}.</b> "
                            f"{html.escape(block['caption'])}</figcaption></figure>")
            elif kind == "interactive":
                fig_no += 1
                body.append(f'<figure class="interactive">{block["html"]}<figcaption><b>Figure {fig_no}.</b> '
                            f"{html.escape(block['caption'])}</figcaption></figure>")
        body.append("</section>")
        sections.append("\n".join(body))
    banner_html = f'<div class="warning"><p>{html.escape(banner)}</p></div>' if banner else ""
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        + (f"<p>{html.escape(subtitle)}</p>" if subtitle else "")
        + banner_html
        + f"<nav><ol>{''.join(toc)}</ol></nav>"
        + "\n".join(sections)
        + "</body></html>\n"
    )
    atomic_write_text(out / "report.html", page)
    return out / "report.html"
