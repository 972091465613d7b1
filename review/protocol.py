"""The review protocol: one YAML file per review folder, validated strictly.

A missing or misspelt key fails with a message naming the key and the file, so a typo in
``protocol.yaml`` never silently drops a source or a reviewer.
"""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import MissingInputError, ProtocolError
from .paths import PROTOCOL_FILE, ReviewPaths


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(_Strict):
    """A text in Norwegian (nb) and English (en)."""

    nb: str
    en: str

    def __call__(self, lang: str = "nb") -> str:
        return self.en if lang == "en" else self.nb


class Term(_Strict):
    id: str
    label: Label
    description: Label | None = None


class DateRange(_Strict):
    start: int
    end: int

    @model_validator(mode="after")
    def _ordered(self):
        if self.start > self.end:
            raise ValueError(f"date_range start {self.start} is after end {self.end}")
        return self


class Source(_Strict):
    """A database or other method, with its export files and what the searcher recorded."""

    id: str
    name: str
    kind: Literal["database", "other"]
    format: str = Field(description="reader key, e.g. ris, medline, bibtex, scopus_csv, wos, scholar_csv")
    files: list[str] = Field(default_factory=list, description="paths relative to the review folder")
    search_date: str | None = Field(None, pattern=r"^\d{4}-\d{2}(-\d{2})?$",
                                    description="YYYY-MM-DD, or YYYY-MM where only the month is known")
    query: str | None = Field(None, description="the query text, or a file under search_strings/")
    hits_recorded: int | None = Field(None, description="the number of hits the searcher wrote down")
    note: str | None = None

    @field_validator("search_date", mode="before")
    @classmethod
    def _date_as_text(cls, value):
        # YAML reads an unquoted 2024-08-28 as a date; keep the text form the protocol uses.
        import datetime as dt

        return value.isoformat() if isinstance(value, dt.date) else value


class Reviewer(_Strict):
    id: str
    name: str
    role: str | None = None


class Stage(_Strict):
    id: Literal["title_abstract", "full_text"]
    label: Label
    exclusion_reasons: list[Term]
    reason_required_for_exclusion: bool = False


class Screening(_Strict):
    stages: list[Stage]
    reviewers_per_record: int = 2
    highlight_include: list[str] = Field(default_factory=list)
    highlight_exclude: list[str] = Field(default_factory=list)


class Extraction(_Strict):
    form: str = "extraction/form.yaml"
    studies: str = "extraction/studies"
    second_extractor: str | None = None


class Protocol(_Strict):
    title: Label
    question: Label
    method: str
    reporting_guideline: str
    language_default: Literal["nb", "en"] = "nb"
    inclusion_criteria: list[Label]
    date_range: DateRange
    geography: Label | None = None
    sources: list[Source]
    reviewers: list[Reviewer]
    screening: Screening
    extraction: Extraction = Extraction()
    quality_dimensions: list[Term]
    organisational_models: list[Term]
    published_counts: str | None = Field(None, description="file of numbers the report published")
    demonstration_note: str | None = None

    @field_validator("sources", "reviewers", "quality_dimensions", "organisational_models")
    @classmethod
    def _unique_ids(cls, items):
        seen = set()
        for item in items:
            if item.id in seen:
                raise ValueError(f"id {item.id!r} appears twice")
            seen.add(item.id)
        return items

    # Convenience look-ups used by the stages.
    def source(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(source_id)

    def stage(self, stage_id: str) -> Stage:
        for s in self.screening.stages:
            if s.id == stage_id:
                return s
        raise KeyError(stage_id)

    @property
    def databases(self) -> list[Source]:
        return [s for s in self.sources if s.kind == "database"]

    @property
    def other_methods(self) -> list[Source]:
        return [s for s in self.sources if s.kind == "other"]


def _known_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names allowed at ``loc`` (used to suggest the right spelling)."""
    current: type[BaseModel] | None = model
    for part in loc[:-1]:
        if current is None or isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return []
        ann = field.annotation
        current = _model_in(ann)
    return list(current.model_fields) if current is not None else []


def _model_in(ann):
    import typing

    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for arg in typing.get_args(ann):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _format_error(path: Path, err: ValidationError) -> str:
    lines = []
    for e in err.errors():
        loc = tuple(e["loc"])
        dotted = ".".join(str(p) for p in loc) or "(top level)"
        if e["type"] == "extra_forbidden":
            key = str(loc[-1])
            close = difflib.get_close_matches(key, _known_keys(Protocol, loc), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            lines.append(f"unknown key {dotted!r}{hint}")
        elif e["type"] == "missing":
            lines.append(f"missing key {dotted!r}")
        else:
            lines.append(f"key {dotted!r}: {e['msg']}")
    return "; ".join(lines)


def read_yaml(path: Path):
    """Parse a YAML file of the review folder; a syntax error names the file and the line."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise ProtocolError(path, f"{where}not valid YAML ({getattr(exc, 'problem', exc)})") from None


def load_protocol(review_dir: str | Path, *, check_files: bool = True) -> Protocol:
    """Read and validate ``<review_dir>/protocol.yaml``.

    Raises ProtocolError naming the file and the key, and MissingInputError for a missing export.
    """
    paths = ReviewPaths.of(review_dir)
    path = paths.protocol
    if not path.exists():
        raise ProtocolError(path, f"no {PROTOCOL_FILE} here; is --review pointing at a review folder?")
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ProtocolError(path, "expected a mapping of keys at the top level")
    try:
        protocol = Protocol.model_validate(data)
    except ValidationError as exc:
        raise ProtocolError(path, _format_error(path, exc)) from None
    if check_files:
        for source in protocol.sources:
            for f in source.files:
                if not (paths.root / f).exists():
                    raise MissingInputError(
                        f"{path}: source {source.id!r} names export file {f!r}, which does not exist "
                        f"under {paths.root}; add the file or remove it from the protocol"
                    )
    return protocol
