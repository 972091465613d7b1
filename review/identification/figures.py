"""Figures and summary tables for the identification part of the report."""
from __future__ import annotations

import pandas as pd

from ..lang import pick

# Okabe–Ito: distinguishable with the common colour-vision deficiencies; hatching adds a second cue.
READ_COLOUR = "#0072B2"
RECORDED_COLOUR = "#E69F00"

LABELS = {
    "nb": {"read": "Poster lest fra eksportfilen", "recorded": "Treff notert av søkeren",
           "x": "Antall", "none": "ikke notert", "title": "Poster per kilde"},
    "en": {"read": "Records read from the export", "recorded": "Hits recorded by the searcher",
           "x": "Number", "none": "not recorded", "title": "Records per source"},
}


def records_per_source_figure(log: pd.DataFrame, *, lang: str = "nb"):
    """Horizontal paired bars per source (protocol order, top to bottom): read vs recorded."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    text = pick(LABELS, lang)
    n = len(log)
    fig, ax = plt.subplots(figsize=(8, 0.55 * n + 1.4))
    ys = list(range(n))[::-1]
    height = 0.38
    read = log["records_read"].astype(int).tolist()
    recorded = log["hits_recorded"].tolist()
    ax.barh([y + height / 2 for y in ys], read, height, color=READ_COLOUR, label=text["read"])
    rec_vals = [0 if pd.isna(v) else int(v) for v in recorded]
    ax.barh([y - height / 2 for y in ys], rec_vals, height, color=RECORDED_COLOUR, hatch="//",
            edgecolor="white", linewidth=0, label=text["recorded"])
    top = max(read + rec_vals + [1])
    for y, r, v in zip(ys, read, recorded):
        ax.text(r + top * 0.01, y + height / 2, str(r), va="center", fontsize=8)
        label = text["none"] if pd.isna(v) else str(int(v))
        ax.text((0 if pd.isna(v) else int(v)) + top * 0.01, y - height / 2, label, va="center", fontsize=8,
                style="italic" if pd.isna(v) else "normal")
    ax.set_yticks(ys)
    ax.set_yticklabels(log["source_name"].tolist())
    ax.set_xlim(0, top * 1.15)
    ax.set_xlabel(text["x"])
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def dedup_summary(records: pd.DataFrame, works: pd.DataFrame) -> pd.DataFrame:
    """``measure, value`` rows: records in, works out, duplicates removed, works by route."""
    n_records = len(records)
    n_works = len(works)
    members = pd.to_numeric(works["n_members"], errors="coerce") if "n_members" in works else pd.Series(dtype=float)
    multi_source = 0
    if "sources" in works:
        multi_source = int(works["sources"].fillna("").map(lambda s: len([x for x in str(s).split(";") if x.strip()]) > 1).sum())
    rows = [
        ("records_read", n_records),
        ("works_after_deduplication", n_works),
        ("duplicate_records_removed", n_records - n_works),
        ("works_with_more_than_one_record", int((members > 1).sum())),
        ("works_found_in_more_than_one_source", multi_source),
    ]
    if "route" in works:
        for route in ("database", "other"):
            rows.append((f"works_route_{route}", int((works["route"] == route).sum())))
    return pd.DataFrame(rows, columns=["measure", "value"])
