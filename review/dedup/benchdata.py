"""Benchmark sets (``records_pre_merged.csv`` + ``merged_record_ids.csv``) and their scoring."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

import pandas as pd

from review.errors import MissingInputError

SETS = ["stroke", "haematology", "respiratory", "diabetes", "digital_work"]


def default_benchmark_dir() -> Path:
    """``<repo>/../shared/benchmarks/dedup`` (CI clones the repo with shared/ beside it)."""
    return Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks" / "dedup"


def _col(df: pd.DataFrame, *names: str) -> pd.Series:
    for n in names:
        if n in df.columns:
            return df[n].fillna("").astype(str)
    return pd.Series([""] * len(df), index=df.index)


def load_bibdedupe_frame(set_dir: Path) -> pd.DataFrame:
    path = Path(set_dir) / "records_pre_merged.csv"
    if not path.exists():
        raise MissingInputError(f"{path}: not found; a benchmark folder needs records_pre_merged.csv "
                                "and merged_record_ids.csv")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def to_records(raw: pd.DataFrame, source: str = "benchmark") -> pd.DataFrame:
    """The benchmark's BibTeX-like columns as the canonical record table."""
    authors = _col(raw, "author").str.replace(r"\s+and\s+", "; ", regex=True)
    journal = _col(raw, "journal")
    container = journal.where(journal != "", _col(raw, "booktitle"))
    n = len(raw)
    return pd.DataFrame({
        "record_id": _col(raw, "ID"), "source": source, "source_kind": "database",
        "file": "records_pre_merged.csv", "position": range(1, n + 1), "line": range(2, n + 2),
        "title": _col(raw, "title"), "authors": authors, "year": _col(raw, "year"),
        "container": container, "volume": _col(raw, "volume"), "issue": _col(raw, "number", "issue"),
        "pages": _col(raw, "pages"), "doi": _col(raw, "doi"), "issn": "", "isbn": _col(raw, "isbn"),
        "abstract": _col(raw, "abstract"), "keywords": "", "language": "", "url": "",
        "pub_type": _col(raw, "ENTRYTYPE"), "source_ids": "", "raw": "",
    })


def load_truth(set_dir: Path) -> list[list[str]]:
    path = Path(set_dir) / "merged_record_ids.csv"
    if not path.exists():
        raise MissingInputError(f"{path}: not found; a benchmark folder needs merged_record_ids.csv")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return [[x for x in s.split(";") if x] for s in df["merged_ids"] if s]


def _pairs(groups) -> set[tuple[str, str]]:
    out = set()
    for g in groups:
        for a, b in itertools.combinations(sorted(set(g)), 2):
            out.add((a, b))
    return out


def evaluate(all_ids: list[str], predicted: list[list[str]], truth: list[list[str]]) -> dict:
    """Pairwise precision/recall/F1 and record-level sensitivity/specificity.

    Record level: a predicted group of k records removes k-1 of them; a removal is correct when the
    group holds fewer distinct true groups than members (TP = sum over predicted groups of
    k - number of true groups among its members). Sensitivity = TP / true removals, specificity =
    TN / (TN + FP) over the records that should be kept.
    """
    tp_pairs, true_pairs = _pairs(predicted), _pairs(truth)
    tp = len(tp_pairs & true_pairs)
    precision = tp / len(tp_pairs) if tp_pairs else 1.0
    recall = tp / len(true_pairs) if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    true_of = {}
    for k, g in enumerate(truth):
        for x in g:
            true_of[x] = k
    true_removals = sum(len(g) - 1 for g in truth)
    removed = correct = 0
    for g in predicted:
        if len(g) < 2:
            continue
        removed += len(g) - 1
        distinct = len({true_of.get(x, ("single", x)) for x in g})
        correct += len(g) - distinct
    fp = removed - correct
    keep = len(all_ids) - true_removals
    return {"precision": precision, "recall": recall, "f1": f1,
            "sensitivity": correct / true_removals if true_removals else 1.0,
            "specificity": (keep - fp) / keep if keep else 1.0,
            "pairs_predicted": len(tp_pairs), "pairs_true": len(true_pairs), "pairs_correct": tp,
            "false_positive_pairs": sorted(tp_pairs - true_pairs),
            "false_negative_pairs": sorted(true_pairs - tp_pairs)}


def groups_from_works(works: pd.DataFrame) -> list[list[str]]:
    return [m.split("; ") for m in works["member_ids"]]


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)
