"""``review extraction``: check the extraction files, or propose and fill their work_ids.

The lead wires :func:`add_arguments` and :func:`run` into ``review``. Examples::

    review extraction check --review . --out output
    review extraction link --review . --out output          # show proposals
    review extraction link --review . --out output --write  # fill empty work_id lines
"""
from __future__ import annotations

import argparse

from ..paths import OutputPaths, ReviewPaths
from ..protocol import load_protocol
from .form import load_form
from .link import link_studies, write_work_ids
from .studies import load_studies
from .validate import read_included, validate


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["check", "link"],
                        help="check: validate the files against the form and included.csv; "
                             "link: propose a work_id for each file")
    parser.add_argument("--review", default=".", help="review folder with protocol.yaml (default: .)")
    parser.add_argument("--out", default=None, help="output folder holding tables/included.csv (default: REVIEW/output)")
    parser.add_argument("--write", action="store_true",
                        help="with link: write proposals into files whose work_id is empty")


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    paths = ReviewPaths.of(args.review)
    out = OutputPaths.of(args.out or paths.root / "output")
    protocol = load_protocol(paths.root, check_files=False)
    form = load_form(paths.root / protocol.extraction.form, protocol)
    studies = load_studies(paths.root / protocol.extraction.studies)
    included = read_included(out.tables / "included.csv")
    with pd.option_context("display.width", 200, "display.max_colwidth", 70, "display.max_rows", 500):
        if args.action == "check":
            problems = validate(studies, form, included)
            for p in problems:
                print(p.message)
            print(f"{len(studies)} extraction files, {len(included)} included studies, {len(problems)} problem(s)")
            return 1 if problems else 0
        links = link_studies(studies, included)
        print(links.drop(columns=["included"]).to_string(index=False))
        if args.write:
            written = write_work_ids(studies, links)
            print(f"wrote work_id into {len(written)} file(s): {', '.join(written) or '-'}")
        undecided = links[links["status"].isin(["ambiguous", "none", "differs"])]
        if len(undecided):
            print(f"{len(undecided)} file(s) need a person's decision: {', '.join(undecided['study_id'])}")
        return 0
