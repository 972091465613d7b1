"""Render the search strategy (``search_strings/strategy.yaml``) into each database's syntax.

PubMed uses the MeSH (MH) headings and ``[tiab]`` keywords; CINAHL (EBSCO) the CINAHL headings
``(MH "...")`` and ``TI``/``AB`` keywords; Embase is written in **Embase.com** syntax, with the MeSH
headings as Emtree candidates (``'...'/exp`` — check them against Emtree before a new search) and
``:ti,ab`` keywords. Scopus and Web of Science ran the free-text string, rendered with
``TITLE-ABS-KEY`` and ``TS=``. ``review search render`` writes the files; ``--check`` only compares.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from ..errors import ReviewError
from ..outputs import atomic_write_text
from ..paths import ReviewPaths

STRATEGY_FILE = "strategy.yaml"
DATABASES = ("pubmed", "cinahl", "embase", "scopus", "wos")


class StrategyError(ReviewError):
    pass


def load_strategy(review_dir: str | Path) -> dict:
    path = ReviewPaths.of(review_dir).search_strings / STRATEGY_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError:
        raise StrategyError(f"{path}: the search strategy file is missing; create it (see the flagship's "
                            "search_strings/strategy.yaml)") from None
    except yaml.YAMLError as exc:
        raise StrategyError(f"{path}: not valid YAML ({exc})") from None
    for key in ("concept_map", "free_text", "hand_search"):
        if not isinstance(data, dict) or key not in data:
            raise StrategyError(f"{path}: missing key {key!r}")
    for concept in data["concept_map"]["concepts"]:
        for t in concept["terms"]:
            bad = set(t.get("tags", [])) - {"MH", "CH", "kw"}
            if bad or not t.get("tags"):
                raise StrategyError(f"{path}: term {t.get('term')!r} in concept {concept['id']!r} has tags "
                                    f"{t.get('tags')}; use MH, CH and/or kw")
    return data


def _q(term: str, quote: str = '"') -> str:
    """Quote phrases; a single word (possibly truncated with *) stays bare."""
    return f"{quote}{term}{quote}" if " " in term or "-" in term else term


def _or(parts: list[str]) -> str:
    parts = list(dict.fromkeys(p for p in parts if p))
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def _concept_terms(strategy: dict):
    for concept in strategy["concept_map"]["concepts"]:
        yield concept, concept["terms"]


# Each database's syntax as data: for each term tag it uses, how a term is written. The order of
# the tags is the order the parts appear in a concept's OR block.
CONCEPT_SYNTAX = {
    "pubmed": {"MH": lambda term: f'"{term}"[Mesh]',
               "kw": lambda term: f'"{term.lower()}"[tiab]'},
    "cinahl": {"CH": lambda term: f'(MH "{term}")',
               "kw": lambda term: f"TI {_q(term.lower())} OR AB {_q(term.lower())}"},
    "embase": {"MH": lambda term: f"'{term.lower()}'/exp",
               "kw": lambda term: f"'{term.lower()}':ti,ab"},
}


def render_concepts(strategy: dict, database: str) -> str:
    """The concept map in one database's syntax: terms OR-ed within a concept, concepts AND-ed."""
    syntax = CONCEPT_SYNTAX[database]
    blocks = []
    for _, terms in _concept_terms(strategy):
        blocks.append(_or([write(t["term"]) for t in terms
                           for tag, write in syntax.items() if tag in t["tags"]]))
    return " AND ".join(blocks)


def render_pubmed(strategy: dict) -> str:
    return render_concepts(strategy, "pubmed")


def render_cinahl(strategy: dict) -> str:
    return render_concepts(strategy, "cinahl")


def render_embase(strategy: dict) -> str:
    return render_concepts(strategy, "embase")


def _free_blocks(strategy: dict) -> list[list[str]]:
    return [list(b) for b in strategy["free_text"]["blocks"]]


def render_free_text(strategy: dict) -> str:
    return " AND ".join(_or([_q(t) for t in block]) for block in _free_blocks(strategy))


def render_scopus(strategy: dict) -> str:
    return " AND ".join(f"TITLE-ABS-KEY{_paren(_or([_q(t) for t in b]))}" for b in _free_blocks(strategy))


def render_wos(strategy: dict) -> str:
    return " AND ".join(f"TS={_paren(_or([_q(t) for t in b]))}" for b in _free_blocks(strategy))


def _paren(text: str) -> str:
    return text if text.startswith("(") and _balanced_outer(text) else f"({text})"


def _balanced_outer(text: str) -> bool:
    """True if the first "(" closes at the very end (so the whole text is one group)."""
    depth = 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0:
            return i == len(text) - 1
    return False


def render_hand_search(strategy: dict) -> str:
    hs = strategy["hand_search"]
    return "\n".join(hs["keywords"]) + "\n"


RENDERERS = {"pubmed": render_pubmed, "cinahl": render_cinahl, "embase": render_embase,
             "scopus": render_scopus, "wos": render_wos}


def render_all(strategy: dict) -> dict[str, str]:
    """Relative path under search_strings/ -> file text."""
    files = {f"rendered/{db}.txt": RENDERERS[db](strategy) + "\n" for db in DATABASES}
    files["free_text.txt"] = render_free_text(strategy) + "\n"
    files["hand_search.txt"] = render_hand_search(strategy)
    return files


def write_rendered(review_dir: str | Path, *, check: bool = False) -> list[Path]:
    """Write (or, with ``check``, compare) the rendered files. Returns the files that differ."""
    folder = ReviewPaths.of(review_dir).search_strings
    differ = []
    for rel, text in render_all(load_strategy(review_dir)).items():
        path = folder / rel
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            differ.append(path)
            if not check:
                atomic_write_text(path, text)
    return differ


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--review", default=".", help="the review folder (default: current folder)")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if a rendered file is out of date")


def run(args) -> int:
    differ = write_rendered(args.review, check=args.check)
    root = ReviewPaths.of(args.review).root
    for path in differ:
        rel = path.relative_to(root)
        print(f"{'out of date' if args.check else 'wrote'}: {rel}")
    if args.check and differ:
        print("run `review search render` to update them", file=sys.stderr)
        return 1
    if not differ:
        print("search strings are up to date")
    return 0
