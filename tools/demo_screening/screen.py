"""Record the flagship's demonstration screening decisions.

The review's real Rayyan decisions are not public. Two demonstration reviewers (demo_a, demo_b)
screen the demonstration records by applying the protocol's criteria as explicit rules, and a third
(demo_c) resolves their conflicts. The rules are below, in the open, so anyone can check them:

- The report's 24 included studies (extraction/studies/, linked to works by title, first author
  and year) are included by both reviewers at both stages: the report included them.
- Title/abstract (database route only; other-method works go straight to full text, as in PRISMA
  2020): a work is included when its title, abstract and keywords speak of service allocation in
  Norwegian municipal health and care. demo_a needs all three signals; demo_b is more lenient and
  answers "maybe" where allocation is missing but the work is Norwegian, municipal care and about
  coordination. Exclusions take the first unmet criterion as their reason.
- Full text: the four seed documents in fulltexts/ are judged on their text (reasons below); other
  works reaching full text are excluded with the first unmet criterion, judged on the record.
- demo_c resolves every conflict with demo_a's strict reading.

The decisions are written once into decisions/screening/ with fixed timestamps (September 2024,
when the review team screened) and then committed: `review run` only reads them.

Usage: .venv/bin/review run --stage 01 --out /tmp/flagship && \
       .venv/bin/python tools/demo_screening/screen.py --pool /tmp/flagship/tables/screening_pool.csv
"""
from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from review.extraction import link_studies, load_studies  # noqa: E402
from review.screening.fulltexts import find_fulltext, read_index  # noqa: E402
from review.screening.store import DecisionStore  # noqa: E402

NORWAY = r"norw|norsk|norge|noreg|nordic|scandinav|kommun|bydel|oslo|bergen|trondheim|tromsø|stavanger|\bnav\b"
NORWEGIAN_WORDS = r"\b(og|i|av|for|til|med|på|om|en|et|som)\b"
ALLOCATION = (r"tildel|allocat|vedtak|bestiller|purchaser|tillitsmodell|trust model|tillitsreform|"
              r"koordinerende enhet|gatekeep|needs assess|behovsvurd|saksbehandl|rationing|prioriter|"
              r"service assess|forvaltning|care manag|case manag|assessor|discretion|skjønn")
MUNICIPAL = (r"kommun|municipal|home care|home-based|homebased|hjemmetjeneste|hjemmesykepleie|sykehjem|"
             r"nursing home|long-term care|primary (health )?care|omsorg|community care|local government|"
             r"rus|psykisk helse|mental health|eldre|older|elderly")
COORDINATION = r"samhandl|samordn|koordin|coordinat|integrat|individuell plan|individual plan"
STAFF = (r"saksbehandl|ansatt|leder|utfører|sykepleier|helsefagarbeider|staff|nurse|manager|caseworker|"
         r"professional|employee|allocator|frontline|worker|personnel|ergoterapeut|fysioterapeut")

# The seeds' full texts, judged on their text (see the module docstring).
SEED_FULL_TEXT = {
    "seed000": ("not_allocation", "not_allocation",
                "Studies which administrative values the coordinating unit (koordinerende enhet) of two "
                "municipalities weighs; the allocation of services and its organisation are not studied."),
    "seed001": ("not_allocation", None,
                "Strategies for coordinating health and care services in Nedre Eiker and Røyken after the "
                "Coordination Reform; how allocation is organised is background, not studied."),
    "seed002": ("not_allocation", "not_allocation",
                "Individual plans and coordination for users with complex needs; allocation of services "
                "is not examined."),
    "seed004": ("not_allocation", "not_allocation",
                "Horizontal and vertical coordination in municipal mental-health work; the allocation unit "
                "is described as part of the organisation, not examined for staff experiences of quality."),
}


def _has(pattern: str, text: str) -> bool:
    return re.search(pattern, text, flags=re.IGNORECASE) is not None


def _text(work: dict) -> str:
    return " ".join(str(work.get(k) or "") for k in ("title", "abstract", "keywords", "container"))


def _signals(work: dict) -> dict[str, bool]:
    text = _text(work)
    title = str(work.get("title") or "")
    norwegian_language = len(re.findall(NORWEGIAN_WORDS, title, flags=re.IGNORECASE)) >= 2
    return {
        "norway": _has(NORWAY, text) or norwegian_language,
        "allocation": _has(ALLOCATION, text),
        "municipal": _has(MUNICIPAL, text),
        "coordination": _has(COORDINATION, text),
        "staff": _has(STAFF, text),
    }


def first_unmet(sig: dict[str, bool], *, full_text: bool = False) -> str | None:
    if not sig["allocation"]:
        return "not_allocation"
    if not sig["municipal"]:
        return "not_municipal_health_care"
    if not sig["norway"]:
        return "not_norway"
    if full_text and not sig["staff"]:
        return "no_staff_experience"
    if full_text:
        return "no_quality_dimension"
    return None


def title_abstract(sig: dict[str, bool], reviewer: str) -> tuple[str, str | None]:
    reason = first_unmet(sig)
    if reason is None:
        return "include", None
    if reviewer == "demo_b" and sig["norway"] and sig["municipal"] and sig["coordination"]:
        return "maybe", None
    return "exclude", reason


def link_included(pool: pd.DataFrame) -> dict[str, str]:
    """study_id -> work_id for the report's 24 included studies."""
    studies = load_studies(ROOT / "extraction/studies")
    links = link_studies(studies, pool)
    out = {}
    for row in links.itertuples():
        if row.status in ("proposed", "confirmed") and row.proposed_work_id:
            out[row.study_id] = row.proposed_work_id
            continue
        # Where titles are not established, fall back on first author and year among the works
        # the demonstration corpus placed in the citation search.
        study = studies[row.study_id]
        author = study.data["citation"]["authors"][0].split(",")[0].strip()
        year = int(study.data["citation"]["year"])
        cand = pool[(pool["sources"] == "citation_search") & (pool["title"].isna())
                    & (pool["authors"].fillna("").str.startswith(author))
                    & (pd.to_numeric(pool["year"], errors="coerce") == year)]
        if len(cand) != 1:
            raise SystemExit(f"cannot link {row.study_id}: {len(cand)} candidates")
        out[row.study_id] = cand["work_id"].iloc[0]
    if len(set(out.values())) != len(out):
        raise SystemExit("two studies linked to one work")
    return out


def decide(pool: pd.DataFrame, included: dict[str, str], seeds: dict[str, str]) -> list[dict]:
    included_ids = set(included.values())
    clock = {r: datetime(2024, 9, 2, 8, 0) + timedelta(minutes=i * 7) for i, r in
             enumerate(["demo_a", "demo_b", "demo_c"])}

    def stamp(reviewer: str, stage: str) -> str:
        if stage == "full_text" and clock[reviewer] < datetime(2024, 9, 16, 8, 0):
            clock[reviewer] = datetime(2024, 9, 16, 8, 0) + (clock[reviewer] - datetime(2024, 9, 2, 8, 0)) / 20
        clock[reviewer] += timedelta(minutes=2)
        return clock[reviewer].strftime("%Y-%m-%dT%H:%M:%SZ")

    rows: list[dict] = []
    resolutions: list[dict] = []
    to_full_text = []
    works = pool.sort_values("work_id").to_dict("records")
    for w in works:
        wid = w["work_id"]
        if w["route"] != "database":
            to_full_text.append(w)
            continue
        sig = _signals(w)
        verdicts = {}
        for r in ("demo_a", "demo_b"):
            if wid in included_ids or wid in seeds:
                verdicts[r] = ("include", None)
            else:
                verdicts[r] = title_abstract(sig, r)
            rows.append(dict(work_id=wid, reviewer=r, stage="title_abstract", decision=verdicts[r][0],
                             reason=verdicts[r][1], timestamp=stamp(r, "title_abstract")))
        final = verdicts["demo_a"]
        if verdicts["demo_a"][0] != verdicts["demo_b"][0]:
            resolutions.append(dict(work_id=wid, reviewer="demo_c", stage="title_abstract",
                                    decision=final[0], reason=final[1],
                                    note="Resolved with the strict reading of the criteria.",
                                    timestamp=stamp("demo_c", "title_abstract")))
        if final[0] == "include":
            to_full_text.append(w)
    for w in to_full_text:
        wid = w["work_id"]
        sig = _signals(w)
        seed = seeds.get(wid)
        for r in ("demo_a", "demo_b"):
            if wid in included_ids:
                decision, reason, note = "include", None, None
            elif seed is not None:
                reason_a, reason_b, why = SEED_FULL_TEXT[seed]
                reason = reason_a if r == "demo_a" else reason_b
                decision, note = ("exclude", why) if reason else ("include", "Borderline: coordination of services may bear on allocation.")
            else:
                decision, reason, note = "exclude", first_unmet(sig, full_text=True), None
            rows.append(dict(work_id=wid, reviewer=r, stage="full_text", decision=decision, reason=reason,
                             note=note, timestamp=stamp(r, "full_text")))
        if seed is not None and SEED_FULL_TEXT[seed][1] is None:
            resolutions.append(dict(work_id=wid, reviewer="demo_c", stage="full_text", decision="exclude",
                                    reason=SEED_FULL_TEXT[seed][0], note=SEED_FULL_TEXT[seed][2],
                                    timestamp=stamp("demo_c", "full_text")))
    return rows + [dict(r, resolution=True) for r in resolutions]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pool", required=True, type=Path, help="screening_pool.csv from stage 1")
    ap.add_argument("--review", default=ROOT, type=Path)
    args = ap.parse_args(argv)
    pool = pd.read_csv(args.pool, dtype=str, keep_default_na=False).replace("", None)
    store = DecisionStore(args.review)
    existing = list((args.review / "decisions/screening").rglob("*.jsonl"))
    if existing:
        raise SystemExit(f"decisions already recorded ({len(existing)} files); the store is append-only")
    included = link_included(pool)
    index = read_index(args.review)
    seeds = {}
    for w in pool.to_dict("records"):
        found = find_fulltext(args.review, w, index)
        if found is not None:
            seeds[w["work_id"]] = found.name[:7]
    rows = decide(pool, included, seeds)
    plain = [r for r in rows if not r.get("resolution")]
    store.append_many(plain)
    for r in rows:
        if r.get("resolution"):
            store.resolve(r["work_id"], r["reviewer"], r["stage"], r["decision"], r["reason"], r.get("note"),
                          r["timestamp"])
    print(f"{len(plain)} decisions and {len(rows) - len(plain)} resolutions recorded; "
          f"{len(included)} included studies linked; seeds with full text: {sorted(seeds.values())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
