"""Import screening decisions from a Rayyan export (``articles.csv`` and ``customizations_log.csv``).

Rayyan writes its data into the ``notes`` column after any notes the record already had,
as pipe-separated markers::

    Existing note | RAYYAN-INCLUSION: {"Anne Marie Øydgard"=>"Included", "Bo Li"=>"Excluded"}
      | RAYYAN-LABELS: kommune,hjemmetjeneste
      | RAYYAN-EXCLUSION-REASONS: wrong population,"not Norway, or Nordic"
      | USER-NOTES: {"Bo Li"=>["Swedish study"]}

Reviewer names may contain spaces; labels and reasons are comma-separated, and a reason that
contains a comma is quoted. The notes do not say which reviewer gave which reason; the event log
``customizations_log.csv`` does (rows with ``key`` ``__EXR__<reason>`` and ``value`` 1 = set,
0 = removed, per ``article_id`` and user), so it is used where present. Without it, every
reviewer who excluded a record gets the record's reasons.

Rayyan names and reasons map to the protocol's reviewer ids and reason ids with ``reviewer_map``
and ``reason_map``; a reason also matches a reason id or its nb/en label (any case).
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ParseError, ValidationError
from .fulltexts import fold
from .matching import WorkMatcher
from .store import DecisionStore, reason_ids, reason_labels

MARKERS = ("RAYYAN-INCLUSION", "RAYYAN-LABELS", "RAYYAN-EXCLUSION-REASONS", "USER-NOTES")
_MARKER_RE = re.compile(r"(?:^|\s*\|\s*)(" + "|".join(MARKERS) + r"):\s*")
_PAIR_RE = re.compile(r'"((?:[^"\\]|\\.)*)"\s*=>\s*"(Included|Excluded|Maybe)"')
_NOTES_RE = re.compile(r'"((?:[^"\\]|\\.)*)"\s*=>\s*\[(.*?)\]', re.S)
_STRING_RE = re.compile(r'"((?:[^"\\]|\\.)*)"')
DECISION = {"Included": "include", "Excluded": "exclude", "Maybe": "maybe"}
LOG_DECISION = {"1": "include", "-1": "exclude", "0": "maybe"}


@dataclass
class RayyanNotes:
    notes: str = ""
    inclusion: dict[str, str] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    user_notes: dict[str, list[str]] = field(default_factory=dict)


def _split_list(text: str) -> list[str]:
    text = text.strip()
    if not text:
        return []
    row = next(csv.reader([text], skipinitialspace=True))
    return [r.strip() for r in row if r.strip()]


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def parse_notes(text: str) -> RayyanNotes:
    """Split a Rayyan ``notes`` value into the record's own notes and Rayyan's markers."""
    text = text or ""
    found = list(_MARKER_RE.finditer(text))
    out = RayyanNotes(notes=(text[: found[0].start()] if found else text).strip())
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        value = text[m.end():end].strip()
        marker = m.group(1)
        if marker == "RAYYAN-INCLUSION":
            out.inclusion = {_unescape(n): DECISION[d] for n, d in _PAIR_RE.findall(value)}
        elif marker == "RAYYAN-LABELS":
            out.labels = _split_list(value)
        elif marker == "RAYYAN-EXCLUSION-REASONS":
            out.reasons = _split_list(value)
        elif marker == "USER-NOTES":
            out.user_notes = {_unescape(n): [_unescape(s) for s in _STRING_RE.findall(body)]
                              for n, body in _NOTES_RE.findall(value)}
    return out


def reviewer_slug(name: str) -> str:
    """A reviewer id from a display name: 'Anne Marie Øydgard' -> 'anne_marie_oydgard'."""
    text = unicodedata.normalize("NFKD", fold(name) if fold(name) else name)
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "reviewer"


def _read_csv(path: Path) -> list[tuple[int, dict]]:
    """Rows with the line each starts on (quoted notes can span lines)."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows, start = [], 2
    for row in reader:
        rows.append((start, row))
        start = reader.line_num + 1
    return rows


def _log_reasons(log_path: Path) -> tuple[dict[str, dict[str, set[str]]], dict[str, dict[str, str]]]:
    """Per user: article id -> reasons set, and article id -> last decision, from the event log."""
    rows = [r for _, r in _read_csv(log_path)]
    if not rows:
        return {}, {}
    cols = rows[0].keys()
    user_col = next((c for c in ("user_name", "user", "name", "user_email", "user_id") if c in cols), None)
    for needed in ("article_id", "key", "value"):
        if needed not in cols or user_col is None:
            raise ParseError(log_path, f"customizations log has no {needed if user_col else 'user'} column; "
                             "expected article_id, user_email (or user_name), key, value, created_at")
    rows.sort(key=lambda r: r.get("created_at", ""))
    reasons: dict[str, dict[str, set[str]]] = {}
    decisions: dict[str, dict[str, str]] = {}
    for r in rows:
        user, art, key, value = r[user_col], r["article_id"].strip(), r["key"].strip().strip('"'), r["value"].strip()
        if key.startswith("__EXR__"):
            s = reasons.setdefault(user, {}).setdefault(art, set())
            (s.add if value == "1" else s.discard)(key[len("__EXR__"):].strip())
        elif key == "included":
            if value in LOG_DECISION:
                decisions.setdefault(user, {})[art] = LOG_DECISION[value]
            else:
                decisions.setdefault(user, {}).pop(art, None)
    return reasons, decisions


def _article_id(article: dict) -> str:
    """Rayyan's ``key`` is ``rayyan-<id>``; the log's ``article_id`` is the bare id."""
    return re.sub(r"^rayyan-", "", str(article.get("key", "")).strip())


@dataclass
class ImportResult:
    rows: list[dict]
    unmatched: list[str]
    written: int = 0


def import_rayyan(store: DecisionStore, articles_csv: str | Path, stage: str, pool, *,
                  log_csv: str | Path | None = None, reviewer_map: dict[str, str] | None = None,
                  reason_map: dict[str, str] | None = None, write: bool = True) -> ImportResult:
    """Turn a Rayyan export into decision rows for ``stage`` and (with ``write``) append them.

    ``log_csv`` defaults to ``customizations_log.csv`` beside ``articles_csv`` when that exists.
    Records that match no work of ``pool`` are listed in ``unmatched``; nothing half-imports:
    every row is checked before any is written.
    """
    articles_csv = Path(articles_csv)
    if log_csv is None and (articles_csv.parent / "customizations_log.csv").exists():
        log_csv = articles_csv.parent / "customizations_log.csv"
    reviewer_map = dict(reviewer_map or {})
    reason_map = {k.casefold(): v for k, v in (reason_map or {}).items()}
    allowed = reason_ids(store.protocol, stage)
    for lang in ("nb", "en"):
        for rid, label in reason_labels(store.protocol, stage, lang).items():
            reason_map.setdefault(label.casefold(), rid)
    for rid in allowed:
        reason_map.setdefault(rid.casefold(), rid)
        reason_map.setdefault(rid.replace("_", " ").casefold(), rid)

    articles = _read_csv(articles_csv)
    if articles and "notes" not in articles[0][1]:
        raise ParseError(articles_csv, "no notes column; is this Rayyan's articles.csv export?")
    log_reasons, log_decisions = _log_reasons(Path(log_csv)) if log_csv else ({}, {})
    matcher = WorkMatcher(pool)
    parsed = [(line, a, parse_notes(a.get("notes", ""))) for line, a in articles]

    # Log users are e-mail addresses or user ids; pair each with the display name whose
    # decisions in the notes it agrees with most.
    user_for_name: dict[str, str] = {}
    names = sorted({n for _, _, p in parsed for n in p.inclusion})
    for name in names:
        if name in log_reasons or name in log_decisions:
            user_for_name[name] = name
            continue
        scores = {}
        for user, decs in log_decisions.items():
            scores[user] = sum(1 for _, a, p in parsed
                               if name in p.inclusion and decs.get(_article_id(a)) == p.inclusion[name])
        if scores and max(scores.values()) > 0:
            user_for_name[name] = max(sorted(scores), key=lambda u: scores[u])

    rows, problems, unmatched = [], [], []
    for line, a, p in parsed:
        if not p.inclusion:
            continue
        where = f"{articles_csv}, line {line}"
        work_id = matcher.match(work_id=a.get("key"), doi=a.get("doi"), title=a.get("title"), year=a.get("year"),
                                authors=a.get("authors"))
        if work_id is None:
            unmatched.append(f"{where}: {a.get('title', '')[:80]!r} matches no work in the screening pool")
            continue
        art_id = _article_id(a)
        for name, decision in sorted(p.inclusion.items()):
            reviewer = reviewer_map.get(name) or reviewer_slug(name)
            texts = p.reasons
            user = user_for_name.get(name)
            if log_csv and user is not None:
                texts = sorted(log_reasons.get(user, {}).get(art_id, set()))
            reason = None
            if decision == "exclude" and texts:
                ids = []
                for t in texts:
                    rid = reason_map.get(t.casefold())
                    if rid is None:
                        problems.append(f"{where}: Rayyan reason {t!r} is not a protocol reason; add it to "
                                        f"reason_map (protocol reasons: {', '.join(allowed)})")
                    else:
                        ids.append(rid)
                if ids:
                    ids = sorted(set(ids), key=allowed.index)
                    reason = ids[0]
            note_parts = ["Imported from Rayyan"]
            if reason and len(texts) > 1:
                note_parts.append("reasons: " + "; ".join(texts))
            note_parts += p.user_notes.get(name, [])
            row = {"work_id": work_id, "reviewer": reviewer, "stage": stage, "decision": decision,
                   "reason": reason, "note": ". ".join(note_parts)}
            bad = store.check_row({**row, "timestamp": "2000-01-01T00:00:00Z"})
            if bad:
                problems.append(f"{where}: reviewer {name!r}: " + "; ".join(bad))
            rows.append(row)
    if problems:
        raise ValidationError(f"{articles_csv}: {len(problems)} problem(s) in the Rayyan export; nothing imported",
                              problems)
    result = ImportResult(rows, unmatched)
    if write and rows:
        result.written = store.append_many(rows)
    return result
