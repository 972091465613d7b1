"""Where things live in a review folder and in an output folder.

A review folder (the repository root is the flagship review) holds only sources and decisions::

    protocol.yaml          the protocol: question, criteria, sources, reviewers, stages, vocabularies
    exports/               raw database exports, never edited
    fulltexts/             full-text documents for the full-text stage
    decisions/             append-only decision records (screening, dedup overrides)
    extraction/            the extraction form and one file per included study
    search_strings/        the search strategy as data, and the rendered database strings
    published/             numbers the published report states, kept only for comparison

Everything derived goes to the output folder (``output/`` by default, ignored by git).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROTOCOL_FILE = "protocol.yaml"


@dataclass(frozen=True)
class ReviewPaths:
    root: Path

    @classmethod
    def of(cls, root: str | Path) -> ReviewPaths:
        return cls(Path(root).resolve())

    @property
    def protocol(self) -> Path:
        return self.root / PROTOCOL_FILE

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def fulltexts(self) -> Path:
        return self.root / "fulltexts"

    @property
    def decisions(self) -> Path:
        return self.root / "decisions"

    @property
    def extraction(self) -> Path:
        return self.root / "extraction"

    @property
    def search_strings(self) -> Path:
        return self.root / "search_strings"

    @property
    def published(self) -> Path:
        return self.root / "published"

    @property
    def dedup_overrides(self) -> Path:
        return self.decisions / "dedup_overrides.csv"

    def screening_dir(self, stage: str) -> Path:
        return self.decisions / "screening" / stage


@dataclass(frozen=True)
class OutputPaths:
    root: Path

    @classmethod
    def of(cls, root: str | Path) -> OutputPaths:
        return cls(Path(root).resolve())

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def tables(self) -> Path:
        return self.root / "tables"

    @property
    def figures(self) -> Path:
        return self.root / "figures"

    @property
    def report_parts(self) -> Path:
        return self.root / "report_parts"

    @property
    def report(self) -> Path:
        return self.root / "report.html"

    def ensure(self) -> OutputPaths:
        for p in (self.notebooks, self.tables, self.figures, self.report_parts):
            p.mkdir(parents=True, exist_ok=True)
        return self
