"""Final status per stage, conflicts and resolutions, PRISMA counts and the written tables."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import rispy

from review.screening.store import DecisionStore
from review.screening.tables import build_tables, load_pool

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "screening" / "review"
REASONS = ["not_allocation", "not_municipal_health_care", "not_norway", "no_staff_experience",
           "no_quality_dimension", "outside_date_range", "not_research"]


@pytest.fixture
def screened(tmp_path):
    review = tmp_path / "review"
    shutil.copytree(FIXTURE, review)
    s = DecisionStore(review)
    ta = "title_abstract"
    s.append("w_0a1f3c", "demo_a", ta, "include")
    s.append("w_0a1f3c", "demo_b", ta, "include")
    s.append("w_1b7e9d", "demo_a", ta, "exclude", reason="not_norway")
    s.append("w_1b7e9d", "demo_b", ta, "maybe")
    s.resolve("w_1b7e9d", "demo_c", ta, "exclude", reason="not_norway", note="Svensk kontekst")
    s.append("w_2c4d8a", "demo_a", ta, "include")
    s.append("w_2c4d8a", "demo_b", ta, "exclude")
    s.append("w_3e5f1b", "demo_a", ta, "exclude", reason="not_research")
    s.append("w_3e5f1b", "demo_b", ta, "exclude", reason="not_municipal_health_care")
    s.append("w_5c8d3e", "demo_a", ta, "exclude", reason="not_norway")
    s.undo("w_5c8d3e", "demo_a", ta)  # changed their mind: undo, then include
    s.append("w_5c8d3e", "demo_a", ta, "include")
    s.append("w_5c8d3e", "demo_b", ta, "include")
    s.append("w_4a6b2c", "demo_a", ta, "include")  # other-methods work: ignored at title/abstract
    ft = "full_text"
    s.append("w_0a1f3c", "demo_a", ft, "exclude", reason="not_norway")
    s.append("w_0a1f3c", "demo_b", ft, "exclude", reason="not_allocation")
    s.resolve("w_0a1f3c", "demo_a+demo_b", ft, "exclude", reason="not_allocation")
    s.append("w_5c8d3e", "demo_a", ft, "include")
    s.append("w_5c8d3e", "demo_b", ft, "include")
    s.append("w_4a6b2c", "demo_a", ft, "exclude", reason="not_retrieved")
    s.append("w_4a6b2c", "demo_b", ft, "exclude", reason="not_retrieved")
    s.append("w_gone", "demo_a", ft, "include")  # a work no longer in the pool
    return review


def test_status_of_every_work_at_each_stage(screened):
    t = build_tables(screened, screened / "output", write=False)
    st = t.result.status.set_index("work_id")
    assert st.loc["w_0a1f3c", ["title_abstract", "full_text", "full_text_reason", "final"]].tolist() == \
        ["included", "excluded", "not_allocation", "excluded_full_text"]
    assert st.loc["w_1b7e9d", ["title_abstract", "title_abstract_reason", "full_text", "final"]].tolist() == \
        ["excluded", "not_norway", "not_sought", "excluded_title_abstract"]
    assert st.loc["w_2c4d8a", ["title_abstract", "full_text", "final"]].tolist() == ["conflict", "not_sought", "pending"]
    # Both excluded for different reasons at title/abstract (no reason required): the first in protocol order.
    assert st.loc["w_3e5f1b", "title_abstract_reason"] == "not_municipal_health_care"
    assert st.loc["w_4a6b2c", ["route", "title_abstract", "full_text", "final"]].tolist() == \
        ["other", "skipped", "not_retrieved", "not_retrieved"]
    assert st.loc["w_5c8d3e", "final"] == "included"
    assert any("not in the screening pool" in w for w in t.result.warnings)
    assert any("other-methods" in w for w in t.result.warnings)


def test_prisma_counts_have_exactly_the_agreed_measures(screened):
    counts = build_tables(screened, screened / "output", write=False).result.counts
    expected = (["records_screened", "records_excluded", "reports_sought", "reports_not_retrieved",
                 "reports_assessed", "reports_excluded"] + [f"reports_excluded:{r}" for r in REASONS]
                + ["other_reports_sought", "other_reports_not_retrieved", "other_reports_assessed",
                   "other_reports_excluded"] + [f"other_reports_excluded:{r}" for r in REASONS]
                + ["studies_included", "records_pending", "reports_pending"])
    assert counts["measure"].tolist() == expected
    c = dict(zip(counts["measure"], counts["value"]))
    assert (c["records_screened"], c["records_excluded"], c["records_pending"]) == (4, 2, 1)
    assert (c["reports_sought"], c["reports_not_retrieved"], c["reports_assessed"], c["reports_excluded"]) == (2, 0, 2, 1)
    assert c["reports_excluded:not_allocation"] == 1 and c["reports_excluded:not_norway"] == 0
    assert (c["other_reports_sought"], c["other_reports_not_retrieved"], c["other_reports_assessed"],
            c["other_reports_excluded"]) == (1, 1, 0, 0)
    assert (c["studies_included"], c["reports_pending"]) == (1, 0)
    # The boxes add up.
    assert c["reports_sought"] == c["reports_not_retrieved"] + c["reports_assessed"]
    assert c["reports_assessed"] - c["reports_excluded"] + c["other_reports_assessed"] - \
        c["other_reports_excluded"] == c["studies_included"]


def test_conflicts_list_disagreements_with_their_resolution(screened):
    conflicts = build_tables(screened, screened / "output", write=False).result.conflicts
    got = conflicts[["stage", "work_id", "kind", "resolved", "resolution", "resolution_reason", "resolved_by"]]
    got = got.astype(object).where(got.notna(), None).values.tolist()
    assert got == [
        ["full_text", "w_0a1f3c", "reason", "yes", "exclude", "not_allocation", "demo_a+demo_b"],
        ["title_abstract", "w_1b7e9d", "maybe", "yes", "exclude", "not_norway", "demo_c"],
        ["title_abstract", "w_2c4d8a", "disagree", "no", None, None, None],
    ]
    assert "demo_a: include; demo_b: exclude" in conflicts.loc[2, "decisions"]


def test_tables_are_written_and_identical_on_rerun(screened):
    out = screened / "output"
    build_tables(screened, out)
    tables = out / "tables"
    first = {p.name: p.read_bytes() for p in tables.iterdir()}
    for name in ["screening_status.csv", "screening_counts.csv", "agreement.csv", "conflicts.csv",
                 "conflicts.xlsx", "included.csv", "included.xlsx", "included.ris"]:
        assert name in first, name
    build_tables(screened, out)
    # CSV and RIS are byte-identical on a re-run (XLSX zips carry the writing time; outputs.py's business).
    again = {p.name: p.read_bytes() for p in tables.iterdir()}
    assert {k: v for k, v in again.items() if not k.endswith(".xlsx")} == \
        {k: v for k, v in first.items() if not k.endswith(".xlsx")}
    included = pd.read_csv(tables / "included.csv")
    assert included["work_id"].tolist() == ["w_5c8d3e"]
    entries = rispy.loads((tables / "included.ris").read_text(encoding="utf-8"))
    assert [(e["title"], e["authors"], e["year"], e["doi"]) for e in entries] == [
        ("Allocation of long-term care services in Norwegian municipalities", ["Tønnessen, Sigrun"], "2011",
         "10.1177/0969733011398100")]
    agreement = pd.read_csv(tables / "agreement.csv")
    ta = agreement[agreement["stage"] == "title_abstract"].iloc[0]
    # Both decided the 5 database works (demo_a alone decided the other-methods one); 3 agree.
    assert (ta.n_both, ta.n_agree) == (5, 3)


def test_pool_without_stage_one_output_says_what_to_run(tmp_path):
    from review.errors import MissingInputError

    with pytest.raises(MissingInputError, match="01_identification"):
        load_pool(tmp_path / "output")
