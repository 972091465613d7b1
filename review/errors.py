"""The project's own exceptions.

Every error a user can cause names the file, the line or record, and what to do next,
so the CLI can print it as one line without a traceback.
"""
from __future__ import annotations

from pathlib import Path


class ReviewError(Exception):
    """Base class: an error the user can fix. The CLI prints ``str(err)`` and exits 1."""


def _where(path: str | Path | None, line: int | None = None, record: int | str | None = None) -> str:
    parts = []
    if path is not None:
        parts.append(str(path))
    if line is not None:
        parts.append(f"line {line}")
    if record is not None:
        parts.append(f"record {record}")
    return ", ".join(parts)


class ProtocolError(ReviewError):
    """The protocol file is missing, malformed, or has a missing or unknown key."""

    def __init__(self, path: str | Path, message: str):
        self.path = Path(path)
        super().__init__(f"{path}: {message}")


class ParseError(ReviewError):
    """An export file cannot be read. Carries the file, line or record number, and the reason."""

    def __init__(self, path: str | Path, reason: str, *, line: int | None = None,
                 record: int | str | None = None):
        self.path = Path(path)
        self.line = line
        self.record = record
        self.reason = reason
        super().__init__(f"{_where(path, line, record)}: {reason}")


class MissingInputError(ReviewError):
    """A file the protocol names does not exist."""


class ValidationError(ReviewError):
    """Data that parses but breaks a rule (vocabulary, required field, count that does not add up).

    ``problems`` holds one message per problem so a notebook can show them as a table.
    """

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = list(problems or [])
        text = message
        if self.problems:
            text += "\n" + "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(text)


class StageError(ReviewError):
    """A notebook failed during ``review run``; names the notebook and the cell."""
