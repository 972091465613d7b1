"""PRISMA 2020 counts computed from the stage tables, and the arithmetic check of every box.

Database branch: records read per database (search log) → duplicates (database records beyond
the first of each work) and records removed for other reasons → records screened → reports
sought → assessed → included. Other-methods branch (citation search, the team's knowledge):
records read → duplicates (records already found by a database, or found twice) → reports
sought → assessed. Both branches meet in "studies included".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import MissingInputError, ValidationError
from ..protocol import Protocol

SCREENING_MEASURES = (
    "records_screened", "records_excluded", "reports_sought", "reports_not_retrieved",
    "reports_assessed", "reports_excluded", "other_reports_sought", "other_reports_not_retrieved",
    "other_reports_assessed", "other_reports_excluded", "studies_included",
)
OPTIONAL_MEASURES = ("records_pending", "reports_pending")

# Which notebook writes each table, for the "what to do" part of an error.
_WRITERS = {
    "search_log.csv": "01_identification", "records.csv": "01_identification",
    "deduplicated.csv": "01_identification", "removed_before_screening.csv": "01_identification",
    "screening_pool.csv": "01_identification", "screening_counts.csv": "02_screening",
}


@dataclass
class PrismaCounts:
    """Every number in the flow diagram. Dicts keep the order in which the boxes list them."""

    databases: dict[str, int]                 # source_id → records read
    other_sources: dict[str, int]             # source_id → records read
    source_names: dict[str, str]
    duplicates: int                           # database branch
    removed_other: dict[str, int]             # reason → works removed (database branch)
    other_duplicates: int
    other_removed: dict[str, int]
    records_screened: int
    records_excluded: int
    reports_sought: int
    reports_not_retrieved: int
    reports_assessed: int
    reports_excluded: int
    reports_excluded_reasons: dict[str, int]
    other_reports_sought: int
    other_reports_not_retrieved: int
    other_reports_assessed: int
    other_reports_excluded: int
    other_reports_excluded_reasons: dict[str, int]
    studies_included: int
    records_pending: int = 0
    reports_pending: int = 0
    # Cross-checks from the stage-1 tables (None when built by hand, e.g. in a test).
    records_read_total: int | None = None     # rows in records.csv
    works_total: int | None = None            # rows in deduplicated.csv
    works_database: int | None = None
    works_other: int | None = None
    pool_database: int | None = None          # screening_pool.csv rows by route
    pool_other: int | None = None
    member_problems: list[str] = field(default_factory=list)

    @property
    def identified_databases(self) -> int:
        return sum(self.databases.values())

    @property
    def identified_other(self) -> int:
        return sum(self.other_sources.values())

    # Reports still undecided, per branch (screening_counts.csv gives only the total).
    @property
    def reports_pending_databases(self) -> int:
        return self.reports_sought - self.reports_not_retrieved - self.reports_assessed

    @property
    def reports_pending_other(self) -> int:
        return self.other_reports_sought - self.other_reports_not_retrieved - self.other_reports_assessed

    def as_table(self, protocol: Protocol | None = None, lang: str = "nb") -> pd.DataFrame:
        """One row per number: branch, box, item, n (the machine-readable prisma_counts.csv)."""
        rows: list[tuple[str, str, str, int]] = []
        for sid, n in self.databases.items():
            rows.append(("databases", "records_identified", sid, n))
        rows.append(("databases", "records_identified", "total", self.identified_databases))
        rows.append(("databases", "duplicates", "", self.duplicates))
        for reason, n in self.removed_other.items():
            rows.append(("databases", "removed_other", reason, n))
        rows.append(("databases", "removed_other", "total", sum(self.removed_other.values())))
        for key in ("records_screened", "records_excluded", "reports_sought",
                    "reports_not_retrieved", "reports_assessed", "reports_excluded"):
            rows.append(("databases", key, "total" if key == "reports_excluded" else "",
                         getattr(self, key)))
        for reason, n in self.reports_excluded_reasons.items():
            rows.append(("databases", "reports_excluded", reason, n))
        for sid, n in self.other_sources.items():
            rows.append(("other", "records_identified", sid, n))
        rows.append(("other", "records_identified", "total", self.identified_other))
        rows.append(("other", "duplicates", "", self.other_duplicates))
        for reason, n in self.other_removed.items():
            rows.append(("other", "removed_other", reason, n))
        for key in ("reports_sought", "reports_not_retrieved", "reports_assessed", "reports_excluded"):
            rows.append(("other", key, "total" if key == "reports_excluded" else "",
                         getattr(self, f"other_{key}")))
        for reason, n in self.other_reports_excluded_reasons.items():
            rows.append(("other", "reports_excluded", reason, n))
        rows.append(("both", "studies_included", "", self.studies_included))
        rows.append(("both", "records_pending", "", self.records_pending))
        rows.append(("both", "reports_pending", "", self.reports_pending))
        return pd.DataFrame(rows, columns=["branch", "box", "item", "n"])


def _read(tables_dir: Path, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    path = Path(tables_dir) / name
    if not path.exists():
        raise MissingInputError(
            f"{path}: not found; the PRISMA counts need it. Run the {_WRITERS.get(name, 'earlier')} "
            f"stage first (review run --stage {_WRITERS.get(name, '01_identification')[:2]})")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValidationError(f"{path}: missing column(s) {', '.join(missing)}; "
                              f"the file does not follow the table contract in docs/architecture.md")
    return df


def _int(value: str, path: Path, what: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValidationError(f"{path}: {what} is {value!r}, not a whole number; "
                              f"fix the value or re-run the stage that writes the file") from None


def _split(ids: str) -> list[str]:
    return [p.strip() for p in str(ids).split(";") if p.strip()]


def read_screening_counts(path: Path) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """``screening_counts.csv`` → (measures, database exclusion reasons, other exclusion reasons)."""
    path = Path(path)
    df = _read(path.parent, path.name, ("measure", "value"))
    measures: dict[str, int] = {}
    db_reasons: dict[str, int] = {}
    other_reasons: dict[str, int] = {}
    seen: set[str] = set()
    for i, row in enumerate(df.itertuples(index=False), start=2):
        measure = row.measure.strip()
        value = _int(row.value, path, f"line {i}, measure {measure!r}")
        if measure in seen:
            raise ValidationError(f"{path}: line {i}: measure {measure!r} appears twice; keep one")
        seen.add(measure)
        if measure.startswith("reports_excluded:"):
            db_reasons[measure.split(":", 1)[1]] = value
        elif measure.startswith("other_reports_excluded:"):
            other_reasons[measure.split(":", 1)[1]] = value
        else:
            measures[measure] = value
    missing = [m for m in SCREENING_MEASURES if m not in measures]
    if missing:
        raise ValidationError(f"{path}: missing measure(s) {', '.join(missing)}; "
                              f"re-run 02_screening, which writes every PRISMA measure")
    for m in OPTIONAL_MEASURES:
        measures.setdefault(m, 0)
    return measures, db_reasons, other_reasons


def removal_reason_key(reason: str, reason_ids: set[str] = frozenset()) -> str:
    """One box line per kind of removal: "published 1987, before the date range 1990–2024" and
    "published 1937, ..." are both ``outside_date_range``, the protocol's reason id."""
    reason = str(reason).strip()
    if reason in reason_ids:
        return reason
    if re.search(r"date range|tidsrom", reason, re.IGNORECASE):
        return "outside_date_range"
    return reason


def compute_counts(tables_dir: str | Path, protocol: Protocol | None = None) -> PrismaCounts:
    """Read the stage tables in ``tables_dir`` (output/tables) and compute every PRISMA number."""
    tables_dir = Path(tables_dir)
    log = _read(tables_dir, "search_log.csv", ("source_id", "source_name", "kind", "records_read"))
    records = _read(tables_dir, "records.csv", ("record_id", "source", "source_kind"))
    works = _read(tables_dir, "deduplicated.csv", ("work_id", "member_ids", "route"))
    removed = _read(tables_dir, "removed_before_screening.csv", ("work_id", "reason"))
    pool = _read(tables_dir, "screening_pool.csv", ("work_id",))
    measures, db_reasons, other_reasons = read_screening_counts(tables_dir / "screening_counts.csv")

    log_path = tables_dir / "search_log.csv"
    databases: dict[str, int] = {}
    others: dict[str, int] = {}
    names: dict[str, str] = {}
    for i, row in enumerate(log.itertuples(index=False), start=2):
        n = _int(row.records_read, log_path, f"line {i}, records_read of {row.source_id!r}")
        if row.kind not in ("database", "other"):
            raise ValidationError(f"{log_path}: line {i}: kind {row.kind!r} of {row.source_id!r} is "
                                  f"neither 'database' nor 'other'; fix the source in protocol.yaml")
        (databases if row.kind == "database" else others)[row.source_id] = n
        names[row.source_id] = row.source_name
    if protocol is not None:
        # Keep the protocol's order, the order a reader expects.
        order = {s.id: i for i, s in enumerate(protocol.sources)}
        databases = dict(sorted(databases.items(), key=lambda kv: order.get(kv[0], len(order))))
        others = dict(sorted(others.items(), key=lambda kv: order.get(kv[0], len(order))))

    route = dict(zip(works.work_id, works.route))
    bad_routes = sorted({r for r in route.values() if r not in ("database", "other")})
    if bad_routes:
        raise ValidationError(f"{tables_dir / 'deduplicated.csv'}: route {bad_routes[0]!r} is neither "
                              f"'database' nor 'other'; re-run 01_identification")
    kind_of = dict(zip(records.record_id, records.source_kind))
    r_db = sum(1 for k in kind_of.values() if k == "database")
    r_other = len(kind_of) - r_db
    w_db = sum(1 for r in route.values() if r == "database")
    w_other = len(route) - w_db

    # Every record read must sit in exactly one work, else the duplicate count means nothing.
    seen: dict[str, str] = {}
    problems: list[str] = []
    for work_id, members in zip(works.work_id, works.member_ids):
        for rid in _split(members):
            if rid in seen:
                problems.append(f"record {rid} is in works {seen[rid]} and {work_id}")
            seen[rid] = work_id
            if rid not in kind_of:
                problems.append(f"work {work_id} names record {rid}, which is not in records.csv")
    for rid in kind_of:
        if rid not in seen:
            problems.append(f"record {rid} is in no work of deduplicated.csv")

    reason_ids = ({t.id for st in protocol.screening.stages for t in st.exclusion_reasons}
                  if protocol is not None else set())

    def _removed(which: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for wid, reason in zip(removed.work_id, removed.reason):
            if route.get(wid) == which:
                key = removal_reason_key(reason, reason_ids)
                out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items()))

    unknown_removed = [w for w in removed.work_id if w not in route]
    problems += [f"removed_before_screening.csv names work {w}, which is not in deduplicated.csv"
                 for w in unknown_removed]
    pool_route = (pool.route.tolist() if "route" in pool.columns
                  else [route.get(w, "") for w in pool.work_id])

    return PrismaCounts(
        databases=databases, other_sources=others, source_names=names,
        duplicates=r_db - w_db, removed_other=_removed("database"),
        other_duplicates=r_other - w_other, other_removed=_removed("other"),
        records_screened=measures["records_screened"], records_excluded=measures["records_excluded"],
        reports_sought=measures["reports_sought"],
        reports_not_retrieved=measures["reports_not_retrieved"],
        reports_assessed=measures["reports_assessed"], reports_excluded=measures["reports_excluded"],
        reports_excluded_reasons=db_reasons,
        other_reports_sought=measures["other_reports_sought"],
        other_reports_not_retrieved=measures["other_reports_not_retrieved"],
        other_reports_assessed=measures["other_reports_assessed"],
        other_reports_excluded=measures["other_reports_excluded"],
        other_reports_excluded_reasons=other_reasons,
        studies_included=measures["studies_included"],
        records_pending=measures["records_pending"], reports_pending=measures["reports_pending"],
        records_read_total=len(kind_of), works_total=len(route), works_database=w_db,
        works_other=w_other, pool_database=sum(1 for r in pool_route if r == "database"),
        pool_other=sum(1 for r in pool_route if r == "other"), member_problems=problems,
    )


# ---------------------------------------------------------------------------------------------
# The arithmetic check of every box.

@dataclass(frozen=True)
class BoxCheck:
    box: str          # the box as a reader sees it, e.g. "Reports assessed for eligibility (databases)"
    equation: str     # what must hold, with the numbers filled in
    expected: int
    shown: int
    slack: int = 0    # undecided items that may explain a shortfall (pending)

    @property
    def ok(self) -> bool:
        return 0 <= self.expected - self.shown <= self.slack if self.slack else self.expected == self.shown


def box_checks(c: PrismaCounts) -> list[BoxCheck]:
    """The equations every box must satisfy; ``ok`` says whether it does."""
    checks: list[BoxCheck] = []
    add = checks.append
    if c.records_read_total is not None:
        read = c.identified_databases + c.identified_other
        add(BoxCheck("Records identified (databases + other methods)",
                     f"search log {c.identified_databases} + {c.identified_other} = rows of records.csv "
                     f"{c.records_read_total}", read, c.records_read_total))
        # Each record read must belong to exactly one work; then duplicates = records − works.
        add(BoxCheck("Duplicate records",
                     f"records read {c.records_read_total} − works {c.works_total} = duplicates "
                     f"{c.duplicates} + {c.other_duplicates}, each record in exactly one work"
                     + (f" ({len(c.member_problems)} problem(s), e.g. {c.member_problems[0]})"
                        if c.member_problems else ""),
                     c.records_read_total, c.records_read_total - len(c.member_problems)))
    removed_db = sum(c.removed_other.values())
    if c.pool_database is not None:
        add(BoxCheck("Records removed for other reasons (databases)",
                     f"{c.identified_databases} identified − {c.duplicates} duplicates − {removed_db} "
                     f"removed = {c.pool_database} works in screening_pool.csv",
                     c.identified_databases - c.duplicates - removed_db, c.pool_database))
    add(BoxCheck("Records screened",
                 f"{c.identified_databases} identified − {c.duplicates} duplicates − {removed_db} removed "
                 f"= {c.records_screened} screened + {c.records_pending} pending",
                 c.identified_databases - c.duplicates - removed_db,
                 c.records_screened + c.records_pending))
    add(BoxCheck("Records excluded",
                 f"{c.records_screened} screened − {c.records_excluded} excluded = "
                 f"{c.reports_sought} reports sought",
                 c.records_screened - c.records_excluded, c.reports_sought))
    add(BoxCheck("Reports assessed for eligibility (databases)",
                 f"{c.reports_sought} sought − {c.reports_not_retrieved} not retrieved = "
                 f"{c.reports_assessed} assessed (+ up to {c.reports_pending} pending)",
                 c.reports_sought - c.reports_not_retrieved, c.reports_assessed, c.reports_pending))
    add(BoxCheck("Reports excluded (databases)",
                 f"reasons {' + '.join(str(v) for v in c.reports_excluded_reasons.values() if v) or '0'} = "
                 f"{c.reports_excluded} excluded",
                 sum(c.reports_excluded_reasons.values()), c.reports_excluded))
    removed_other = sum(c.other_removed.values())
    add(BoxCheck("Reports sought for retrieval (other methods)",
                 f"{c.identified_other} identified − {c.other_duplicates} duplicates − {removed_other} "
                 f"removed = {c.other_reports_sought} sought",
                 c.identified_other - c.other_duplicates - removed_other, c.other_reports_sought))
    if c.pool_other is not None:
        add(BoxCheck("Reports sought for retrieval (other methods), screening pool",
                     f"{c.pool_other} other-method works in screening_pool.csv = "
                     f"{c.other_reports_sought} sought", c.pool_other, c.other_reports_sought))
    add(BoxCheck("Reports assessed for eligibility (other methods)",
                 f"{c.other_reports_sought} sought − {c.other_reports_not_retrieved} not retrieved = "
                 f"{c.other_reports_assessed} assessed (+ up to {c.reports_pending} pending)",
                 c.other_reports_sought - c.other_reports_not_retrieved, c.other_reports_assessed,
                 c.reports_pending))
    add(BoxCheck("Reports pending (both branches)",
                 f"undecided reports {c.reports_pending_databases} (databases) + "
                 f"{c.reports_pending_other} (other methods) = {c.reports_pending} reports_pending",
                 c.reports_pending_databases + c.reports_pending_other, c.reports_pending))
    add(BoxCheck("Reports excluded (other methods)",
                 f"reasons {' + '.join(str(v) for v in c.other_reports_excluded_reasons.values() if v) or '0'} = "
                 f"{c.other_reports_excluded} excluded",
                 sum(c.other_reports_excluded_reasons.values()), c.other_reports_excluded))
    add(BoxCheck("Studies included in review",
                 f"({c.reports_assessed} − {c.reports_excluded}) + ({c.other_reports_assessed} − "
                 f"{c.other_reports_excluded}) = {c.studies_included} included",
                 c.reports_assessed - c.reports_excluded + c.other_reports_assessed
                 - c.other_reports_excluded, c.studies_included))
    return checks


def check_table(c: PrismaCounts) -> pd.DataFrame:
    return pd.DataFrame([{"box": k.box, "equation": k.equation, "expected": k.expected,
                          "shown": k.shown, "ok": k.ok} for k in box_checks(c)])


def assert_balanced(c: PrismaCounts, *, source: str = "the PRISMA counts") -> None:
    """Raise ValidationError naming every box whose numbers do not add up."""
    bad = [k for k in box_checks(c) if not k.ok]
    if bad:
        raise ValidationError(
            f"{source}: the PRISMA box {bad[0].box!r} does not add up ({bad[0].equation}); "
            f"check the decisions and re-run the stage that writes the table",
            [f"{k.box}: {k.equation} (expected {k.expected}, shown {k.shown})" for k in bad])


def pending_warnings(c: PrismaCounts) -> list[str]:
    out = []
    if c.records_pending:
        out.append(f"{c.records_pending} record(s) still wait for a title/abstract decision")
    if c.reports_pending:
        out.append(f"{c.reports_pending} report(s) still wait for a full-text decision")
    return out
