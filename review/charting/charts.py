"""Charts of the findings, drawn from extraction.csv.

Every chart is colour-blind-safe and readable in greyscale: counts use one sequential hue whose
lightness falls with the count (and the number is printed in the cell); categories use the
Okabe–Ito palette together with a marker shape or a hatch, so they differ without colour too.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import MissingInputError, ValidationError
from ..protocol import Protocol
from .labels import ChartLabels, study_label, text

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
HATCHES = ["", "///", "...", "xxx", "\\\\\\", "ooo", "---", "+++"]
HEAT_CMAP = "Blues"          # one hue, lightness falls steadily with the count
BAR_COLOUR = "#0072B2"
FONT = 8.5
LIST_SEP = ";"

REQUIRED = ("study_id", "first_author", "year", "publication_type", "method_class", "models",
            "service_area", "perspectives")
TRUE = {"true", "1", "yes", "ja", "x"}
FALSE = {"false", "0", "no", "nei", ""}


def read_extraction(path: str | Path, protocol: Protocol) -> pd.DataFrame:
    """extraction.csv with the quality columns ``q_<id>`` as booleans; checks columns and values."""
    path = Path(path)
    if not path.exists():
        raise MissingInputError(f"{path}: not found; run the extraction stage (03_extraction) first")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    qcols = [f"q_{q.id}" for q in protocol.quality_dimensions]
    missing = [c for c in (*REQUIRED, *qcols) if c not in df.columns]
    if missing:
        raise ValidationError(f"{path}: missing column(s) {', '.join(missing)}; re-run 03_extraction "
                              f"(the quality columns follow protocol.yaml quality_dimensions)")
    for col in qcols:
        values = df[col].str.strip().str.lower()
        bad = ~values.isin(TRUE | FALSE)
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise ValidationError(f"{path}: line {i + 2}, study {df.study_id.iloc[i]!r}: {col} is "
                                  f"{df[col].iloc[i]!r}; write true or false")
        df[col] = values.isin(TRUE)
    if df.study_id.duplicated().any():
        dup = df.study_id[df.study_id.duplicated()].iloc[0]
        raise ValidationError(f"{path}: study {dup!r} appears twice; keep one row per study")
    return df.sort_values("study_id", kind="stable").reset_index(drop=True)


def split_ids(value: str) -> list[str]:
    return [v.strip() for v in str(value).split(LIST_SEP) if v.strip()]


def _wrap(s: str, width: int) -> str:
    return "\n".join(textwrap.wrap(s, width=width, break_long_words=False)) or s


def _order(values: list[str], preferred: list[str]) -> list[str]:
    seen = [v for v in preferred if v in values]
    return seen + sorted(v for v in set(values) if v not in seen)


def _sort_key(s: str) -> str:
    return s.lower().translate(str.maketrans({"æ": "{", "ø": "|", "å": "}"}))


# ---------------------------------------------------------------------------------------------
# Heat map: organisational model × quality component.

@dataclass
class HeatData:
    counts: pd.DataFrame      # index model ids, columns component ids
    table: pd.DataFrame       # companion table: one row per cell, with the studies behind it
    model_totals: dict[str, int]


def model_dimension_data(ext: pd.DataFrame, labels: ChartLabels) -> HeatData:
    protocol = labels.protocol
    used = sorted({m for v in ext.models for m in split_ids(v)})
    models = [t.id for t in protocol.organisational_models] + [
        m for m in _order(used, labels.order("models")) if m not in {t.id for t in protocol.organisational_models}]
    comps = [q.id for q in protocol.quality_dimensions]
    study_names = {r.study_id: study_label(r._asdict()) for r in ext.itertuples(index=False)}
    rows = []
    counts = pd.DataFrame(0, index=models, columns=comps, dtype=int)
    totals = {m: 0 for m in models}
    for r in ext.itertuples(index=False):
        for m in split_ids(r.models):
            totals[m] = totals.get(m, 0) + 1
    for m in models:
        members = ext[ext.models.map(lambda v, m=m: m in split_ids(v))]
        for q in comps:
            hit = members[members[f"q_{q}"]]
            names = sorted((study_names[s] for s in hit.study_id), key=_sort_key)
            counts.loc[m, q] = len(hit)
            rows.append({"model_id": m, "model": labels.model(m), "component_id": q,
                         "component": labels.component(q), "n_studies": len(hit),
                         "studies": "; ".join(names)})
    table = pd.DataFrame(rows, columns=["model_id", "model", "component_id", "component", "n_studies",
                                        "studies"])
    return HeatData(counts, table, totals)


def draw_model_by_dimension(data: HeatData, labels: ChartLabels):
    """Heat map; returns (figure, {svg group id: hover text}) for :func:`add_svg_titles`."""
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap, Normalize
    from matplotlib.patches import Rectangle

    lang = labels.lang
    models, comps = list(data.counts.index), list(data.counts.columns)
    n_r, n_c = len(models), len(comps)
    vmax = max(1, int(data.counts.to_numpy().max()))
    # Skip the near-white and near-black ends, so an empty cell still reads as a cell and a full
    # one keeps its number legible; the colour bar uses the same map.
    cmap = ListedColormap(colormaps[HEAT_CMAP](np.linspace(0.06, 0.95, 256)))
    norm = Normalize(vmin=0, vmax=vmax)
    fig, ax = plt.subplots(figsize=(2.4 + 1.05 * n_c, 1.6 + 0.62 * n_r))
    titles: dict[str, str] = {}
    cells = data.table.set_index(["model_id", "component_id"])
    for i, m in enumerate(models):
        for j, q in enumerate(comps):
            v = int(data.counts.loc[m, q])
            colour = cmap(norm(v))
            gid = f"cell-{m}-{q}"
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=colour, edgecolor="white", linewidth=1.5,
                                   gid=gid))
            r, g, b, _ = colour
            dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5
            ax.text(j + 0.5, i + 0.5, str(v), ha="center", va="center", fontsize=FONT + 1.5,
                    color="white" if dark else "black", fontweight="bold", gid=f"{gid}-n")
            studies = cells.loc[(m, q), "studies"]
            titles[gid] = (f"{labels.model(m)} × {labels.component(q)}: {v} "
                           f"{text('studies', lang).lower()}" + (f"\n{studies}" if studies else ""))
            titles[f"{gid}-n"] = titles[gid]   # the number sits on top of the cell
    ax.set_xlim(0, n_c)
    ax.set_ylim(n_r, 0)
    ax.set_xticks([j + 0.5 for j in range(n_c)])
    ax.set_xticklabels([_wrap(labels.component(q), 15) for q in comps], fontsize=FONT)
    ax.xaxis.tick_top()
    ax.set_yticks([i + 0.5 for i in range(n_r)])
    ax.set_yticklabels([_wrap(f"{labels.model(m)} (n\u00a0=\u00a0{data.model_totals.get(m, 0)})", 26)
                        for m in models], fontsize=FONT)
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    ax.set_ylabel(text("model", lang), fontsize=FONT + 0.5)
    ax.set_xlabel(text("component", lang), fontsize=FONT + 0.5, labelpad=8)
    ax.xaxis.set_label_position("top")
    sm = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    cb = fig.colorbar(sm, ax=ax, fraction=0.035, pad=0.02)
    cb.set_label(text("n_studies", lang), fontsize=FONT)
    cb.ax.tick_params(labelsize=FONT - 0.5)
    cb.locator = plt.MaxNLocator(integer=True)
    cb.update_ticks()
    fig.tight_layout()
    return fig, titles


# ---------------------------------------------------------------------------------------------
# Evidence map: study × component, grouped by model.

def evidence_groups(ext: pd.DataFrame, labels: ChartLabels) -> list[tuple[str, str, pd.DataFrame]]:
    """(group key, label, studies) by the study's model(s), in the protocol's order of models."""
    order = labels.order("models")
    rank = {m: i for i, m in enumerate(order)}

    def key_of(v: str) -> str:
        ids = sorted(split_ids(v), key=lambda m: (rank.get(m, len(rank)), m))
        return "; ".join(ids) or "unclear"

    ext = ext.assign(map_group=ext.models.map(key_of), map_label=[study_label(r._asdict())
                                                            for r in ext.itertuples(index=False)])
    groups = []
    # Single models first in the protocol's order, then combinations, "unclear" last.
    keys = sorted(ext.map_group.unique(), key=lambda k: (k == "unclear", k.count(";"),
                                                         [rank.get(m, len(rank)) for m in k.split("; ")]))
    for k in keys:
        part = ext[ext.map_group == k].copy()
        part["map_year"] = pd.to_numeric(part.year, errors="coerce")
        part = part.sort_values(["map_year", "map_label"], key=lambda s: s.map(_sort_key) if s.name == "map_label"
                                else s, kind="stable")
        groups.append((k, " + ".join(labels.model(m) for m in k.split("; ")), part))
    return groups


def draw_evidence_map(ext: pd.DataFrame, labels: ChartLabels):
    """Dot matrix; returns (figure, {svg group id: hover text with the study's findings})."""
    import matplotlib.pyplot as plt

    lang = labels.lang
    comps = [q.id for q in labels.protocol.quality_dimensions]
    groups = evidence_groups(ext, labels)
    n_rows = sum(len(g[2]) + 1 for g in groups) + 1
    fig, ax = plt.subplots(figsize=(3.0 + 0.95 * len(comps), 1.7 + 0.24 * n_rows))
    titles: dict[str, str] = {}
    y = 0
    ytick, ylabels = [], []
    for gi, (key, label, part) in enumerate(groups):
        colour, marker = OKABE_ITO[gi % len(OKABE_ITO)], MARKERS[gi % len(MARKERS)]
        # The group's marker before its name stands in for a legend.
        ax.plot([-0.38], [y], marker=marker, color=colour, markeredgecolor="black", markeredgewidth=0.5,
                markersize=7.5, linestyle="", clip_on=False)
        ax.text(-0.25, y, f"{label} (n\u00a0=\u00a0{len(part)})", ha="left", va="center", fontsize=FONT,
                fontweight="bold", gid=f"group-{key.replace('; ', '+')}")
        ax.axhline(y - 0.5, color="#888888", lw=0.6)
        y += 1
        for r in part.itertuples(index=False):
            row = r._asdict()
            ytick.append(y)
            ylabels.append(row["map_label"])
            for j, q in enumerate(comps):
                ax.plot([j], [y], marker=".", color="#d0d0d0", markersize=3, zorder=1)
                if row[f"q_{q}"]:
                    gid = f"dot-{row['study_id']}-{q}"
                    ax.plot([j], [y], marker=marker, color=colour, markeredgecolor="black",
                            markeredgewidth=0.5, markersize=7.5, linestyle="", zorder=3, gid=gid)
                    findings = str(row.get(f"q_{q}_findings", "") or "").replace(" | ", "\n• ")
                    if len(findings) > 600:
                        findings = findings[:597] + "…"
                    titles[gid] = (f"{row['map_label']} – {labels.component(q)}"
                                   + (f"\n• {findings}" if findings else ""))
            y += 1
    # Totals per component, over all studies.
    ax.axhline(y - 0.5, color="#888888", lw=0.6)
    ytick.append(y)
    ylabels.append(text("n_studies", lang))
    for j, q in enumerate(comps):
        ax.text(j, y, str(int(ext[f"q_{q}"].sum())), ha="center", va="center", fontsize=FONT,
                fontweight="bold", gid=f"total-{q}")
    ax.set_xlim(-0.5, len(comps) - 0.5)
    ax.set_ylim(y + 0.6, -0.6)
    ax.set_xticks(range(len(comps)))
    ax.set_xticklabels([_wrap(labels.component(q), 14) for q in comps], fontsize=FONT)
    ax.xaxis.tick_top()
    ax.set_yticks(ytick)
    ax.set_yticklabels(ylabels, fontsize=FONT)
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    fig.tight_layout()
    return fig, titles


# ---------------------------------------------------------------------------------------------
# Publication types over time.

def publications_by_year(ext: pd.DataFrame, labels: ChartLabels) -> pd.DataFrame:
    """Rows: every year from the first to the last; columns: publication types (form order)."""
    years = pd.to_numeric(ext.year, errors="coerce")
    if years.isna().any():
        bad = ext.study_id[years.isna()].iloc[0]
        raise ValidationError(f"extraction.csv: study {bad!r} has no year; add citation.year to its file")
    types = _order(list(ext.publication_type.unique()), labels.order("publication_type"))
    table = pd.crosstab(years.astype(int), ext.publication_type).reindex(columns=types, fill_value=0)
    full = range(int(years.min()), int(years.max()) + 1)
    table = table.reindex(full, fill_value=0)
    table.index.name = "year"
    return table


def draw_publications_over_time(table: pd.DataFrame, labels: ChartLabels):
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    lang = labels.lang
    fig, ax = plt.subplots(figsize=(max(6.0, 0.32 * len(table) + 2.5), 3.6))
    bottom = pd.Series(0, index=table.index)
    for k, col in enumerate(table.columns):
        ax.bar(table.index, table[col], bottom=bottom, color=OKABE_ITO[k % len(OKABE_ITO)],
               hatch=HATCHES[k % len(HATCHES)], edgecolor="black", linewidth=0.5,
               label=labels.value("publication_type", col), gid=f"bars-{col}")
        bottom = bottom + table[col]
    for x, total in bottom.items():
        if total:
            ax.text(x, total + 0.05, str(int(total)), ha="center", va="bottom", fontsize=FONT - 0.5)
    ax.set_xticks(list(table.index))
    ax.set_xticklabels([str(y) for y in table.index], rotation=90, fontsize=FONT - 0.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(1, int(bottom.max())) + 0.8)
    ax.set_xlabel(text("year", lang), fontsize=FONT)
    ax.set_ylabel(text("n_studies", lang), fontsize=FONT)
    ax.tick_params(labelsize=FONT - 0.5)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(title=text("publication_type", lang), fontsize=FONT - 0.5, title_fontsize=FONT,
              frameon=False, loc="upper left")
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------
# Methods, perspectives and service areas.

def characteristics(ext: pd.DataFrame, labels: ChartLabels) -> pd.DataFrame:
    """Long table: characteristic, value_id, value, n_studies (perspectives count each one named)."""
    rows = []
    for col in ("method_class", "perspectives", "service_area"):
        ids = [v for cell in ext[col] for v in split_ids(cell)]
        order = _order(ids, labels.order(col))
        for vid in order:
            rows.append({"characteristic": text(col, labels.lang), "column": col, "value_id": vid,
                         "value": labels.value(col, vid), "n_studies": sum(1 for v in ids if v == vid)})
    return pd.DataFrame(rows, columns=["characteristic", "column", "value_id", "value", "n_studies"])


def draw_study_characteristics(table: pd.DataFrame, labels: ChartLabels, n_studies: int):
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    cols = list(dict.fromkeys(table.column))
    heights = [max(2, (table.column == c).sum()) for c in cols]
    fig, axes = plt.subplots(len(cols), 1, figsize=(6.4, 1.0 + 0.42 * sum(heights)),
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    vmax = max(1, int(table.n_studies.max()))
    for ax, col in zip(axes[:, 0], cols):
        part = table[table.column == col]
        ypos = range(len(part))
        ax.barh(list(ypos), part.n_studies, color=BAR_COLOUR, edgecolor="black", linewidth=0.5,
                gid=f"bars-{col}")
        for yy, n in zip(ypos, part.n_studies):
            ax.text(n + vmax * 0.01, yy, str(int(n)), va="center", ha="left", fontsize=FONT,
                    gid=f"n-{col}-{part.value_id.iloc[yy]}")
        ax.set_yticks(list(ypos))
        ax.set_yticklabels([_wrap(v, 28) for v in part.value], fontsize=FONT)
        ax.set_ylim(len(part) - 0.4, -0.6)
        ax.set_xlim(0, vmax * 1.12)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.tick_params(labelsize=FONT - 0.5)
        ax.set_title(text(col, labels.lang), fontsize=FONT + 1, loc="left", fontweight="bold")
        ax.spines[["top", "right"]].set_visible(False)
    axes[-1, 0].set_xlabel(f"{text('n_studies', labels.lang)} (N = {n_studies})", fontsize=FONT)
    fig.tight_layout()
    return fig
