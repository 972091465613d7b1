"""The ``review`` command."""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from .errors import ReviewError

# Sub-commands implemented by the stage packages: (command path, module, help).
PLUGINS = [
    (("bench", "import"), "review.identification.bench", "time reading 100,000 RIS records beside rispy"),
    (("bench", "dedup"), "review.dedup.bench", "deduplication accuracy, time and memory beside bib-dedupe"),
    (("search", "render"), "review.identification.search_strings",
     "render the concept map into each database's syntax under search_strings/"),
    (("screening",), "review.screening.cli",
     "record decisions, import Rayyan or ASReview exports, write the screening tables"),
    (("extraction",), "review.extraction.cli",
     "check the extraction files, or propose and fill their work_ids"),
]


def _add_run(sub) -> None:
    p = sub.add_parser("run", help="run the whole review (or some stages) with papermill")
    p.add_argument("--review", default=".", type=Path, help="review folder with protocol.yaml (default: .)")
    p.add_argument("--out", default=None, type=Path, help="output folder (default: REVIEW/output)")
    p.add_argument("--stage", action="append", default=None, metavar="NAME",
                   help="run only this stage (e.g. screening or 02); repeatable")
    p.add_argument("--lang", choices=["nb", "en"], default=None, help="label language (default: protocol's)")
    p.add_argument("--lenient", action="store_true",
                   help="skip broken records in exports (counted and listed in the search log)")
    p.add_argument("--notebooks", default=None, type=Path,
                   help="folder of numbered stage notebooks (default: the project's notebooks/)")
    p.add_argument("--no-progress", action="store_true", help="hide progress bars")
    p.add_argument("--dpi", type=int, default=None, metavar="N",
                   help="PNG resolution of every figure (default 300; journals often ask for 600)")
    p.set_defaults(func=_run)


def _run(args) -> int:
    from .runner import DEFAULT_NOTEBOOKS, run

    report = run(args.review, args.out, stages=args.stage, lang=args.lang, lenient=args.lenient,
                 notebooks_dir=args.notebooks or DEFAULT_NOTEBOOKS, progress=not args.no_progress,
                 dpi=args.dpi)
    print(f"review: report written to {report}")
    return 0


def _add_check(sub) -> None:
    p = sub.add_parser("check", help="validate the protocol and that every export file exists")
    p.add_argument("--review", default=".", type=Path)
    p.set_defaults(func=_check)


def _check(args) -> int:
    from .protocol import load_protocol

    protocol = load_protocol(args.review)
    n_files = sum(len(s.files) for s in protocol.sources)
    print(f"review: {args.review / 'protocol.yaml'} is valid: {len(protocol.sources)} sources, "
          f"{n_files} export files, {len(protocol.reviewers)} reviewers")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="review", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    _add_run(sub)
    _add_check(sub)
    groups: dict[str, argparse._SubParsersAction] = {}
    for path, module, help_text in PLUGINS:
        if len(path) == 1:
            p = sub.add_parser(path[0], help=help_text)
        else:
            group, name = path
            if group not in groups:
                gp = sub.add_parser(group, help=f"{group} commands")
                groups[group] = gp.add_subparsers(dest=f"{group}_command", required=True)
            p = groups[group].add_parser(name, help=help_text)
        p.set_defaults(plugin=module)
        try:
            mod = importlib.import_module(module)
        except ImportError as exc:  # a stage package that is not installed
            p.set_defaults(func=lambda args, exc=exc: _missing(exc))
            continue
        mod.add_arguments(p)
        p.set_defaults(func=mod.run)
    return parser


def _missing(exc) -> int:
    print(f"review: error: this command is unavailable ({exc})", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ReviewError as exc:
        lines = str(exc).splitlines() or [type(exc).__name__]
        print(f"review: error: {lines[0]}", file=sys.stderr)
        for line in lines[1:]:
            print(f"  {line.strip()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("review: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
