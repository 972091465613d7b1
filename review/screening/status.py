"""Each work's outcome at each stage, the conflicts, and the counts for the PRISMA 2020 boxes.

Outcome of a work at a stage:

- a resolution in ``resolutions.jsonl`` settles it (the latest standing resolution wins);
- else, once at least ``reviewers_per_record`` reviewers have decided: all ``include`` gives
  ``included``; all ``exclude`` gives ``excluded`` (or ``not_retrieved`` at full text when the
  reason is ``not_retrieved``); anything else is a ``conflict``: reviewers disagree, someone said
  ``maybe``, or, at a stage that requires a reason, they excluded for different reasons;
- else ``pending``.

Works whose ``route`` is ``other`` (citation search, the team's own knowledge) skip title/abstract
screening (``skipped``) and go straight to full text, as in PRISMA 2020's other-methods branch.
Database works reach full text when included at title/abstract; otherwise their full-text
status is ``not_sought``.

Counts (``screening_counts.csv``, see docs/architecture.md "Agreed details"): one work is one
report and, when included, one study. ``reports_not_retrieved`` are the full-text decisions
with reason ``not_retrieved``; they are neither assessed nor excluded.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..protocol import Protocol
from .store import NOT_RETRIEVED, DecisionStore, _clean, reason_ids, standing

STATUS_COLUMNS = ["work_id", "route", "title_abstract", "title_abstract_reason", "full_text",
                  "full_text_reason", "final"]
CONFLICT_COLUMNS = ["stage", "work_id", "title", "year", "kind", "decisions", "resolved",
                    "resolution", "resolution_reason", "resolved_by", "resolution_note"]


@dataclass
class StageOutcome:
    status: str
    reason: str | None = None
    conflict: str | None = None  # disagree | maybe | reason
    decisions: str = ""
    resolution: dict | None = None


@dataclass
class ScreeningResult:
    status: pd.DataFrame
    counts: pd.DataFrame
    conflicts: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


def _describe(rows: list[dict]) -> str:
    parts = []
    for r in rows:
        text = f"{r['reviewer']}: {r['decision']}"
        if _clean(r.get("reason")):
            text += f" ({r['reason']})"
        parts.append(text)
    return "; ".join(parts)


def stage_outcomes(store: DecisionStore, stage: str) -> dict[str, StageOutcome]:
    """The outcome of every work anybody decided at ``stage``."""
    protocol = store.protocol
    required = protocol.screening.reviewers_per_record
    needs_reason = protocol.stage(stage).reason_required_for_exclusion
    order = {r: i for i, r in enumerate(reason_ids(protocol, stage))}
    decided = store.decisions(stage)
    res = store.decisions(stage, resolutions=True)
    latest_res: dict[str, dict] = {}
    for r in res.sort_values(["line"]).to_dict("records"):
        latest_res[r["work_id"]] = r  # later lines overwrite: the latest standing resolution wins

    outcomes: dict[str, StageOutcome] = {}
    groups = {w: g.to_dict("records") for w, g in decided.groupby("work_id", sort=True)}
    for work_id in sorted(set(groups) | set(latest_res)):
        rows = groups.get(work_id, [])
        out = StageOutcome(status="pending", decisions=_describe(rows))
        kinds = {r["decision"] for r in rows}
        reasons = {_clean(r["reason"]) for r in rows if r["decision"] == "exclude"}
        if len(rows) >= required:
            if kinds == {"include"}:
                out.status = "included"
            elif kinds == {"exclude"}:
                retrieved = {r != NOT_RETRIEVED for r in reasons}
                if (needs_reason and len(reasons) > 1) or len(retrieved) > 1:
                    out.status, out.conflict = "conflict", "reason"
                else:
                    out.reason = min(reasons - {None}, key=lambda r: order.get(r, 99), default=None)
                    out.status = "not_retrieved" if out.reason == NOT_RETRIEVED else "excluded"
            else:
                out.status = "conflict"
                out.conflict = "maybe" if "maybe" in kinds else "disagree"
        if work_id in latest_res:
            r = latest_res[work_id]
            out.resolution = r
            if r["decision"] == "include":
                out.status, out.reason = "included", None
            elif r["decision"] == "exclude":
                out.reason = _clean(r["reason"])
                out.status = "not_retrieved" if out.reason == NOT_RETRIEVED else "excluded"
            else:  # a resolution of "maybe" settles nothing
                out.status = "conflict"
                out.conflict = out.conflict or "maybe"
        outcomes[work_id] = out
    return outcomes


def _final(ta: str, ft: str) -> str:
    if ta == "excluded":
        return "excluded_title_abstract"
    if ft == "included":
        return "included"
    if ft == "excluded":
        return "excluded_full_text"
    if ft == "not_retrieved":
        return "not_retrieved"
    return "pending"


def screening_status(pool: pd.DataFrame, store: DecisionStore) -> ScreeningResult:
    """The status of every work in ``pool`` (screening_pool.csv), the conflicts and the counts."""
    protocol = store.protocol
    stages = [s.id for s in protocol.screening.stages]
    outcomes = {s: stage_outcomes(store, s) for s in stages}
    ta = outcomes.get("title_abstract", {})
    ft = outcomes.get("full_text", {})
    pool = pool.copy()
    pool["work_id"] = pool["work_id"].astype(str)
    pool = pool.sort_values("work_id", kind="stable").reset_index(drop=True)
    rows = []
    for w in pool.itertuples(index=False):
        route = getattr(w, "route", "database") or "database"
        if route == "other":
            ta_status, ta_reason = "skipped", None
        else:
            o = ta.get(w.work_id)
            ta_status, ta_reason = (o.status, o.reason) if o else ("pending", None)
        if route == "other" or ta_status == "included":
            o = ft.get(w.work_id)
            ft_status, ft_reason = (o.status, o.reason) if o else ("pending", None)
        else:
            ft_status, ft_reason = "not_sought", None
        rows.append({"work_id": w.work_id, "route": route, "title_abstract": ta_status,
                     "title_abstract_reason": ta_reason, "full_text": ft_status,
                     "full_text_reason": ft_reason, "final": _final(ta_status, ft_status)})
    status = pd.DataFrame(rows, columns=STATUS_COLUMNS)

    warnings = []
    pool_ids = set(pool["work_id"])
    for s in stages:
        orphans = sorted(set(outcomes[s]) - pool_ids)
        if orphans:
            warnings.append(f"stage {s}: decisions on {len(orphans)} work(s) not in the screening pool "
                            f"(e.g. {', '.join(orphans[:3])}); did deduplication change? They are ignored.")
    other_ids = set(pool.loc[pool.get("route", pd.Series(dtype=str)) == "other", "work_id"])
    skipped = sorted(set(ta) & other_ids)
    if skipped:
        warnings.append(f"title_abstract: {len(skipped)} other-methods work(s) have title/abstract decisions "
                        "although they go straight to full text; those decisions are ignored.")

    # Conflicts only where the outcome counts: works in the pool, and at title/abstract only database works.
    relevant = {s: {w: o for w, o in outcomes[s].items()
                    if w in pool_ids and not (s == "title_abstract" and w in other_ids)} for s in stages}
    conflicts = conflict_table(relevant, pool)
    counts = screening_counts(status, protocol)
    return ScreeningResult(status, counts, conflicts, warnings)


def conflict_table(outcomes: dict[str, dict[str, StageOutcome]], pool: pd.DataFrame) -> pd.DataFrame:
    """Every work on which the reviewers disagree, with its resolution where there is one."""
    info = pool.set_index("work_id")
    rows = []
    for stage, by_work in outcomes.items():
        for work_id, o in by_work.items():
            if o.conflict is None and o.resolution is None:
                continue
            if o.conflict is None:
                kind = "resolved_without_conflict"
            else:
                kind = o.conflict
            r = o.resolution or {}
            rows.append({
                "stage": stage, "work_id": work_id,
                "title": info["title"].get(work_id) if "title" in info else None,
                "year": info["year"].get(work_id) if "year" in info else None,
                "kind": kind, "decisions": o.decisions,
                "resolved": "yes" if o.status in ("included", "excluded", "not_retrieved") else "no",
                "resolution": _clean(r.get("decision")), "resolution_reason": _clean(r.get("reason")),
                "resolved_by": _clean(r.get("reviewer")), "resolution_note": _clean(r.get("note")),
            })
    df = pd.DataFrame(rows, columns=CONFLICT_COLUMNS)
    return df.sort_values(["stage", "work_id"], kind="stable").reset_index(drop=True)


def screening_counts(status: pd.DataFrame, protocol: Protocol) -> pd.DataFrame:
    """The PRISMA 2020 box counts as ``measure, value`` rows, in a fixed order."""
    reasons = [r.id for r in protocol.stage("full_text").exclusion_reasons if r.id != NOT_RETRIEVED]
    db = status[status["route"] != "other"]
    other = status[status["route"] == "other"]
    out: list[tuple[str, int]] = []

    def branch(prefix: str, part: pd.DataFrame) -> None:
        sought = part[part["full_text"] != "not_sought"]
        out.append((f"{prefix}reports_sought", len(sought)))
        out.append((f"{prefix}reports_not_retrieved", int((sought["full_text"] == "not_retrieved").sum())))
        out.append((f"{prefix}reports_assessed", int(sought["full_text"].isin(["included", "excluded"]).sum())))
        excluded = sought[sought["full_text"] == "excluded"]
        out.append((f"{prefix}reports_excluded", len(excluded)))
        for r in reasons:
            out.append((f"{prefix}reports_excluded:{r}", int((excluded["full_text_reason"] == r).sum())))

    ta_decided = db["title_abstract"].isin(["included", "excluded"])
    out.append(("records_screened", int(ta_decided.sum())))
    out.append(("records_excluded", int((db["title_abstract"] == "excluded").sum())))
    branch("", db)
    branch("other_", other)
    out.append(("studies_included", int((status["full_text"] == "included").sum())))
    out.append(("records_pending", int(db["title_abstract"].isin(["pending", "conflict"]).sum())))
    out.append(("reports_pending", int(status["full_text"].isin(["pending", "conflict"]).sum())))
    return pd.DataFrame(out, columns=["measure", "value"])


__all__ = ["screening_status", "stage_outcomes", "screening_counts", "conflict_table", "ScreeningResult",
           "standing"]
