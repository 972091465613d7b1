"""An interactive evidence map for report.html: rows × columns of the review's own axes.

Each cell holds a bubble sized by the number of included studies in it, optionally split by one
charted variable; filters on the extraction form's choice fields and on year narrow the studies;
a click on a cell lists its studies with their charted finding and where in the text it comes
from. The page is self-contained (no CDN, no network): the data ride along as JSON in a
``<script type="application/json">`` element and the code is a few lines of plain JavaScript
that writes text with ``textContent`` only, so nothing from the data is ever parsed as HTML.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources

import pandas as pd

from ..lang import pick

LIST_SEP = ";"

TEXTS = {
    "filters": {"nb": "Filtre", "en": "Filters"},
    "year": {"nb": "År", "en": "Year"},
    "from": {"nb": "fra", "en": "from"},
    "to": {"nb": "til", "en": "to"},
    "split": {"nb": "Del boblene etter", "en": "Split bubbles by"},
    "none": {"nb": "ingenting", "en": "nothing"},
    "reset": {"nb": "Nullstill", "en": "Reset"},
    "shown": {"nb": "studier vises", "en": "studies shown"},
    "of": {"nb": "av", "en": "of"},
    "pick_cell": {"nb": "Klikk på en celle for å se studiene i den.",
                  "en": "Click a cell to see its studies."},
    "in_cell": {"nb": "Studier i cellen", "en": "Studies in the cell"},
    "finding": {"nb": "Funn", "en": "Finding"},
    "where": {"nb": "Hvor i teksten", "en": "Where in the text"},
    "no_studies": {"nb": "Ingen studier i denne cellen med disse filtrene.",
                   "en": "No studies in this cell under these filters."},
    "studies": {"nb": "studier", "en": "studies"},
}


@dataclass
class Axis:
    ids: list[str]
    labels: list[str]
    title: str


@dataclass
class Variable:
    """A charted variable a reader can filter on or split by: a column of ``;``-joined value ids."""

    column: str
    label: str
    values: list[tuple[str, str]]  # (id, label) in the form's order


@dataclass
class EvidenceMap:
    rows: Axis
    cols: Axis
    studies: pd.DataFrame           # study_id, label, year, and one column per variable
    cells: pd.DataFrame             # study_id, row, col, finding, where
    variables: list[Variable] = field(default_factory=list)
    title: str = ""
    lang: str = "nb"

    def counts(self, keep: pd.Series | None = None) -> pd.DataFrame:
        """Studies per cell (rows × cols), over the studies ``keep`` marks (all by default)."""
        cells = self.cells
        if keep is not None:
            kept = set(self.studies.study_id[keep.to_numpy()])
            cells = cells[cells.study_id.isin(kept)]
        table = cells.drop_duplicates(["row", "col", "study_id"]).groupby(["row", "col"]).size()
        out = pd.DataFrame(0, index=self.rows.ids, columns=self.cols.ids, dtype=int)
        for (r, c), n in table.items():
            out.loc[r, c] = int(n)
        return out


def split_ids(value) -> list[str]:
    return [v.strip() for v in str(value or "").split(LIST_SEP) if v.strip()]


def _payload(m: EvidenceMap) -> dict:
    studies = []
    for r in m.studies.to_dict("records"):
        year = r.get("year")
        try:
            year = int(float(year)) if str(year).strip() not in ("", "nan", "None", "<NA>") else None
        except ValueError:
            year = None
        studies.append({"id": r["study_id"], "label": r["label"], "year": year,
                        "values": {v.column: split_ids(r.get(v.column)) for v in m.variables}})
    return {
        "lang": m.lang,
        "title": m.title,
        "rows": [{"id": i, "label": lab} for i, lab in zip(m.rows.ids, m.rows.labels)],
        "cols": [{"id": i, "label": lab} for i, lab in zip(m.cols.ids, m.cols.labels)],
        "rowTitle": m.rows.title,
        "colTitle": m.cols.title,
        "variables": [{"column": v.column, "label": v.label,
                       "values": [{"id": i, "label": lab} for i, lab in v.values]} for v in m.variables],
        "studies": studies,
        "cells": [{"study": r["study_id"], "row": r["row"], "col": r["col"],
                   "finding": r.get("finding") or "", "where": r.get("where") or ""}
                  for r in m.cells.to_dict("records")],
        "texts": {k: pick(v, m.lang) for k, v in TEXTS.items()},
    }


def _json_for_script(data: dict) -> str:
    # Inside <script>, "</script>" or "<!--" in the data would end or change the element.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def render_fragment(m: EvidenceMap) -> str:
    """The map as one HTML fragment (a div, its data and its code) to place in a page."""
    return (f'<div class="evmap" id="evmap" lang="{m.lang}"></div>\n'
            f'<style>{_asset("evidence_map.css")}</style>\n'
            f'<script type="application/json" id="evmap-data">{_json_for_script(_payload(m))}</script>\n'
            f'<script>{_asset("evidence_map.js")}</script>\n')


def render_page(m: EvidenceMap) -> str:
    """A stand-alone page holding only the map: opens from a file, offline."""
    import html

    return ("<!DOCTYPE html>\n"
            f'<html lang="{m.lang}"><head><meta charset="utf-8"><title>{html.escape(m.title)}</title>'
            "<style>body{font-family:system-ui,sans-serif;margin:1.5em;color:#1a1a1a}</style></head><body>"
            f"<h1>{html.escape(m.title)}</h1>\n{render_fragment(m)}</body></html>\n")


def from_extraction(ext: pd.DataFrame, labels, *, title: str = "") -> EvidenceMap:
    """The map of extraction.csv (as :func:`review.charting.read_extraction` gives it).

    Rows are the protocol's organisational models (plus any other value the studies carry),
    columns its quality dimensions; a study sits in a cell when it names the model and its
    ``q_<dimension>`` is true. The filters are the form's coded choice fields.
    """
    from ..charting.charts import model_dimension_data
    from ..charting.labels import FORM_FIELDS, study_label, text

    heat = model_dimension_data(ext, labels)
    rows = Axis(list(heat.counts.index), [labels.model(m) for m in heat.counts.index], text("model", labels.lang))
    cols = Axis(list(heat.counts.columns), [labels.component(q) for q in heat.counts.columns],
                text("component", labels.lang))
    cells = []
    for r in ext.to_dict("records"):
        for m in split_ids(r["models"]):
            for q in cols.ids:
                if r[f"q_{q}"]:
                    cells.append({"study_id": r["study_id"], "row": m, "col": q,
                                  "finding": r.get(f"q_{q}_findings", ""), "where": r.get(f"q_{q}_where", "")})
    variables = []
    for column in FORM_FIELDS:
        if column == "models" or column not in ext.columns:
            continue
        used = sorted({v for value in ext[column] for v in split_ids(value)})
        order = [v for v in labels.order(column) if v in used] + [v for v in used if v not in labels.order(column)]
        variables.append(Variable(column, _field_label(labels, FORM_FIELDS[column], column),
                                  [(v, labels.value(column, v)) for v in order]))
    studies = ext[["study_id", "year", *[v.column for v in variables]]].copy()
    studies.insert(1, "label", [study_label(r) for r in ext.to_dict("records")])
    return EvidenceMap(rows, cols, studies.reset_index(drop=True),
                       pd.DataFrame(cells, columns=["study_id", "row", "col", "finding", "where"]),
                       variables, title=title, lang=labels.lang)


def _field_label(labels, field_id: str, column: str) -> str:
    """The form's own label of a field, in the run's language."""
    from ..charting.labels import humanise

    if labels.form is not None:
        try:
            return labels.form.field(field_id).label(labels.lang)
        except KeyError:
            pass
    return humanise(column)


def load(review_dir, out_dir, protocol, lang: str = "nb") -> EvidenceMap | None:
    """The map of this run's extraction.csv, or None while no study has been charted."""
    from pathlib import Path

    from ..charting import ChartLabels, read_extraction
    from ..extraction.form import load_form

    path = Path(out_dir) / "tables" / "extraction.csv"
    if not path.exists():
        return None
    ext = read_extraction(path, protocol)
    if ext.empty:
        return None
    form_path = Path(review_dir) / protocol.extraction.form
    form = load_form(form_path, protocol) if form_path.exists() else None
    from ..charting.labels import text

    return from_extraction(ext, ChartLabels(protocol, form, lang), title=text("map_title", lang))


def pending_text(lang: str = "nb") -> str:
    return pick({"nb": "Evidenskartet venter på datauttrekket: ingen inkluderte studier er kartlagt ennå "
                       "(extraction/studies/). Neste steg: fyll ut ett uttrekk per inkludert studie og kjør på nytt.",
                 "en": "The evidence map waits for data extraction: no included study has been charted yet "
                       "(extraction/studies/). Next step: fill in one extraction per included study and run again."},
                lang)


def caption(m: EvidenceMap, lang: str = "nb") -> str:
    n = len(m.studies)
    return pick({"nb": f"Interaktivt evidenskart over de {n} inkluderte studiene: {m.rows.title.lower()} × "
                       f"{m.cols.title.lower()}. Boblens størrelse er antall studier; filtrer etter de kodede feltene "
                       "og år, del boblene etter en variabel, og klikk på en celle for å se studiene, funnene og hvor "
                       "i teksten de står. Kartet ligger også alene i figures/evidence_map.html.",
                 "en": f"Interactive evidence map of the {n} included studies: {m.rows.title.lower()} × "
                       f"{m.cols.title.lower()}. A bubble's size is its number of studies; filter by the coded fields "
                       "and year, split the bubbles by a variable, and click a cell to see its studies, their "
                       "findings and where in the text they are. The map also stands alone in "
                       "figures/evidence_map.html."}, lang)
