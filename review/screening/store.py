"""The append-only screening decision store.

One JSON-lines file per reviewer per stage: ``decisions/screening/<stage>/<reviewer>.jsonl``, and
``decisions/screening/<stage>/resolutions.jsonl`` for conflict resolutions (by a third reviewer or
the pair together). Each line is one row::

    {"work_id": "...", "reviewer": "demo_a", "stage": "title_abstract", "decision": "exclude",
     "reason": "not_norway", "note": null, "timestamp": "2026-11-24T01:30:00.123456Z"}

Rules:

- ``decision`` is ``include``, ``exclude``, ``maybe`` or ``undo``. Nothing is ever rewritten: a
  changed mind is a new row (the latest row per reviewer and work wins) and an undo is an ``undo``
  row, which retracts that reviewer's latest standing decision on the work (so undoing twice
  steps back twice).
- ``reason`` is an id from the protocol stage's ``exclusion_reasons``; it is required for an
  exclusion where the stage says ``reason_required_for_exclusion`` (the full-text stage).
- The reserved reason ``not_retrieved`` (full-text stage only) records a report that was sought
  but could not be retrieved: PRISMA 2020 counts it as "reports not retrieved", not as excluded.
- Appends take an exclusive ``flock`` on the file, write the whole line with one ``write`` on an
  ``O_APPEND`` descriptor and ``fsync`` before unlocking, so concurrent writers (two reviewers on
  a shared JupyterHub, two browser tabs) never interleave or lose rows.
- A writer killed mid-write can leave a torn last line. The reader skips it and reports it; the
  next append first ends that torn line with a newline, so the new row stays whole and every
  earlier row stays readable.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from ..errors import ValidationError
from ..paths import ReviewPaths
from ..protocol import Protocol, load_protocol

DECISIONS = ("include", "exclude", "maybe")
UNDO = "undo"
ALL_DECISIONS = DECISIONS + (UNDO,)
NOT_RETRIEVED = "not_retrieved"
RESOLUTIONS = "resolutions"
STAGES = ("title_abstract", "full_text")
COLUMNS = ["work_id", "reviewer", "stage", "decision", "reason", "note", "timestamp"]
# Reviewer ids name files, so they stay portable; "a+b" names a pair resolving together.
REVIEWER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
RESOLVER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*(\+[A-Za-z0-9][A-Za-z0-9_.-]*)*$")
TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def reason_ids(protocol: Protocol, stage: str) -> list[str]:
    """The reasons a reviewer may give at ``stage``, in protocol order (+ not_retrieved at full text)."""
    ids = [r.id for r in protocol.stage(stage).exclusion_reasons]
    if stage == "full_text" and NOT_RETRIEVED not in ids:
        ids.append(NOT_RETRIEVED)
    return ids


def reason_labels(protocol: Protocol, stage: str, lang: str = "nb") -> dict[str, str]:
    labels = {r.id: r.label(lang) for r in protocol.stage(stage).exclusion_reasons}
    if stage == "full_text":
        labels.setdefault(NOT_RETRIEVED, "Ikke funnet i fulltekst" if lang == "nb" else "Report not retrieved")
    return labels


@dataclass
class LoadProblem:
    """A line the reader skipped (a torn write), with where it is."""

    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.message}"


@dataclass
class Loaded:
    rows: pd.DataFrame
    problems: list[LoadProblem] = field(default_factory=list)


def _clean(value) -> str | None:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    text = str(value).strip()
    return text or None


class DecisionStore:
    """The decisions of one review folder.

    >>> store = DecisionStore(review_dir)
    >>> store.append("w123", "demo_a", "title_abstract", "include")
    >>> store.decisions("title_abstract")   # the standing decision per reviewer and work
    """

    def __init__(self, review_dir: str | Path, protocol: Protocol | None = None):
        self.paths = ReviewPaths.of(review_dir)
        self.protocol = protocol if protocol is not None else load_protocol(self.paths.root, check_files=False)
        self._stage_ids = [s.id for s in self.protocol.screening.stages]

    # ----- where ---------------------------------------------------------------------------
    def path(self, stage: str, reviewer: str) -> Path:
        return self.paths.screening_dir(stage) / f"{reviewer}.jsonl"

    def resolutions_path(self, stage: str) -> Path:
        return self.paths.screening_dir(stage) / f"{RESOLUTIONS}.jsonl"

    # ----- writing -------------------------------------------------------------------------
    def make_row(self, work_id: str, reviewer: str, stage: str, decision: str, reason: str | None = None,
                 note: str | None = None, timestamp: str | None = None, *, resolution: bool = False) -> dict:
        row = {
            "work_id": _clean(work_id),
            "reviewer": _clean(reviewer),
            "stage": stage,
            "decision": _clean(decision),
            "reason": _clean(reason),
            "note": _clean(note),
            "timestamp": timestamp or utc_now(),
        }
        where = f"decision for work {row['work_id']!r} by {row['reviewer']!r} at stage {stage!r}"
        problems = self.check_row(row, resolution=resolution)
        if problems:
            raise ValidationError(f"{where} not recorded: " + "; ".join(problems))
        return row

    def append(self, work_id: str, reviewer: str, stage: str, decision: str, reason: str | None = None,
               note: str | None = None, timestamp: str | None = None) -> dict:
        """Record one reviewer's decision (or ``undo``) on one work. Returns the row written."""
        row = self.make_row(work_id, reviewer, stage, decision, reason, note, timestamp)
        append_line(self.path(stage, row["reviewer"]), row)
        return row

    def undo(self, work_id: str, reviewer: str, stage: str, note: str | None = None) -> dict:
        return self.append(work_id, reviewer, stage, UNDO, note=note)

    def resolve(self, work_id: str, resolver: str, stage: str, decision: str, reason: str | None = None,
                note: str | None = None, timestamp: str | None = None) -> dict:
        """Record the resolution of a conflict. ``resolver`` is the third reviewer, or ``a+b`` for the pair."""
        row = self.make_row(work_id, resolver, stage, decision, reason, note, timestamp, resolution=True)
        append_line(self.resolutions_path(stage), row)
        return row

    def append_many(self, rows: Iterable[dict]) -> int:
        """Append validated rows (e.g. from a Rayyan import), grouped into one locked write per file."""
        by_file: dict[Path, list[dict]] = {}
        for r in rows:
            row = self.make_row(r["work_id"], r["reviewer"], r["stage"], r["decision"], r.get("reason"),
                                r.get("note"), r.get("timestamp"))
            by_file.setdefault(self.path(row["stage"], row["reviewer"]), []).append(row)
        for path, file_rows in sorted(by_file.items()):
            append_lines(path, file_rows)
        return sum(len(v) for v in by_file.values())

    # ----- checking ------------------------------------------------------------------------
    def check_row(self, row: dict, *, resolution: bool = False) -> list[str]:
        problems = []
        if not isinstance(row, dict):
            return ["a row must be a JSON object"]
        missing = [c for c in ("work_id", "reviewer", "stage", "decision", "timestamp") if not row.get(c)]
        if missing:
            problems.append(f"missing {', '.join(missing)}")
        unknown = sorted(set(row) - set(COLUMNS))
        if unknown:
            problems.append(f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(COLUMNS)}")
        stage = row.get("stage")
        if stage and stage not in self._stage_ids:
            problems.append(f"stage {stage!r} is not one of the protocol's stages ({', '.join(self._stage_ids)})")
        reviewer = row.get("reviewer")
        pattern = RESOLVER_RE if resolution else REVIEWER_RE
        if reviewer and (not isinstance(reviewer, str) or not pattern.match(reviewer) or reviewer == RESOLUTIONS):
            problems.append(f"reviewer id {reviewer!r} must be letters, digits, '_', '.' or '-' "
                            "(ids name files; use the id from protocol.yaml)")
        decision = row.get("decision")
        if decision and decision not in ALL_DECISIONS:
            problems.append(f"decision {decision!r} is not one of {', '.join(ALL_DECISIONS)}")
        reason = row.get("reason")
        if stage in self._stage_ids and decision:
            allowed = reason_ids(self.protocol, stage)
            if reason is not None and reason not in allowed:
                problems.append(f"reason {reason!r} is not an exclusion reason of stage {stage!r} "
                                f"(protocol.yaml lists: {', '.join(allowed)})")
            if reason is not None and decision != "exclude":
                problems.append(f"a reason is given only with an exclusion, not with {decision!r}")
            if (decision == "exclude" and reason is None
                    and self.protocol.stage(stage).reason_required_for_exclusion):
                problems.append(f"an exclusion at stage {stage!r} needs a reason "
                                f"(one of: {', '.join(allowed)})")
        ts = row.get("timestamp")
        if ts and (not isinstance(ts, str) or not TIMESTAMP_RE.match(ts)):
            problems.append(f"timestamp {ts!r} is not UTC ISO 8601 like 2024-08-31T12:00:00Z")
        for key in ("work_id", "note"):
            if row.get(key) is not None and not isinstance(row.get(key), str):
                problems.append(f"{key} must be text")
        return problems

    # ----- reading -------------------------------------------------------------------------
    def files(self, stage: str) -> list[Path]:
        folder = self.paths.screening_dir(stage)
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.glob("*.jsonl") if p.stem != RESOLUTIONS)

    def load(self, stage: str, *, resolutions: bool = False) -> Loaded:
        """Every row of a stage (reviewers' files, or the resolutions file), in file order."""
        files = [self.resolutions_path(stage)] if resolutions else self.files(stage)
        return self._load_files(files, stage, resolutions)

    def _load_files(self, files: list[Path], stage: str, resolutions: bool) -> Loaded:
        rows: list[dict] = []
        problems: list[LoadProblem] = []
        errors: list[str] = []
        for path in files:
            if not path.exists():
                continue
            file_rows, file_problems = read_jsonl(path)
            problems.extend(file_problems)
            for line_no, row in file_rows:
                bad = self.check_row(row, resolution=resolutions)
                if not bad:
                    if row["stage"] != stage:
                        bad.append(f"stage {row['stage']!r} in the folder of stage {stage!r}")
                    if not resolutions and row["reviewer"] != path.stem:
                        bad.append(f"reviewer {row['reviewer']!r} in {path.stem}'s file")
                if bad:
                    errors.append(f"{path}, line {line_no}: " + "; ".join(bad))
                    continue
                row = {c: row.get(c) for c in COLUMNS}
                row["file"] = path.name
                row["line"] = line_no
                rows.append(row)
        if errors:
            raise ValidationError(
                f"{len(errors)} invalid screening decision row(s); the files are append-only, so add a "
                "corrected row (or fix the reviewer's typo by hand and note it in the review log)",
                errors)
        df = pd.DataFrame(rows, columns=COLUMNS + ["file", "line"], dtype=object)
        return Loaded(df, problems)

    def screened_work_ids(self) -> set[str]:
        """Every work id any decision row names, at any stage (deduplication keeps these ids)."""
        ids: set[str] = set()
        for stage in self._stage_ids:
            for resolutions in (False, True):
                ids.update(self.load(stage, resolutions=resolutions).rows["work_id"])
        return ids

    def decisions(self, stage: str, *, resolutions: bool = False) -> pd.DataFrame:
        """The standing decision per (reviewer, work): latest row wins, undo rows retract."""
        return standing(self.load(stage, resolutions=resolutions).rows)

    def reviewer_decisions(self, stage: str, reviewer: str) -> pd.DataFrame:
        return standing(self._load_files([self.path(stage, reviewer)], stage, False).rows)

    def last_standing(self, stage: str, reviewer: str) -> dict | None:
        """The reviewer's most recently recorded decision that still stands (what undo retracts)."""
        d = self.reviewer_decisions(stage, reviewer)
        if d.empty:
            return None
        return d.sort_values(["file", "line"]).iloc[-1].to_dict()


def standing(rows: pd.DataFrame) -> pd.DataFrame:
    """Replay rows in file order per (reviewer, work_id): a decision is pushed, an undo pops."""
    stacks: dict[tuple[str, str], list[dict]] = {}
    for row in rows.sort_values(["file", "line"], kind="stable").to_dict("records"):
        key = (row["reviewer"], row["work_id"])
        stack = stacks.setdefault(key, [])
        if row["decision"] == UNDO:
            if stack:
                stack.pop()
        else:
            stack.append(row)
    out = [stack[-1] for stack in stacks.values() if stack]
    # object dtype keeps a missing reason or note as None (pandas would make it NaN).
    df = pd.DataFrame(out, columns=COLUMNS + ["file", "line"], dtype=object)
    return df.sort_values(["work_id", "reviewer"], kind="stable").reset_index(drop=True)


# ----- the file primitives ---------------------------------------------------------------------

def _encode(row: dict) -> bytes:
    return (json.dumps(row, ensure_ascii=False, separators=(", ", ": ")) + "\n").encode("utf-8")


def append_line(path: Path, row: dict) -> None:
    append_lines(path, [row])


def append_lines(path: Path, rows: list[dict]) -> None:
    """Append rows under an exclusive lock, in one write, fsynced before the lock is released."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = b"".join(_encode(r) for r in rows)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o664)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            size = os.fstat(fd).st_size
            # A writer killed mid-line left no newline: end the torn line so ours stays whole.
            if size and os.pread(fd, 1, size - 1) != b"\n":
                data = b"\n" + data
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def read_jsonl(path: Path) -> tuple[list[tuple[int, dict]], list[LoadProblem]]:
    """Rows with their 1-based line numbers, and the torn lines that were skipped."""
    path = Path(path)
    with open(path, "rb") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_SH)
        try:
            data = fh.read()
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    rows: list[tuple[int, dict]] = []
    problems: list[LoadProblem] = []
    lines = data.split(b"\n")
    complete = data.endswith(b"\n")
    for i, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        is_last = i == len(lines)
        try:
            row = json.loads(raw.decode("utf-8"))
            if not isinstance(row, dict):
                raise ValueError("not an object")
        except (ValueError, UnicodeDecodeError):
            if is_last and not complete:
                msg = "torn last line (a write was interrupted); skipped, earlier rows are intact"
            else:
                msg = "unreadable line (an interrupted write, ended by a later append); skipped"
            problems.append(LoadProblem(path, i, msg))
            continue
        if is_last and not complete:
            # Valid JSON but no newline: the write stopped just before it. The row is whole.
            pass
        rows.append((i, row))
    return rows, problems
