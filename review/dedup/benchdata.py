"""Benchmark sets (``records_pre_merged.csv`` + ``merged_record_ids.csv``) and their scoring."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

import pandas as pd

from review.errors import MissingInputError, ValidationError

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


REVIEW_COLUMNS = ["set", "record_id_a", "record_id_b", "labels", "verdict", "kind", "evidence"]


def default_label_review() -> Path:
    """``<repo>/benchmarks/dedup_label_review.csv``: the hand verdicts on disputed pairs."""
    return Path(__file__).resolve().parents[2] / "benchmarks" / "dedup_label_review.csv"


def load_label_review(path: Path) -> dict[str, dict[tuple[str, str], str]]:
    """{set: {(id_a, id_b) sorted: "same" | "different"}} from the label review file.

    Each row is one pair that a tool and the labels disagree on, looked at by hand: ``labels``
    says what ``merged_record_ids.csv`` says, ``verdict`` what the records show.
    """
    import csv
    path = Path(path)
    if not path.exists():
        raise MissingInputError(f"{path}: label review not found (pass --label-review FILE)")
    out: dict[str, dict[tuple[str, str], str]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != REVIEW_COLUMNS:
            raise ValidationError(f"{path}: line 1: header must be {','.join(REVIEW_COLUMNS)}, "
                                  f"found {','.join(reader.fieldnames or [])}")
        for line, row in enumerate(reader, start=2):
            for col in ("labels", "verdict"):
                if row[col] not in ("same", "different"):
                    raise ValidationError(f"{path}: line {line}: {col} must be 'same' or 'different', "
                                          f"found {row[col]!r}")
            if not row["evidence"].strip():
                raise ValidationError(f"{path}: line {line}: a verdict needs its evidence")
            a, b = sorted((row["record_id_a"], row["record_id_b"]))
            out.setdefault(row["set"], {})[(a, b)] = row["verdict"]
    return out


def check_review_against_labels(path: Path, set_name: str, truth: list[list[str]]) -> None:
    """The review's ``labels`` column must still say what the labels say (a stale file misleads)."""
    import csv
    group = {x: k for k, g in enumerate(truth) for x in g}
    with Path(path).open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            if row["set"] != set_name:
                continue
            a, b = row["record_id_a"], row["record_id_b"]
            said = "same" if a in group and group.get(a) == group.get(b) else "different"
            if row["labels"] != said:
                raise ValidationError(f"{path}: line {line}: {set_name} {a}-{b}: the labels say "
                                      f"{said!r}, the review says {row['labels']!r}; update the row")


def _pairs(groups) -> set[tuple[str, str]]:
    out = set()
    for g in groups:
        for a, b in itertools.combinations(sorted(set(g)), 2):
            out.add((a, b))
    return out


def evaluate(all_ids: list[str], predicted: list[list[str]], truth: list[list[str]],
             review: dict[tuple[str, str], str] | None = None) -> dict:
    """Pairwise precision/recall/F1 and record-level sensitivity/specificity.

    With ``review`` (hand verdicts on pairs), also ``*_checked`` pairwise figures against the
    labels with those verdicts applied, and the false positives/negatives nobody has reviewed.

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
    checked = {}
    if review is not None:
        truth_c = ((true_pairs - {p for p, v in review.items() if v == "different"})
                   | {p for p, v in review.items() if v == "same"})
        tp_c = len(tp_pairs & truth_c)
        pc = tp_c / len(tp_pairs) if tp_pairs else 1.0
        rc = tp_c / len(truth_c) if truth_c else 1.0
        checked = {"precision_checked": pc, "recall_checked": rc,
                   "f1_checked": 2 * pc * rc / (pc + rc) if pc + rc else 0.0,
                   "pairs_true_checked": len(truth_c),
                   "unreviewed_false_positive_pairs": sorted(tp_pairs - true_pairs - set(review)),
                   "unreviewed_false_negative_pairs": sorted(true_pairs - tp_pairs - set(review))}
    return {"precision": precision, "recall": recall, "f1": f1, **checked,
            "sensitivity": correct / true_removals if true_removals else 1.0,
            "specificity": (keep - fp) / keep if keep else 1.0,
            "pairs_predicted": len(tp_pairs), "pairs_true": len(true_pairs), "pairs_correct": tp,
            "false_positive_pairs": sorted(tp_pairs - true_pairs),
            "false_negative_pairs": sorted(true_pairs - tp_pairs)}


def groups_from_works(works: pd.DataFrame) -> list[list[str]]:
    return [m.split("; ") for m in works["member_ids"]]


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)
