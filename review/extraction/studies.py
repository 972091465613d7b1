"""Reading the per-study extraction files (extraction/studies/<study_id>.yaml)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import MissingInputError, ParseError


@dataclass(frozen=True)
class Study:
    study_id: str
    path: Path
    data: dict

    @property
    def work_id(self) -> str:
        value = self.data.get("work_id")
        return "" if value is None else str(value).strip()


def load_study(path: str | Path) -> Study:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ParseError(path, "not UTF-8 text; save the file as UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ParseError(path, f"not valid YAML ({getattr(exc, 'problem', exc)}); fix the file",
                         line=mark.line + 1 if mark is not None else None) from None
    if not isinstance(data, dict):
        raise ParseError(path, "expected a mapping of fields (study_id: ..., citation: ...)")
    study_id = data.get("study_id")
    return Study(study_id=str(study_id) if study_id is not None else path.stem, path=path, data=data)


def load_studies(folder: str | Path) -> dict[str, Study]:
    """Every ``*.yaml`` in ``folder``, keyed by study_id, in file-name order.

    Two files with the same study_id raise ParseError naming both, so none is silently dropped.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise MissingInputError(f"{folder}: the folder of extraction files does not exist; "
                                f"create it or fix protocol.yaml extraction.studies")
    studies: dict[str, Study] = {}
    for path in sorted(folder.glob("*.yaml")):
        study = load_study(path)
        if study.study_id in studies:
            raise ParseError(path, f"study_id {study.study_id!r} is also used by "
                                   f"{studies[study.study_id].path.name}; give each study its own id")
        studies[study.study_id] = study
    return studies
