"""``review screening ...``: record a decision, import Rayyan or ASReview decisions, write the tables.

Examples::

    review screening record --review . w_1a2b demo_a title_abstract exclude --reason not_norway
    review screening resolve --review . w_1a2b demo_c title_abstract include --note "agreed at meeting"
    review screening import-rayyan --review . --stage title_abstract rayyan/articles.csv \\
        --reviewer "Anne Marie Øydgard=demo_a" --reason "wrong population=no_staff_experience"
    review screening import-asreview --review . --reviewer demo_a asreview_export.csv
    review screening tables --review .
"""
from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import ReviewError


def _pairs(values: list[str] | None, what: str) -> dict[str, str]:
    out = {}
    for v in values or []:
        if "=" not in v:
            raise ReviewError(f"--{what} {v!r}: write it as 'text=id'")
        k, _, id_ = v.rpartition("=")
        out[k.strip()] = id_.strip()
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="screening_command", required=True)

    def common(p):
        p.add_argument("--review", default=".", type=Path, help="review folder with protocol.yaml (default: .)")
        p.add_argument("--out", default=None, type=Path, help="output folder (default: REVIEW/output)")

    for name, help_text in (("record", "append one reviewer's decision"),
                            ("resolve", "append a conflict resolution (resolver id, or a+b for the pair)")):
        p = sub.add_parser(name, help=help_text)
        common(p)
        p.add_argument("work_id")
        p.add_argument("reviewer")
        p.add_argument("stage", choices=["title_abstract", "full_text"])
        p.add_argument("decision", choices=["include", "exclude", "maybe", "undo"])
        p.add_argument("--reason", default=None)
        p.add_argument("--note", default=None)

    p = sub.add_parser("import-rayyan", help="append decisions from a Rayyan export (articles.csv)")
    common(p)
    p.add_argument("articles", type=Path)
    p.add_argument("--stage", required=True, choices=["title_abstract", "full_text"])
    p.add_argument("--log", type=Path, default=None, help="customizations_log.csv (default: beside articles.csv)")
    p.add_argument("--reviewer", action="append", metavar="NAME=ID", help="map a Rayyan name to a reviewer id")
    p.add_argument("--reason", action="append", metavar="TEXT=ID", help="map a Rayyan reason to a reason id")
    p.add_argument("--dry-run", action="store_true", help="check and count, write nothing")

    p = sub.add_parser("import-asreview", help="append decisions from an ASReview export (CSV or XLSX)")
    common(p)
    p.add_argument("export", type=Path)
    p.add_argument("--reviewer", required=True, help="the reviewer id who screened in ASReview")
    p.add_argument("--stage", default="title_abstract", choices=["title_abstract", "full_text"])
    p.add_argument("--dry-run", action="store_true")

    p = sub.add_parser("tables", help="write status, counts, agreement, conflicts and included works")
    common(p)


def run(args) -> int:
    from .store import UNDO, DecisionStore
    from .tables import build_tables, load_pool

    out = args.out or args.review / "output"
    store = DecisionStore(args.review)
    cmd = args.screening_command
    if cmd in ("record", "resolve"):
        if cmd == "resolve":
            row = store.resolve(args.work_id, args.reviewer, args.stage, args.decision, args.reason, args.note)
        elif args.decision == UNDO:
            row = store.undo(args.work_id, args.reviewer, args.stage, note=args.note)
        else:
            row = store.append(args.work_id, args.reviewer, args.stage, args.decision, args.reason, args.note)
        print(f"review: recorded {row['decision']} on {row['work_id']} by {row['reviewer']} at {row['stage']}")
        return 0
    if cmd == "import-rayyan":
        from .import_rayyan import import_rayyan

        result = import_rayyan(store, args.articles, args.stage, load_pool(out), log_csv=args.log,
                               reviewer_map=_pairs(args.reviewer, "reviewer"),
                               reason_map=_pairs(args.reason, "reason"), write=not args.dry_run)
    elif cmd == "import-asreview":
        from .import_asreview import import_asreview

        result = import_asreview(store, args.export, args.stage, args.reviewer, load_pool(out),
                                 write=not args.dry_run)
    else:
        t = build_tables(args.review, out, store=store)
        c = dict(zip(t.result.counts["measure"], t.result.counts["value"]))
        print(f"review: screening tables written to {Path(out) / 'tables'}: "
              f"{c['studies_included']} included, {c['records_pending']} records and "
              f"{c['reports_pending']} reports pending, {len(t.result.conflicts)} conflicts")
        for w in t.result.warnings + [str(p) for p in t.problems]:
            print(f"review: warning: {w}")
        return 0
    for u in result.unmatched:
        print(f"review: not imported: {u}")
    verb = "would append" if args.dry_run else "appended"
    print(f"review: {verb} {len(result.rows)} decisions; {len(result.unmatched)} records matched no work")
    return 0
