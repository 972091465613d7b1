"""The extraction form (extraction/form.yaml) as data: fields, types, vocabularies, labels."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticError

from ..errors import MissingInputError, ProtocolError
from ..protocol import Label, Protocol, Term, read_yaml

FieldType = Literal["text", "integer", "boolean", "choice", "multi_choice", "text_list"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Strict):
    id: str
    type: FieldType
    label: Label
    required: bool = False
    required_if: str | None = None
    help: Label | None = None
    values: list[Term] | None = None
    values_from: Literal["organisational_models", "quality_dimensions"] | None = None
    extra_values: list[Term] = []
    pattern: str | None = None
    min: int | None = None
    max: int | None = None


class QualityBlock(_Strict):
    values_from: Literal["quality_dimensions"] = "quality_dimensions"
    fields: list[FieldSpec]


class _FormFile(_Strict):
    form_version: int
    id_field: str = "study_id"
    fields: list[FieldSpec]
    quality: QualityBlock


@dataclass(frozen=True)
class Form:
    """The form with every vocabulary resolved against the protocol."""

    path: Path
    id_field: str
    fields: list[FieldSpec]
    quality_fields: list[FieldSpec]
    quality_dimensions: list[Term]
    vocab: dict[str, list[Term]] = field(default_factory=dict)

    def field(self, field_id: str) -> FieldSpec:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    def allowed(self, field_id: str) -> list[str]:
        return [t.id for t in self.vocab.get(field_id, [])]

    def value_label(self, field_id: str, value_id: str, lang: str = "nb") -> str:
        for t in self.vocab.get(field_id, []):
            if t.id == value_id:
                return t.label(lang)
        return value_id

    @property
    def quality_ids(self) -> list[str]:
        return [q.id for q in self.quality_dimensions]


def load_form(path: str | Path, protocol: Protocol) -> Form:
    """Read and check the form; ``values_from`` takes ids and labels from the protocol."""
    path = Path(path)
    if not path.exists():
        raise MissingInputError(f"{path}: the extraction form does not exist; "
                                f"create it or point protocol.yaml extraction.form at it")
    data = read_yaml(path)
    try:
        raw = _FormFile.model_validate(data)
    except PydanticError as exc:
        msgs = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ProtocolError(path, f"the extraction form is malformed: {msgs}") from None
    sources: dict[str, list[Term]] = {
        "organisational_models": list(protocol.organisational_models),
        "quality_dimensions": list(protocol.quality_dimensions),
    }
    vocab: dict[str, list[Term]] = {}
    seen: set[str] = set()
    for f in raw.fields:
        if f.id in seen:
            raise ProtocolError(path, f"field {f.id!r} appears twice in the extraction form")
        seen.add(f.id)
        if f.type in ("choice", "multi_choice"):
            terms = list(sources[f.values_from]) if f.values_from else list(f.values or [])
            terms += list(f.extra_values)
            if not terms:
                raise ProtocolError(path, f"field {f.id!r} is a {f.type} but lists no values; "
                                          f"add `values:` or `values_from:`")
            vocab[f.id] = terms
    if raw.id_field not in seen:
        raise ProtocolError(path, f"id_field {raw.id_field!r} is not one of the form's fields")
    return Form(path=path, id_field=raw.id_field, fields=list(raw.fields),
                quality_fields=list(raw.quality.fields),
                quality_dimensions=sources[raw.quality.values_from], vocab=vocab)


def get_path(data: dict, dotted: str) -> Any:
    """``get_path({'a': {'b': 1}}, 'a.b') == 1``; a missing step gives None."""
    cur: Any = data
    for part in dotted.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur
