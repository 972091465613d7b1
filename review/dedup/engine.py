"""``deduplicate``: blocking, pair decisions, conflict-aware grouping, merge, audit, overrides."""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from review.dedup import rules
from review.dedup.blocking import candidate_pairs
from review.dedup.features import Features, compute_features
from review.dedup.overrides import OVERRIDE_COLUMNS, read_overrides
from review.errors import ValidationError

# The merged bibliographic columns of a work (the canonical record columns minus per-file ones).
BIBLIOGRAPHIC_COLUMNS = ["title", "authors", "year", "container", "volume", "issue", "pages", "doi",
                         "issn", "isbn", "abstract", "keywords", "language", "url", "pub_type",
                         "source_ids"]
WORK_COLUMNS = ["work_id", "member_ids", "sources", "n_members", "route"] + BIBLIOGRAPHIC_COLUMNS
PAIR_COLUMNS = ["record_id_a", "record_id_b", "title_score", "title_set_score", "author_score",
                "authors", "year", "container", "volume", "issue", "pages", "last_page", "doi",
                "decision", "rule", "found_by", "scorer_decision", "scorer_rule", "same_work", "note"]
# Strongest evidence first, so the best links are made before weaker ones can block them.
_RULE_ORDER = {"override": 0, "doi_match": 1, "title_biblio_match": 2, "title_match": 3,
               "no_title_biblio_match": 4, "title_close_biblio_match": 5, "biblio_match": 6}


@dataclass
class DedupResult:
    works: pd.DataFrame
    pairs: pd.DataFrame
    overrides: pd.DataFrame
    stats: dict = field(default_factory=dict)


def _text(v) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return ""
    return str(v)


def member_order(records: pd.DataFrame, source_files: Sequence[tuple[str, str]] | None = None) -> np.ndarray:
    """Row order by (source, file) rank, position, record_id: the first member names the work.

    The (source, file) rank comes from ``source_files`` (the protocol's sources in order, each
    source's files in order) or else from first appearance in ``records``, which the identification
    stage writes in protocol order. New exports appended to the protocol sort after existing ones, so
    the member that names an already screened work stays first and its ``work_id`` does not change.
    """
    src = [_text(v) for v in records.get("source", pd.Series([""] * len(records))).tolist()]
    fil = [_text(v) for v in records.get("file", pd.Series([""] * len(records))).tolist()]
    rank: dict[tuple[str, str], int] = {}
    if source_files:
        for k, sf in enumerate(source_files):
            rank.setdefault((str(sf[0]), str(sf[1])), k)
    base = len(rank)
    for sf in zip(src, fil):
        if sf not in rank:
            rank[sf] = base + len(rank)
    pos = pd.to_numeric(records.get("position", pd.Series([0] * len(records))), errors="coerce")
    pos = pos.fillna(0).astype("int64").tolist()
    ids = [_text(v) for v in records["record_id"].tolist()]
    keys = [(rank[sf], p, rid) for sf, p, rid in zip(zip(src, fil), pos, ids)]
    return np.array(sorted(range(len(keys)), key=keys.__getitem__), dtype=np.int64)


class _Groups:
    """Union-find keeping member lists, so compatibility can be checked member by member."""

    def __init__(self, n: int):
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {}

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def of(self, root: int) -> list[int]:
        return self.members.get(root, [root])

    def union(self, ra: int, rb: int) -> None:
        if rb < ra:
            ra, rb = rb, ra
        self.members[ra] = self.of(ra) + self.of(rb)
        self.members.pop(rb, None)
        self.parent[rb] = ra


def _merge_source_ids(values: list[str]) -> str:
    merged: dict[str, list[str]] = {}
    for v in values:
        if not v:
            continue
        try:
            obj = json.loads(v)
        except ValueError:
            continue
        if not isinstance(obj, dict):
            continue
        for k, val in obj.items():
            vals = val if isinstance(val, list) else [val]
            for x in vals:
                x = str(x)
                if x and x not in merged.setdefault(k, []):
                    merged[k].append(x)
    out = {k: (v[0] if len(v) == 1 else sorted(v)) for k, v in sorted(merged.items()) if v}
    return json.dumps(out, ensure_ascii=False, sort_keys=True) if out else ""


def _most_complete(values: list[str]) -> str:
    """The longest non-empty value; ties go to the earliest member."""
    best = ""
    for v in values:
        if len(v.strip()) > len(best.strip()):
            best = v
    return best


def deduplicate(records: pd.DataFrame, *, overrides_path: Path | None = None, progress: bool = False,
                source_files: Sequence[tuple[str, str]] | None = None,
                workers: int = 1, screened: Iterable[str] = ()) -> DedupResult:
    """Group the records of ``records`` (canonical record table) into works.

    ``source_files``: optional (source_id, file) pairs in protocol order, for the work-id rule
    (see ``member_order``). ``workers``: threads for rapidfuzz scoring (1 keeps runs reproducible
    on any machine; results do not depend on it). ``screened``: work ids that already carry
    screening decisions. Each stays a work id, and no two are merged unless a reviewer's
    override says so, so a new export that bridges two screened works cannot orphan a decision.
    """
    if "record_id" not in records.columns:
        raise ValidationError("records table has no record_id column; pass the canonical record table "
                              "(review.identification records.csv)")
    ids_all = records["record_id"].map(_text)
    if (ids_all == "").any():
        raise ValidationError(f"records table: {(ids_all == '').sum()} row(s) have an empty record_id; "
                              "re-run identification")
    dup = ids_all[ids_all.duplicated()]
    if len(dup):
        raise ValidationError(f"records table: record_id {dup.iloc[0]!r} occurs more than once; "
                              "record ids must be unique, re-run identification")

    order = member_order(records, source_files)
    recs = records.iloc[order].reset_index(drop=True)
    f = compute_features(recs)
    n = len(f)
    index_of = {rid: k for k, rid in enumerate(f.record_id)}

    # Overrides, keyed by index pair (lo, hi).
    ov = read_overrides(overrides_path)
    ov_by_pair: dict[tuple[int, int], dict] = {}
    unknown = []
    for row in ov.to_dict("records"):
        a, b = index_of.get(row["record_id_a"]), index_of.get(row["record_id_b"])
        if a is None or b is None:
            missing = row["record_id_a"] if a is None else row["record_id_b"]
            unknown.append(f"{overrides_path}: line {row['line']}: record {missing} is not in the records "
                           "table; check the id in output/tables/records.csv")
            continue
        ov_by_pair[(min(a, b), max(a, b))] = row
    if unknown:
        raise ValidationError(f"{overrides_path}: {len(unknown)} override row(s) name unknown records", unknown)

    # Candidates and their decisions.
    ci, cj, dropped = candidate_pairs(f)
    t_sc, ts_sc, a_sc, b_sc = rules.score_arrays(f, ci, cj, workers=workers) if len(ci) else ([],) * 4
    decided: dict[tuple[int, int], tuple] = {}
    it = range(len(ci))
    if progress:
        from tqdm.auto import tqdm
        it = tqdm(it, desc="deduplicate: scoring pairs", unit="pair")
    for k in it:
        i, j = int(ci[k]), int(cj[k])
        s = rules.effective_scores(f, i, j, rules.PairScores(float(t_sc[k]), float(ts_sc[k]),
                                                             float(a_sc[k]), float(b_sc[k])))
        d, r, st = rules.decide(f, i, j, s)
        decided[(i, j)] = (d, r, s, tuple(st[k] for k in rules.STATE_KEYS), "blocking")

    def pair_info(i: int, j: int) -> tuple:
        key = (i, j) if i < j else (j, i)
        got = decided.get(key)
        if got is None:
            s = rules.score_pair(f, *key)
            d, r, st = rules.decide(f, key[0], key[1], s)
            got = decided[key] = (d, r, s, tuple(st[k] for k in rules.STATE_KEYS), "group_check")
        return got

    pinned = {index_of[r] for r in screened if r in index_of}

    def conflict(i: int, j: int) -> tuple[int, int, str] | None:
        key = (i, j) if i < j else (j, i)
        o = ov_by_pair.get(key)
        if o is not None:
            return None if o["decision"] == "same" else (key[0], key[1], "override")
        if i in pinned and j in pinned:
            return (key[0], key[1], "screened_apart")
        d, r, *_ = pair_info(*key)
        return (key[0], key[1], r) if rules.is_conflict(r) else None

    groups = _Groups(n)
    notes: dict[tuple[int, int], str] = {}
    # 1) reviewer "same" overrides, checked only against reviewer "different" overrides.
    for (i, j), o in sorted(ov_by_pair.items()):
        if o["decision"] != "same":
            continue
        ri, rj = groups.find(i), groups.find(j)
        if ri == rj:
            continue
        clash = [(x, y) for x in groups.of(ri) for y in groups.of(rj)
                 if ov_by_pair.get((min(x, y), max(x, y)), {}).get("decision") == "different"]
        if clash:
            x, y = clash[0]
            notes[(i, j)] = (f"kept apart: a reviewer marked {f.record_id[min(x, y)]} and "
                             f"{f.record_id[max(x, y)]} as different")
            continue
        groups.union(ri, rj)
    # 2) scorer "same" pairs, strongest first; a link is made only if no member pair conflicts.
    links = [(i, j) for (i, j), v in decided.items() if v[0] == rules.SAME and (i, j) not in ov_by_pair]
    links.sort(key=lambda p: (_RULE_ORDER[decided[p][1]], -decided[p][2].title, p))
    for i, j in links:
        ri, rj = groups.find(i), groups.find(j)
        if ri == rj:
            continue
        clash = None
        for x in groups.of(ri):
            for y in groups.of(rj):
                clash = conflict(x, y)
                if clash:
                    break
            if clash:
                break
        if clash:
            notes[(i, j)] = (f"kept apart: {f.record_id[clash[0]]} and {f.record_id[clash[1]]} "
                             f"conflict ({clash[2]})")
            continue
        groups.union(ri, rj)

    roots = [groups.find(k) for k in range(n)]
    works = _merge(recs, f, groups, roots, pinned)
    pairs = _audit(f, decided, ov_by_pair, roots, notes)
    overrides = _override_table(f, ov_by_pair, decided, roots)
    stats = {"records": n, "works": len(works), "candidate_pairs": int(len(ci)),
             "pairs_checked_in_grouping": sum(1 for v in decided.values() if v[4] == "group_check"),
             "records_in_dropped_blocks": dropped, "screened_work_ids": len(pinned)}
    return DedupResult(works=works, pairs=pairs, overrides=overrides, stats=stats)


def _merge(recs: pd.DataFrame, f: Features, groups: _Groups, roots: list[int],
           pinned: set[int] = frozenset()) -> pd.DataFrame:
    n = len(f)
    cols = {c: ([_text(v) for v in recs[c].tolist()] if c in recs.columns else [""] * n)
            for c in BIBLIOGRAPHIC_COLUMNS + ["source", "source_kind"]}
    out: dict[str, list] = {c: [] for c in WORK_COLUMNS}
    for root in sorted(set(roots)):
        members = sorted(groups.of(root))
        # A screened work keeps its id even when a record that sorts before it joins the work.
        lead = next((m for m in members if m in pinned), members[0])
        out["work_id"].append(f.record_id[lead])
        out["member_ids"].append("; ".join(f.record_id[m] for m in members))
        srcs: list[str] = []
        for m in members:
            s = cols["source"][m]
            if s and s not in srcs:
                srcs.append(s)
        out["sources"].append("; ".join(srcs))
        out["n_members"].append(len(members))
        out["route"].append("database" if any(cols["source_kind"][m] == "database" for m in members)
                            else "other")
        for c in BIBLIOGRAPHIC_COLUMNS:
            vals = [cols[c][m] for m in members]
            if len(members) == 1:
                out[c].append(vals[0])
            elif c == "source_ids":
                out[c].append(_merge_source_ids(vals))
            elif c == "year":
                out[c].append(next((v for v in vals if v), ""))
            else:
                out[c].append(_most_complete(vals))
    works = pd.DataFrame(out, columns=WORK_COLUMNS)
    return works.sort_values("work_id", kind="stable").reset_index(drop=True)


def _audit(f: Features, decided: dict, ov_by_pair: dict, roots: list[int], notes: dict) -> pd.DataFrame:
    keys = sorted(set(decided) | set(ov_by_pair))
    cols: dict[str, list] = {c: [] for c in PAIR_COLUMNS}
    for i, j in keys:
        got = decided.get((i, j))
        if got is None:
            s = rules.score_pair(f, i, j)
            d, r, st = rules.decide(f, i, j, s)
            got = (d, r, s, tuple(st[k] for k in rules.STATE_KEYS), "override")
        d, r, s, st, found = got
        o = ov_by_pair.get((i, j))
        a, b = sorted((f.record_id[i], f.record_id[j]))
        both_titles = bool(f.title[i] and f.title[j])
        cols["record_id_a"].append(a)
        cols["record_id_b"].append(b)
        cols["title_score"].append(round(s.title, 1) if both_titles else None)
        cols["title_set_score"].append(round(s.title_set, 1) if both_titles else None)
        cols["author_score"].append(round(s.authors, 1) if f.author_key[i] and f.author_key[j] else None)
        for k, v in zip(rules.STATE_KEYS, st):
            cols[k].append(v)
        cols["decision"].append(o["decision"] if o else d)
        cols["rule"].append("override" if o else r)
        cols["found_by"].append(found)
        cols["scorer_decision"].append(d)
        cols["scorer_rule"].append(r)
        cols["same_work"].append(roots[i] == roots[j])
        cols["note"].append(notes.get((i, j), ""))
    pairs = pd.DataFrame(cols, columns=PAIR_COLUMNS)
    return pairs.sort_values(["record_id_a", "record_id_b"], kind="stable").reset_index(drop=True)


def _override_table(f: Features, ov_by_pair: dict, decided: dict, roots: list[int]) -> pd.DataFrame:
    rows = []
    for (i, j), o in ov_by_pair.items():
        got = decided.get((i, j))
        if got is None:
            s = rules.score_pair(f, i, j)
            d, r, _ = rules.decide(f, i, j, s)
        else:
            d, r = got[0], got[1]
        together = roots[i] == roots[j]
        rows.append({**{c: o[c] for c in OVERRIDE_COLUMNS}, "line": o["line"],
                     "scorer_decision": d, "scorer_rule": r,
                     "changed_result": d != o["decision"],
                     "honoured": together == (o["decision"] == "same")})
    cols = OVERRIDE_COLUMNS + ["line", "scorer_decision", "scorer_rule", "changed_result", "honoured"]
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["record_id_a", "record_id_b"], kind="stable").reset_index(drop=True)
