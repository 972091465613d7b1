"""Import decisions from Rayyan and ASReview exports into the decision store."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from review.errors import ValidationError
from review.screening.import_asreview import import_asreview
from review.screening.import_rayyan import import_rayyan, parse_notes, reviewer_slug
from review.screening.store import DecisionStore
from review.screening.tables import load_pool

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "screening"
REASON_MAP = {"Ikke norske forhold, eller nordiske": "not_norway", "wrong publication type": "not_research",
              "not municipal, specialist care": "not_municipal_health_care"}
REVIEWERS = {"Anne Marie Øydgard": "demo_a", "Bo Li": "demo_b"}


@pytest.fixture
def review(tmp_path):
    dest = tmp_path / "review"
    shutil.copytree(FIXTURES / "review", dest)
    return dest


def test_notes_markers_are_read_after_the_records_own_notes():
    p = parse_notes('Importert fra PubMed\nsjekk DOI | RAYYAN-INCLUSION: {"Anne Marie Øydgard"=>"Excluded", '
                    '"Bo Li"=>"Maybe"} | RAYYAN-LABELS: sykehus,RCT | RAYYAN-EXCLUSION-REASONS: '
                    'wrong publication type,"not municipal, specialist care" | USER-NOTES: {"Bo Li"=>["a, b", "c"]}')
    assert p.notes == "Importert fra PubMed\nsjekk DOI"
    assert p.inclusion == {"Anne Marie Øydgard": "exclude", "Bo Li": "maybe"}
    assert p.labels == ["sykehus", "RCT"]
    assert p.reasons == ["wrong publication type", "not municipal, specialist care"]
    assert p.user_notes == {"Bo Li": ["a, b", "c"]}
    assert parse_notes("Bare et notat | med strek").notes == "Bare et notat | med strek"
    assert reviewer_slug("Anne Marie Øydgard") == "anne_marie_oydgard"


def _decisions(store):
    d = store.decisions("title_abstract")
    return sorted(zip(d["work_id"], d["reviewer"], d["decision"], d["reason"].where(d["reason"].notna(), None)))


def test_rayyan_export_with_log_gives_each_reviewer_their_own_reasons(review):
    store = DecisionStore(review)
    result = import_rayyan(store, FIXTURES / "rayyan" / "articles.csv", "title_abstract",
                           load_pool(review / "output"), reviewer_map=REVIEWERS, reason_map=REASON_MAP)
    assert result.written == 6
    assert len(result.unmatched) == 1 and "line 6" in result.unmatched[0]  # record 3 spans lines 4-5 and "Danish" in result.unmatched[0]
    assert _decisions(store) == [
        ("w_0a1f3c", "demo_a", "include", None), ("w_0a1f3c", "demo_b", "include", None),
        ("w_1b7e9d", "demo_a", "exclude", "not_norway"), ("w_1b7e9d", "demo_b", "maybe", None),
        # The log shows demo_a removed the second reason; demo_b gave only the quoted one.
        ("w_3e5f1b", "demo_a", "exclude", "not_research"),
        ("w_3e5f1b", "demo_b", "exclude", "not_municipal_health_care"),
    ]
    notes = dict(zip(store.decisions("title_abstract")["reviewer"] + store.decisions("title_abstract")["work_id"],
                     store.decisions("title_abstract")["note"]))
    assert "Svensk, men relevant?" in notes["demo_bw_1b7e9d"]


def test_rayyan_export_without_log_uses_the_records_reasons(review, tmp_path):
    only_articles = tmp_path / "export"
    only_articles.mkdir()
    shutil.copy(FIXTURES / "rayyan" / "articles.csv", only_articles / "articles.csv")
    store = DecisionStore(review)
    import_rayyan(store, only_articles / "articles.csv", "title_abstract", load_pool(review / "output"),
                  reason_map=REASON_MAP)
    d = _decisions(store)
    # Names become ids; both reviewers get the record's first reason in protocol order.
    assert ("w_3e5f1b", "anne_marie_oydgard", "exclude", "not_municipal_health_care") in d
    assert ("w_3e5f1b", "bo_li", "exclude", "not_municipal_health_care") in d


def test_unknown_rayyan_reason_stops_the_import_and_says_where(review):
    store = DecisionStore(review)
    with pytest.raises(ValidationError) as err:
        import_rayyan(store, FIXTURES / "rayyan" / "articles.csv", "title_abstract", load_pool(review / "output"),
                      reviewer_map=REVIEWERS)
    assert "articles.csv, line 3" in str(err.value) and "'Ikke norske forhold, eller nordiske'" in str(err.value)
    assert store.decisions("title_abstract").empty  # nothing half-imported


def test_asreview_labels_become_title_abstract_decisions(review):
    store = DecisionStore(review)
    result = import_asreview(store, FIXTURES / "asreview" / "asreview_export.csv", "title_abstract", "demo_b",
                             load_pool(review / "output"))
    assert _decisions(store) == [("w_0a1f3c", "demo_b", "include", None), ("w_3e5f1b", "demo_b", "exclude", None),
                                 ("w_5c8d3e", "demo_b", "include", None)]
    assert len(result.unmatched) == 1 and "Danish" in result.unmatched[0]
    with pytest.raises(ValidationError, match="no exclusion reason"):
        import_asreview(store, FIXTURES / "asreview" / "asreview_export.csv", "full_text", "demo_b",
                        load_pool(review / "output"))
