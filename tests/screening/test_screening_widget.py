"""The screening widget without a browser: escaping, highlighting, blind queue, undo, full-text links."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from review.screening.fulltexts import find_fulltext, first_surname, fold
from review.screening.store import DecisionStore
from review.screening.tables import load_pool
from review.screening.widget import ScreeningWidget, highlight

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "screening" / "review"


@pytest.fixture
def review(tmp_path):
    dest = tmp_path / "review"
    shutil.copytree(FIXTURE, dest)
    return dest


def test_record_text_is_escaped_and_terms_are_marked():
    out = highlight("<script>alert(1)</script> Tildeling i Sverige & kommune<b>", ["tildeling", "kommune"],
                    ["Sverige"])
    assert "<script>" not in out and "<b>" not in out
    assert out.startswith("&lt;script&gt;alert(1)&lt;/script&gt; ")
    assert '<mark class="screening-hl-include">Tildeling</mark>' in out
    assert '<mark class="screening-hl-exclude">Sverige</mark>' in out
    assert "&amp; <mark" in out
    # Stems match at word starts only: "saksbehandl" marks "saksbehandlere", not "ekssaksbehandl".
    assert highlight("saksbehandlere", ["saksbehandl"], []).startswith("<mark")
    assert "<mark" not in highlight("ekssaksbehandl", ["saksbehandl"], [])


def test_widget_shows_unscreened_works_blind_and_records_every_click(review):
    store = DecisionStore(review)
    pool = load_pool(review / "output")
    store.append("w_0a1f3c", "demo_b", "title_abstract", "exclude", reason="not_norway")  # the other reviewer
    w = ScreeningWidget(review, pool, reviewer="demo_a", stage="title_abstract", store=store)
    assert "Tildeling" in w.title.value and w.progress_label.value == "0 / 5"
    assert "demo_b" not in w.title.value + w.meta.value + w.abstract.value + w.message.value
    w.decide("include")
    assert "&lt;script&gt;" in w.title.value and "<script" not in w.title.value
    assert "&lt;b&gt;bold&lt;/b&gt;" in w.abstract.value
    w.reason.value = "not_norway"
    w.note.value = "Svensk studie"
    w.decide("exclude")
    assert "Bestiller" in w.title.value and w.progress_label.value == "2 / 5"
    assert w.reason.value is None and w.note.value == ""  # cleared for the next work
    w.undo()
    assert "&lt;script&gt;" in w.title.value and w.progress_label.value == "1 / 5"
    w.decide("maybe")
    rows = [json.loads(x) for x in
            (review / "decisions/screening/title_abstract/demo_a.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["work_id"], r["decision"], r["reason"], r["note"]) for r in rows] == [
        ("w_0a1f3c", "include", None, None),
        ("w_1b7e9d", "exclude", "not_norway", "Svensk studie"),
        ("w_1b7e9d", "undo", None, None),
        ("w_1b7e9d", "maybe", None, None),
    ]


def test_full_text_exclusion_without_reason_is_refused_in_the_widget(review):
    store = DecisionStore(review)
    pool = load_pool(review / "output")
    w = ScreeningWidget(review, pool, reviewer="demo_a", stage="full_text", store=store)
    # Only the other-methods work is at full text before anything is included at title/abstract.
    assert "i Oslo" in w.title.value and w.progress_label.value == "0 / 1"
    assert w.current["work_id"] == "w_4a6b2c"
    assert w.decide("exclude") is None
    assert "needs a reason" in w.message.value
    assert not (review / "decisions/screening/full_text/demo_a.jsonl").exists()
    w.reason.value = "not_retrieved"
    assert w.decide("exclude")["reason"] == "not_retrieved"


def test_keyboard_shortcuts_decide(review):
    store = DecisionStore(review)
    w = ScreeningWidget(review, load_pool(review / "output"), reviewer="demo_b", store=store)
    w._on_key({"key": "i"})
    w._on_key({"key": "m", "ctrlKey": True})  # a browser shortcut, not ours
    w._on_key({"key": "M"})
    d = store.reviewer_decisions("title_abstract", "demo_b")
    assert d[["work_id", "decision"]].values.tolist() == [["w_0a1f3c", "include"], ["w_1b7e9d", "maybe"]]


def test_full_text_documents_are_found_by_work_id_or_index(review):
    pool = load_pool(review / "output").set_index("work_id", drop=False)
    assert find_fulltext(review, pool.loc["w_5c8d3e"].to_dict()).name == "w_5c8d3e.txt"
    # Listed in index.csv with a different dash, case and author spelling.
    assert find_fulltext(review, pool.loc["w_4a6b2c"].to_dict()).name == "slaatsveen_loken_2023.pdf"
    # index.csv lists a Vabø document of another year (and the file is absent): no match.
    assert find_fulltext(review, pool.loc["w_2c4d8a"].to_dict()) is None
    assert fold("Sundsbø – Løken") == "sundsbo loken"
    assert first_surname("Kari Slåtsveen and Eva Løken") == first_surname("Slåtsveen, Kari; Løken, Eva") == "slatsveen"
