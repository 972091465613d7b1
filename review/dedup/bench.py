"""``review bench dedup``: accuracy, time and peak memory against bib-dedupe on the public sets.

Each tool runs on each set in its own child process (``python -m review.dedup.bench --child``), so
the peak memory of one run does not hide in another's. Peak memory is the larger of
(a) the child's own ``ru_maxrss`` plus the ``ru_maxrss`` of its children (bib-dedupe starts worker
processes), and (b) the highest sum of VmRSS over the child's process tree, sampled every 50 ms
from /proc by the parent. Seconds are the wall time of the deduplication call alone (reading the
CSV and importing the libraries are not counted; both tools are timed the same way).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from review.dedup.benchdata import (
    SETS,
    check_review_against_labels,
    default_benchmark_dir,
    default_label_review,
    evaluate,
    load_bibdedupe_frame,
    load_label_review,
    load_truth,
    to_records,
)
from review.errors import MissingInputError

TOOLS = ("review", "bib-dedupe")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("datasets", nargs="*", type=Path,
                        help="benchmark folders (records_pre_merged.csv + merged_record_ids.csv); "
                             "default: the five public sets in <repo>/../shared/benchmarks/dedup")
    parser.add_argument("--vs", choices=["bib-dedupe", "none"], default="bib-dedupe",
                        help="also run this tool in the same run (default: bib-dedupe)")
    parser.add_argument("--json", type=Path, default=None, help="write one object per set and tool here")
    parser.add_argument("--label-review", type=Path, default=None, metavar="FILE",
                        help="hand verdicts on pairs the labels get wrong, for the 'checked' figures "
                             "(default: benchmarks/dedup_label_review.csv; 'none' to skip)")
    parser.add_argument("--scale", type=int, default=None, metavar="N",
                        help="instead: deduplicate N records made from the public sets' real records "
                             "with controlled perturbations (see docs/dedup.md)")
    parser.add_argument("--seed", type=int, default=20240601, help="seed for --scale perturbations")


# --- child side --------------------------------------------------------------------------------

def _child(tool: str, set_dir: str, out: str) -> None:
    import pandas as pd
    if set_dir.endswith(".pkl"):
        raw = pd.read_pickle(set_dir)
    else:
        raw = load_bibdedupe_frame(Path(set_dir))
    if tool == "review":
        from review.dedup import deduplicate
        recs = to_records(raw)
        del raw
        t0 = time.perf_counter()
        result = deduplicate(recs, workers=-1)
        seconds = time.perf_counter() - t0
        groups = [m.split("; ") for m in result.works["member_ids"] if "; " in m]
    else:
        from bib_dedupe.bib_dedupe import block, cluster, match, prep
        t0 = time.perf_counter()
        prepped = prep(raw, verbosity_level=0)
        matched = match(block(prepped, verbosity_level=0), verbosity_level=0)
        groups = [sorted(g) for g in cluster(matched, verbosity_level=0)]
        seconds = time.perf_counter() - t0
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    Path(out).write_text(json.dumps({"seconds": seconds, "groups": groups,
                                     "maxrss_mb": (self_kb + child_kb) / 1024}))


# --- parent side -------------------------------------------------------------------------------

def _tree_rss_mb(pid: int) -> float:
    """Sum of VmRSS over pid and its descendants (Linux /proc/<pid>/task/*/children)."""
    total, stack, seen = 0, [pid], set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/status") as fh:
                m = re.search(r"^VmRSS:\s+(\d+)", fh.read(), re.M)
            total += int(m.group(1)) if m else 0
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return total / 1024


def run_tool(tool: str, data: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        env = dict(os.environ, PYTHONHASHSEED="0")
        proc = subprocess.Popen([sys.executable, "-m", "review.dedup.bench", "--child", tool, data, str(out)],
                                env=env)
        peak = 0.0
        while proc.poll() is None:
            peak = max(peak, _tree_rss_mb(proc.pid))
            time.sleep(0.05)
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"{tool} failed on {data} (exit {proc.returncode})")
        res = json.loads(out.read_text())
    res["peak_mb"] = max(peak, res.pop("maxrss_mb"))
    return res


def _fmt(r: dict) -> str:
    return (f"{r['tool']:<11} P={r['precision']:.4f} R={r['recall']:.4f} F1={r['f1']:.4f} "
            f"sens={r['sensitivity']:.4f} spec={r['specificity']:.4f} "
            f"{r['seconds']:7.2f} s  peak {r['peak_mb']:6.0f} MB")


def _fmt_checked(r: dict) -> str:
    unrev = len(r["unreviewed_false_positive_pairs"])
    return (f"{'':<11} checked labels: P={r['precision_checked']:.4f} R={r['recall_checked']:.4f} "
            f"F1={r['f1_checked']:.4f}  ({unrev} false positive pair{'s' * (unrev != 1)} not reviewed)")


# The targets: precision, recall against bib-dedupe, recall on the hard sets.
MIN_PRECISION = 0.999
HARD_SETS = {"haematology": 0.95, "respiratory": 0.95}


def target_report(rows: list[dict]) -> list[str]:
    """One line per target and set, against the labels and (when reviewed) the checked labels."""
    views = [("labels", "")]
    if any("precision_checked" in r for r in rows):
        views.append(("checked", "_checked"))
    out = ["targets (labels | checked labels):"]
    for s in dict.fromkeys(r["set"] for r in rows):
        ours = next(r for r in rows if r["set"] == s and r["tool"] == "review")
        theirs = next((r for r in rows if r["set"] == s and r["tool"] == "bib-dedupe"), None)
        checks = [(f"precision >= {MIN_PRECISION}", lambda r, x: r["precision" + x] >= MIN_PRECISION)]
        if theirs is not None:
            checks.append(("recall >= bib-dedupe's", lambda r, x: r["recall" + x] >= theirs["recall" + x]))
        if s in HARD_SETS:
            checks.append((f"recall >= {HARD_SETS[s]}", lambda r, x: r["recall" + x] >= HARD_SETS[s]))
        for what, ok in checks:
            verdicts = " | ".join(("met" if ok(ours, x) else "NOT met") for _, x in views)
            out.append(f"  {s:<13} {what:<24} {verdicts}")
        unrev = ours.get("unreviewed_false_positive_pairs")
        if unrev:
            out.append(f"  {s:<13} {len(unrev)} false positive pairs not in the label review: "
                       + ", ".join("-".join(p) for p in unrev[:5]))
    return out


def run(args) -> int:
    if getattr(args, "scale", None):
        return run_scale(args)
    dirs = list(args.datasets) or [default_benchmark_dir() / s for s in SETS]
    for d in dirs:
        if not (Path(d) / "records_pre_merged.csv").exists():
            raise MissingInputError(f"{d}: no records_pre_merged.csv here; pass benchmark folders such as "
                                    f"{default_benchmark_dir() / 'stroke'}")
    tools = ["review"]
    if args.vs == "bib-dedupe":
        import importlib.util
        if importlib.util.find_spec("bib_dedupe") is None:
            print("bib-dedupe is not installed (an optional benchmark dependency: "
                  "`uv sync --group bench`); running review.dedup alone")
        else:
            tools.append("bib-dedupe")
    review_path = args.label_review or default_label_review()
    reviews = None if str(review_path) == "none" else load_label_review(review_path)
    rows = []
    for d in dirs:
        name = Path(d).name
        raw = load_bibdedupe_frame(Path(d))
        truth = load_truth(Path(d))
        review = None
        if reviews is not None:
            check_review_against_labels(review_path, name, truth)
            review = reviews.get(name, {})
        print(f"{name}: {len(raw)} records", flush=True)
        for tool in tools:
            res = run_tool(tool, str(d))
            m = evaluate(raw["ID"].tolist(), res["groups"], truth, review)
            row = {"set": name, "tool": tool, "records": len(raw),
                   **{k: m[k] for k in ("precision", "recall", "f1", "sensitivity", "specificity",
                                        "pairs_predicted", "pairs_true", "pairs_correct")},
                   "false_positive_pairs": m["false_positive_pairs"],
                   "seconds": res["seconds"], "peak_mb": res["peak_mb"]}
            if review is not None:
                row.update({k: v for k, v in m.items() if k.endswith("_checked") or k.startswith("unreviewed")})
            rows.append(row)
            print("  " + _fmt(row), flush=True)
            if review is not None:
                print("  " + _fmt_checked(row), flush=True)
    print("all sets together:")
    for tool in tools:
        rs = [r for r in rows if r["tool"] == tool]
        print(f"  {tool:<11} {sum(r['seconds'] for r in rs):7.2f} s  max peak {max(r['peak_mb'] for r in rs):6.0f} MB")
    if len(tools) == 2:
        ours = sum(r["seconds"] for r in rows if r["tool"] == "review")
        theirs = sum(r["seconds"] for r in rows if r["tool"] == "bib-dedupe")
        print(f"  speed-up: {theirs / ours:.1f}x")
    for line in target_report(rows):
        print(line)
    if args.json:
        from review.outputs import atomic_write_text
        atomic_write_text(args.json, json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
    return 0


# --- scale -------------------------------------------------------------------------------------

def _abbreviate_pages(p: str) -> str:
    m = re.match(r"^(\d+)-(\d+)$", p)
    if not m or len(m.group(1)) != len(m.group(2)):
        return p
    a, b = m.groups()
    k = 0
    while k < len(a) - 1 and a[k] == b[k]:
        k += 1
    return f"{a}-{b[k:]}"


PERTURBATIONS = {
    "copy": "an exact copy from a second database",
    "case_punct": "title upper-cased, punctuation dropped, trailing full stop added",
    "initials": "authors reduced to family name and initials without full stops",
    "pages_short": "page range abbreviated (123-129 -> 123-9)",
    "no_doi": "DOI and abstract removed",
    "typo": "one letter of the title replaced",
    "lang_note": "a language note appended to the title ([Norwegian])",
}


def make_scale_set(n: int, seed: int = 20240601):
    """``n`` records: every real record of the five public sets, then perturbed copies of them.

    Copies cycle through ``PERTURBATIONS`` (chosen with ``random.Random(seed)``), each copy of
    record X is labelled a duplicate of X, so the truth of the set is known.
    """
    import pandas as pd
    frames = []
    for s in SETS:
        raw = load_bibdedupe_frame(default_benchmark_dir() / s)
        raw = raw.assign(ID=s + ":" + raw["ID"])
        frames.append(raw)
    base = pd.concat(frames, ignore_index=True).fillna("")
    for c in ("ID", "ENTRYTYPE", "author", "title", "year", "journal", "volume", "number", "pages",
              "doi", "abstract", "booktitle"):
        if c not in base.columns:
            base[c] = ""
    base = base[["ID", "ENTRYTYPE", "author", "title", "year", "journal", "volume", "number", "pages",
                 "doi", "abstract", "booktitle"]].astype(str)
    rng = random.Random(seed)
    kinds = list(PERTURBATIONS)
    rows = base.to_dict("records")
    out = list(rows)
    copy_of: dict[str, str] = {}
    k = 0
    while len(out) < n:
        src = rows[rng.randrange(len(rows))]
        kind = kinds[k % len(kinds)]
        r = dict(src, ID=f"scale:{k:07d}")
        if kind == "case_punct":
            r["title"] = re.sub(r"[^\w\s]", "", r["title"]).upper() + "."
        elif kind == "initials":
            r["author"] = " and ".join(
                re.sub(r",\s*(.*)$", lambda m: ", " + "".join(w[0] for w in m.group(1).split() if w), a)
                for a in r["author"].split(" and "))
        elif kind == "pages_short":
            r["pages"] = _abbreviate_pages(r["pages"])
        elif kind == "no_doi":
            r["doi"] = ""
            r["abstract"] = ""
        elif kind == "typo" and len(r["title"]) > 20:
            pos = rng.randrange(5, len(r["title"]) - 5)
            if r["title"][pos].isalpha():
                r["title"] = r["title"][:pos] + ("e" if r["title"][pos] != "e" else "a") + r["title"][pos + 1:]
        elif kind == "lang_note":
            r["title"] = r["title"] + " [Norwegian]"
        copy_of[r["ID"]] = src["ID"]
        out.append(r)
        k += 1
    df = pd.DataFrame(out[:n])
    return df, copy_of


def run_scale(args) -> int:
    n = args.scale
    df, copy_of = make_scale_set(n, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        pkl = Path(tmp) / "scale.pkl"
        df.to_pickle(pkl)
        print(f"scale: {len(df)} records ({len(copy_of)} perturbed copies of "
              f"{len(df) - len(copy_of)} real records; seed {args.seed})", flush=True)
        res = run_tool("review", str(pkl))
    # Truth: the labelled groups of the public sets, each copy joining its source's group.
    group_of: dict[str, int] = {}
    for s in SETS:
        for g in load_truth(default_benchmark_dir() / s):
            k = len(group_of)
            for x in g:
                group_of[f"{s}:{x}"] = k
    truth: dict[object, list[str]] = {}
    for rid in df["ID"]:
        src = copy_of.get(rid, rid)
        truth.setdefault(group_of.get(src, src), []).append(rid)
    m = evaluate(df["ID"].tolist(), res["groups"], [g for g in truth.values() if len(g) > 1])
    print(f"  review      {res['seconds']:7.2f} s  peak {res['peak_mb']:6.0f} MB  "
          f"P={m['precision']:.4f} R={m['recall']:.4f} sens={m['sensitivity']:.4f} "
          f"spec={m['specificity']:.4f}")
    if args.json:
        from review.outputs import atomic_write_text
        atomic_write_text(args.json, json.dumps([{
            "set": f"scale_{n}", "tool": "review", "records": len(df), "seconds": res["seconds"],
            "peak_mb": res["peak_mb"], **{k: m[k] for k in ("precision", "recall", "f1", "sensitivity",
                                                           "specificity")}}], indent=1) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--child":
        _child(*argv[1:4])
        return 0
    parser = argparse.ArgumentParser(prog="review bench dedup", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
