"""Checking the extraction files against the form and against the included studies.

:func:`validate` returns every problem (one :class:`Problem` each) so the notebook can show them
as a table; :func:`check` raises :class:`review.errors.ValidationError` with one message per
problem when there are any. The included studies come from ``output/tables/included.csv`` (written
by screening) and are matched to extraction files by ``work_id``.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from ..errors import MissingInputError, ValidationError
from .form import FieldSpec, Form, get_path
from .studies import Study

PROBLEM_KINDS = {
    "missing_extraction": "included study without an extraction",
    "no_included_study": "extraction without an included study",
    "out_of_vocabulary": "value outside its vocabulary",
    "required_empty": "required field left empty",
    "wrong_type": "value of the wrong type or form",
    "unknown_field": "field not on the form",
}


@dataclass(frozen=True)
class Problem:
    kind: str
    study_id: str
    file: str
    field: str
    value: str
    allowed: str
    message: str


PROBLEM_COLUMNS = list(Problem.__dataclass_fields__)


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    return pd.DataFrame([asdict(p) for p in problems], columns=PROBLEM_COLUMNS)


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, (list, dict)) and len(value) == 0)


def _show(value) -> str:
    return repr(value) if not isinstance(value, list) else "[" + ", ".join(map(repr, value)) + "]"


def _check_value(spec: FieldSpec, value, allowed: list[str]) -> tuple[str, str] | None:
    """(kind, what is wrong) for a non-empty value, or None if it is fine."""
    t = spec.type
    if t == "text":
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            return "wrong_type", "expected a text"
        if spec.pattern and not re.fullmatch(spec.pattern, str(value)):
            return "wrong_type", f"does not match the pattern {spec.pattern}"
    elif t == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return "wrong_type", "expected a whole number"
        if spec.min is not None and value < spec.min:
            return "wrong_type", f"is below the minimum {spec.min}"
        if spec.max is not None and value > spec.max:
            return "wrong_type", f"is above the maximum {spec.max}"
    elif t == "boolean":
        if not isinstance(value, bool):
            return "wrong_type", "expected true or false"
    elif t == "choice":
        if value not in allowed:
            return "out_of_vocabulary", "is not one of the allowed values"
    elif t == "multi_choice":
        if not isinstance(value, list):
            return "wrong_type", "expected a list such as [a, b]"
        bad = [v for v in value if v not in allowed]
        if bad:
            return "out_of_vocabulary", f"{', '.join(map(repr, bad))} not among the allowed values"
        if len(set(value)) != len(value):
            return "wrong_type", "lists a value twice"
    elif t == "text_list":
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            return "wrong_type", "expected a list of non-empty texts"
    return None


def _allowed_text(spec: FieldSpec, allowed: list[str]) -> str:
    if allowed:
        return ", ".join(allowed)
    return {"integer": "a whole number" + (f" ≥ {spec.min}" if spec.min is not None else "")
            + (f" ≤ {spec.max}" if spec.max is not None else ""),
            "boolean": "true, false", "text_list": "a list of texts",
            "text": f"text matching {spec.pattern}" if spec.pattern else "text"}.get(spec.type, "")


def validate_study(study: Study, form: Form) -> list[Problem]:
    """Problems in one extraction file, checked against the form only."""
    problems: list[Problem] = []
    file = study.path.name

    def add(kind, field, value, allowed, what):
        shown = "" if value is None else _show(value)
        msg = (f"{file}: study {study.study_id!r}, field {field!r}: "
               + (f"value {shown} {what}" if shown else what)
               + (f"; allowed: {allowed}" if allowed else ""))
        problems.append(Problem(kind, study.study_id, file, field, shown, allowed, msg))

    if study.study_id != study.path.stem:
        add("wrong_type", form.id_field, study.study_id, f"{study.path.stem!r} (the file name)",
            "differs from the file name; rename the file or fix study_id")

    for spec in form.fields:
        value = get_path(study.data, spec.id)
        allowed = form.allowed(spec.id)
        if _empty(value):
            if spec.required:
                add("required_empty", spec.id, None, _allowed_text(spec, allowed),
                    "is required but empty; fill it in")
            continue
        bad = _check_value(spec, value, allowed)
        if bad:
            add(bad[0], spec.id, value, _allowed_text(spec, allowed), bad[1])

    # Keys the form does not know (typos would otherwise vanish silently).
    known_top = {f.id.split(".")[0] for f in form.fields} | {"quality"}
    for key in study.data:
        if key not in known_top:
            add("unknown_field", str(key), None, ", ".join(sorted(known_top)),
                "is not a field of the form; fix the spelling or add it to extraction/form.yaml")
    for group in {f.id.split(".")[0] for f in form.fields if "." in f.id}:
        sub = study.data.get(group)
        if isinstance(sub, dict):
            known = {f.id.split(".", 1)[1] for f in form.fields if f.id.startswith(group + ".")}
            for key in sub:
                if key not in known:
                    add("unknown_field", f"{group}.{key}", None, ", ".join(sorted(known)),
                        "is not a field of the form; fix the spelling or add it to extraction/form.yaml")

    quality = study.data.get("quality") or {}
    dims = form.quality_ids
    if not isinstance(quality, dict):
        add("wrong_type", "quality", quality, ", ".join(dims), "expected one block per quality component")
        quality = {}
    for key in quality:
        if key not in dims:
            add("out_of_vocabulary", f"quality.{key}", None, ", ".join(dims),
                "is not a quality component of the protocol")
    qfield_ids = [f.id for f in form.quality_fields]
    for dim in dims:
        block = quality.get(dim)
        if block is None:
            block = {}
        if not isinstance(block, dict):
            add("wrong_type", f"quality.{dim}", block, ", ".join(qfield_ids), "expected a mapping")
            continue
        for key in block:
            if key not in qfield_ids:
                add("unknown_field", f"quality.{dim}.{key}", None, ", ".join(qfield_ids),
                    "is not a field of a quality block")
        for spec in form.quality_fields:
            value = block.get(spec.id)
            name = f"quality.{dim}.{spec.id}"
            required = spec.required or (spec.required_if is not None and block.get(spec.required_if) is True)
            if _empty(value):
                if required:
                    why = (f"is required when {spec.required_if} is true" if spec.required_if
                           else "is required") + " but empty; fill it in"
                    add("required_empty", name, None, _allowed_text(spec, []), why)
                continue
            bad = _check_value(spec, value, [])
            if bad:
                add(bad[0], name, value, _allowed_text(spec, []), bad[1])
    return problems


def read_included(path: str | Path) -> pd.DataFrame:
    """``output/tables/included.csv`` as text columns (work_id, title, authors, year, ...)."""
    path = Path(path)
    if not path.exists():
        raise MissingInputError(f"{path}: no table of included studies; run the screening stage "
                                f"(02_screening) first")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if "work_id" not in df.columns:
        raise ValidationError(f"{path}: has no work_id column; expected the screening stage's included.csv")
    return df


def validate(studies: dict[str, Study], form: Form, included: pd.DataFrame | None) -> list[Problem]:
    """Every problem in the extraction: each file against the form and, when ``included`` is
    given, extraction files against included studies by work_id. Sorted by study, then field."""
    problems: list[Problem] = []
    for study in studies.values():
        problems.extend(validate_study(study, form))
    if included is not None:
        problems.extend(_match_included(studies, included))
    order = {k: i for i, k in enumerate(PROBLEM_KINDS)}
    return sorted(problems, key=lambda p: (p.study_id, p.field, order.get(p.kind, 99), p.message))


def _describe(row: pd.Series) -> str:
    parts = [str(row.get(c, "") or "").strip() for c in ("authors", "year", "title")]
    authors = parts[0].split(";")[0].strip()
    return f"{authors} ({parts[1]}): {parts[2][:80]}".strip()


def _match_included(studies: dict[str, Study], included: pd.DataFrame) -> list[Problem]:
    from .link import link_studies

    problems: list[Problem] = []
    ids = [str(w).strip() for w in included["work_id"].tolist()]
    by_work: dict[str, list[Study]] = {}
    for s in studies.values():
        if s.work_id:
            by_work.setdefault(s.work_id, []).append(s)
    proposals = None
    for s in studies.values():
        if s.work_id and s.work_id in ids:
            if len(by_work[s.work_id]) > 1:
                others = ", ".join(o.study_id for o in by_work[s.work_id] if o is not s)
                problems.append(Problem(
                    "no_included_study", s.study_id, s.path.name, "work_id", repr(s.work_id), "",
                    f"{s.path.name}: study {s.study_id!r}, field 'work_id': value {s.work_id!r} is also "
                    f"used by {others}; each included study has one extraction"))
            continue
        if proposals is None:
            proposals = link_studies(studies, included).set_index("study_id")
        hint = ""
        if s.study_id in proposals.index:
            p = proposals.loc[s.study_id]
            if p["proposed_work_id"]:
                hint = f"; the closest included study is {p['proposed_work_id']!r} ({p['included']}, score {p['score']})"
        what = (f"value {s.work_id!r} is not in included.csv" if s.work_id
                else "is empty, so the extraction belongs to no included study")
        problems.append(Problem(
            "no_included_study", s.study_id, s.path.name, "work_id", repr(s.work_id) if s.work_id else "",
            "work_ids in included.csv",
            f"{s.path.name}: study {s.study_id!r}, field 'work_id': {what}{hint}; set work_id to the "
            f"included study's work_id, or remove the file if the study is not included"))
    for i, wid in enumerate(ids):
        if wid and wid not in by_work:
            row = included.iloc[i]
            problems.append(Problem(
                "missing_extraction", "", "included.csv", "work_id", repr(wid), "",
                f"included.csv: included study {wid!r} ({_describe(row)}) has no extraction; add "
                f"extraction/studies/<study_id>.yaml with work_id: {wid}"))
    return problems


def check(studies: dict[str, Study], form: Form, included: pd.DataFrame | None) -> list[Problem]:
    """Like :func:`validate`, but raise ValidationError listing every problem if there is one."""
    problems = validate(studies, form, included)
    if problems:
        raise ValidationError(
            f"the extraction has {len(problems)} problem(s); fix the files named below",
            [p.message for p in problems])
    return problems
