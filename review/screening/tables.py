"""Stage 2's outputs: status, PRISMA counts, agreement, conflicts, included works (CSV and RIS)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import MissingInputError
from ..outputs import save_table
from ..paths import OutputPaths
from .agreement import agreement_table
from .export_ris import export_ris
from .status import ScreeningResult, screening_status
from .store import DecisionStore, LoadProblem

BIBLIO_COLUMNS = ["work_id", "route", "sources", "title", "authors", "year", "container", "volume", "issue",
                  "pages", "doi", "issn", "isbn", "url", "pub_type", "language", "abstract"]


def load_pool(out_dir: str | Path) -> pd.DataFrame:
    """output/tables/screening_pool.csv, as written by stage 1."""
    path = OutputPaths.of(out_dir).tables / "screening_pool.csv"
    if not path.exists():
        raise MissingInputError(f"{path}: no screening pool; run the identification notebook "
                                "(01_identification) first, or `review run`")
    pool = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if "work_id" not in pool.columns:
        raise MissingInputError(f"{path}: has no work_id column; re-run the identification notebook")
    if "route" not in pool.columns:
        pool["route"] = "database"
    pool["route"] = pool["route"].replace("", "database")
    return pool


@dataclass
class ScreeningTables:
    result: ScreeningResult
    agreement: pd.DataFrame
    included: pd.DataFrame
    decisions: pd.DataFrame
    problems: list[LoadProblem] = field(default_factory=list)


def decision_summary(store: DecisionStore) -> pd.DataFrame:
    """Standing decisions per stage, decision and reason (for the report figure)."""
    frames = []
    for stage in [s.id for s in store.protocol.screening.stages]:
        d = store.decisions(stage)
        if not d.empty:
            frames.append(d.assign(stage=stage))
    if not frames:
        return pd.DataFrame(columns=["stage", "decision", "reason", "n"])
    d = pd.concat(frames)
    d["reason"] = d["reason"].fillna("")
    out = d.groupby(["stage", "decision", "reason"]).size().reset_index(name="n")
    return out.sort_values(["stage", "decision", "reason"]).reset_index(drop=True)


def build_tables(review_dir: str | Path, out_dir: str | Path, pool: pd.DataFrame | None = None,
                 store: DecisionStore | None = None, *, write: bool = True) -> ScreeningTables:
    """Compute every stage-2 table and (with ``write``) save them in ``out_dir/tables``."""
    out = OutputPaths.of(out_dir).ensure()
    store = store or DecisionStore(review_dir)
    pool = load_pool(out_dir) if pool is None else pool
    problems: list[LoadProblem] = []
    stages = [s.id for s in store.protocol.screening.stages]
    for stage in stages:
        problems += store.load(stage).problems + store.load(stage, resolutions=True).problems
    result = screening_status(pool, store)
    # Agreement over the decisions that count: works in the pool, and at title/abstract database works only.
    ids = set(pool["work_id"].astype(str))
    ta_ids = set(pool.loc[pool["route"] != "other", "work_id"].astype(str)) if "route" in pool else ids
    agreement = agreement_table({s: (d := store.decisions(s))[d["work_id"].isin(ta_ids if s == "title_abstract" else ids)]
                                 for s in stages})
    included_ids = set(result.status.loc[result.status["final"] == "included", "work_id"])
    cols = [c for c in BIBLIO_COLUMNS if c in pool.columns]
    included = (pool[pool["work_id"].astype(str).isin(included_ids)][cols]
                .sort_values("work_id").reset_index(drop=True))
    summary = decision_summary(store)
    if write:
        save_table(result.status, "screening_status", out.tables)
        save_table(result.counts, "screening_counts", out.tables)
        save_table(agreement, "agreement", out.tables)
        save_table(result.conflicts, "conflicts", out.tables, xlsx=True, wrap_columns=["title", "decisions"])
        save_table(included, "included", out.tables, xlsx=True, wrap_columns=["title", "abstract"])
        export_ris(included, out.tables / "included.ris",
                   note=f"Included in: {store.protocol.title.en}")
    return ScreeningTables(result, agreement, included, summary, problems)


DECISION_LABELS = {"nb": {"include": "inkluder", "maybe": "kanskje", "exclude": "ekskluder"},
                   "en": {"include": "include", "maybe": "maybe", "exclude": "exclude"}}


def decisions_figure(summary: pd.DataFrame, protocol, lang: str = "nb"):
    """Horizontal bars: standing decisions per stage, exclusions split by reason."""
    import matplotlib.pyplot as plt

    from .store import reason_labels

    labels = []
    values = []
    words = DECISION_LABELS[lang if lang in DECISION_LABELS else "en"]
    order = {d: i for i, d in enumerate(words)}
    for s in protocol.screening.stages:
        part = summary[summary["stage"] == s.id]
        part = part.assign(_o=part["decision"].map(order)).sort_values(["_o", "reason"])
        names = reason_labels(protocol, s.id, lang)
        for row in part.itertuples(index=False):
            word = words.get(row.decision, row.decision)
            what = word if not row.reason else f"{word}: {names.get(row.reason, row.reason)}"
            labels.append(f"{s.label(lang)} – {what}")
            values.append(int(row.n))
    fig, ax = plt.subplots(figsize=(8, 0.35 * max(len(labels), 2) + 1))
    if labels:
        y = list(range(len(labels)))[::-1]
        ax.barh(y, values, color="#0b5394")
        ax.set_yticks(y, labels)
        for yi, v in zip(y, values):
            ax.text(v, yi, f" {v}", va="center")
    else:
        ax.text(0.5, 0.5, "No decisions yet", ha="center", va="center", transform=ax.transAxes)
        ax.set_yticks([])
    ax.set_xlabel("Decisions (reviewers' standing decisions)" if lang == "en"
                  else "Beslutninger (screenernes gjeldende beslutninger)")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig

