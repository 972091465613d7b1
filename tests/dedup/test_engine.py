"""deduplicate(): merge, audit, overrides, stable work ids, input checks."""
import json

import pandas as pd
import pytest

from review.dedup import PAIR_COLUMNS, WORK_COLUMNS, deduplicate, read_overrides
from review.errors import ValidationError

from .conftest import pair_row, rec, table, works_of

TITLE = "Tildeling av helse- og omsorgstjenester i kommunene: en kartleggingsstudie"


def _medline_and_scopus():
    """The same article from two databases, plus an unrelated one and a citation-search find."""
    return [
        rec("med1", source="medline", file="exports/medline.txt", position=1, title=TITLE,
            authors="Øydgard, Gunn Wenche; Løken, Kari", year="2016", container="Tidsskr Nor Laegeforen",
            volume="136", issue="4", pages="312-6", source_ids={"pmid": "26907656"}),
        rec("med2", source="medline", file="exports/medline.txt", position=2,
            title="Legevakt i distriktene", authors="Hansen, Ola", year="2015", container="Utposten",
            volume="44", pages="10-14"),
        rec("sco1", source="scopus", file="exports/scopus.csv", position=1, title=TITLE.upper() + ".",
            authors="Oydgard, G. W.; Loken, K.", year="2016",
            container="Tidsskrift for den Norske Laegeforening", volume="136", issue="4", pages="312-316",
            doi="10.4045/tidsskr.15.0123", abstract="Bakgrunn: Kommunene tildeler tjenester ...",
            source_ids={"eid": "2-s2.0-84958"}),
        rec("cit1", source="citations", source_kind="other", file="exports/citations.ris", position=1,
            title="Kommunale tildelingskontor", authors="Slåtsveen, Kari", year="2014"),
    ]


def test_merge_keeps_every_source_and_the_most_complete_values():
    r = deduplicate(table(*_medline_and_scopus()))
    assert list(r.works.columns) == WORK_COLUMNS
    assert works_of(r) == [["cit1"], ["med1", "sco1"], ["med2"]]
    w = r.works.set_index("work_id").loc["med1"]
    assert w.member_ids == "med1; sco1" and w.n_members == 2
    assert w.sources == "medline; scopus" and w.route == "database"
    assert w.doi == "10.4045/tidsskr.15.0123"            # only Scopus had it
    assert w.abstract.startswith("Bakgrunn")
    assert w.container == "Tidsskrift for den Norske Laegeforening"  # the full name, not the abbreviation
    assert w.authors == "Øydgard, Gunn Wenche; Løken, Kari"          # full given names and ø kept
    assert json.loads(w.source_ids) == {"eid": "2-s2.0-84958", "pmid": "26907656"}
    assert r.works.set_index("work_id").loc["cit1"].route == "other"
    assert pair_row(r, "med1", "sco1").decision == "same"


def test_route_is_database_when_any_member_came_from_a_database():
    rows = _medline_and_scopus()
    rows[2].update(source="handsearch", source_kind="other")
    r = deduplicate(table(*rows))
    w = r.works.set_index("work_id").loc["med1"]
    assert w.sources == "medline; handsearch" and w.route == "database"


def test_audit_lists_every_candidate_pair_with_scores_decision_and_rule():
    r = deduplicate(table(*_medline_and_scopus()))
    assert list(r.pairs.columns) == PAIR_COLUMNS
    assert r.pairs.decision.isin(["same", "different"]).all()
    assert (r.pairs.rule != "").all()
    row = pair_row(r, "med1", "sco1")
    assert row.title_score == 100.0 and row.pages == "equal" and row.container == "compatible"
    assert row.same_work
    # sorted by ids, so re-runs give identical tables
    keys = list(zip(r.pairs.record_id_a, r.pairs.record_id_b))
    assert keys == sorted(keys)


def _write_overrides(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "timestamp,reviewer,record_id_a,record_id_b,decision,reason\n" + "".join(
        ",".join(r) + "\n" for r in rows)
    path.write_text(text, encoding="utf-8")
    return path


def test_overrides_split_and_join_and_are_listed(tmp_path):
    path = _write_overrides(tmp_path / "decisions" / "dedup_overrides.csv", [
        ("2024-05-01T10:00:00", "mia", "sco1", "med1", "different", "Scopus record is the English version"),
        ("2024-05-01T10:05:00", "mia", "med2", "cit1", "same", "checked the PDF"),
    ])
    r = deduplicate(table(*_medline_and_scopus()), overrides_path=path)
    assert works_of(r) == [["cit1", "med2"], ["med1"], ["sco1"]]
    assert pair_row(r, "med1", "sco1").rule == "override"
    assert pair_row(r, "med1", "sco1").scorer_decision == "same"
    ov = r.overrides.set_index("record_id_a")
    assert set(r.overrides.record_id_a + "|" + r.overrides.record_id_b) == {"med1|sco1", "cit1|med2"}
    assert ov.loc["med1"].changed_result and ov.loc["med1"].honoured
    assert ov.loc["cit1"].decision == "same" and ov.loc["cit1"].honoured


def test_latest_override_row_per_pair_wins(tmp_path):
    path = _write_overrides(tmp_path / "dedup_overrides.csv", [
        ("2024-05-02T09:00:00", "kari", "med1", "sco1", "same", "second look: same article"),
        ("2024-05-01T10:00:00", "mia", "sco1", "med1", "different", "first look"),
    ])
    assert read_overrides(path).decision.tolist() == ["same"]
    r = deduplicate(table(*_medline_and_scopus()), overrides_path=path)
    assert ["med1", "sco1"] in works_of(r)
    assert r.overrides.reviewer.tolist() == ["kari"]


def test_override_different_is_never_bridged_through_a_third_record(tmp_path):
    rows = _medline_and_scopus()
    rows.append(rec("wos1", source="wos", file="exports/wos.txt", position=1, title=TITLE,
                    authors="Oydgard, GW; Loken, K", year="2016", container="TIDSSKR NOR LAEGEFOREN",
                    volume="136", pages="312-316"))
    path = _write_overrides(tmp_path / "o.csv", [("2024-05-01", "mia", "med1", "sco1", "different", "x")])
    r = deduplicate(table(*rows), overrides_path=path)
    assert not any({"med1", "sco1"} <= set(g) for g in works_of(r))


def test_bad_override_rows_name_the_line(tmp_path):
    path = _write_overrides(tmp_path / "o.csv", [("2024-05-01", "mia", "med1", "sco1", "maybe", "unsure")])
    with pytest.raises(ValidationError, match=r"line 2: decision is 'maybe'"):
        deduplicate(table(*_medline_and_scopus()), overrides_path=path)
    path = _write_overrides(tmp_path / "o.csv", [("2024-05-01", "mia", "med1", "nope", "same", "")])
    with pytest.raises(ValidationError, match=r"line 2: record nope is not in the records table"):
        deduplicate(table(*_medline_and_scopus()), overrides_path=path)
    (tmp_path / "bad.csv").write_text("when,who,a,b\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="the header lacks timestamp"):
        read_overrides(tmp_path / "bad.csv")


def test_missing_overrides_file_means_no_overrides(tmp_path):
    r = deduplicate(table(*_medline_and_scopus()), overrides_path=tmp_path / "none.csv")
    assert r.overrides.empty


def test_work_ids_do_not_change_when_an_export_is_added():
    first = _medline_and_scopus()
    before = deduplicate(table(*first)).works
    # An update search appended to the protocol: a new file of an existing source and a new source.
    added = [
        rec("med9", source="medline", file="exports/medline_update.txt", position=1, title=TITLE,
            authors="Øydgard, G. W.; Løken, K.", year="2016", container="Tidsskr Nor Laegeforen",
            volume="136", pages="312-316"),
        rec("cin1", source="cinahl", file="exports/cinahl.ris", position=1, title="Legevakt i distriktene",
            authors="Hansen, O.", year="2015", container="Utposten", volume="44", pages="10-4"),
        rec("cin2", source="cinahl", file="exports/cinahl.ris", position=2, title="Et nytt arbeid",
            authors="Berg, Per", year="2020"),
    ]
    # Row order of the combined table is shuffled: the rule uses the protocol's order, not row order.
    order = [("medline", "exports/medline.txt"), ("scopus", "exports/scopus.csv"),
             ("citations", "exports/citations.ris"), ("medline", "exports/medline_update.txt"),
             ("cinahl", "exports/cinahl.ris")]
    combined = pd.concat([table(*added), table(*first)], ignore_index=True)
    after = deduplicate(combined, source_files=order).works
    old_members = {w: set(m.split("; ")) for w, m in zip(before.work_id, before.member_ids)}
    new_of = {r: w for w, m in zip(after.work_id, after.member_ids) for r in m.split("; ")}
    for work_id, members in old_members.items():
        assert {new_of[m] for m in members} == {work_id}
    assert set(after.work_id) == set(before.work_id) | {"cin2"}
    assert after.set_index("work_id").loc["med2"].member_ids == "med2; cin1"


def _bridge_case():
    """Two works that nothing links, and a later record that matches both."""
    biblio = dict(year="2018", container="Tidsskrift for omsorgsforskning", volume="4", pages="12-25")
    a = rec("a", file="exports/oria.ris", title="Tildeling av helse- og omsorgstjenester i kommunene",
            **biblio)  # no authors
    b = rec("b", file="exports/idunn.ris", authors="Øydgard, Gunn Wiik", **biblio)  # no title
    c = rec("c", file="exports/sage.ris", title="Tildeling av helse- og omsorgstjenester i kommunene",
            authors="Øydgard, Gunn Wiik", **biblio)
    order = [("medline", "exports/oria.ris"), ("medline", "exports/idunn.ris"), ("medline", "exports/sage.ris")]
    return a, b, c, order


def test_a_new_record_bridging_two_screened_works_does_not_merge_them():
    a, b, c, order = _bridge_case()
    assert works_of(deduplicate(table(a, b), source_files=order)) == [["a"], ["b"]]
    # Without the screening decisions, the new record would merge both and work "b" would vanish.
    assert works_of(deduplicate(table(a, b, c), source_files=order)) == [["a", "b", "c"]]
    r = deduplicate(table(a, b, c), source_files=order, screened={"a", "b"})
    assert works_of(r) == [["a", "c"], ["b"]]
    assert sorted(r.works.work_id) == ["a", "b"]
    assert "screened_apart" in pair_row(r, "b", "c").note
    assert r.stats["screened_work_ids"] == 2


def test_a_screened_work_keeps_its_id_when_an_earlier_sorting_record_joins_it(tmp_path):
    a, b, c, order = _bridge_case()
    # "c" was screened first; "a" comes from an export placed before it in the protocol.
    r = deduplicate(table(a, c), source_files=order, screened={"c"})
    assert r.works.work_id.tolist() == ["c"] and works_of(r) == [["a", "c"]]
    # A reviewer's override may still merge two screened works.
    ov = tmp_path / "dedup_overrides.csv"
    ov.write_text("timestamp,reviewer,record_id_a,record_id_b,decision,reason\n"
                  "2026-11-24T10:00:00Z,demo_a,a,b,same,one article\n", encoding="utf-8")
    r = deduplicate(table(a, b, c), source_files=order, screened={"a", "b"}, overrides_path=ov)
    assert works_of(r) == [["a", "b", "c"]]


def test_work_id_is_the_first_member_in_source_file_position_order():
    rows = _medline_and_scopus()
    r = deduplicate(table(rows[2], rows[0]), source_files=[("medline", "exports/medline.txt"),
                                                           ("scopus", "exports/scopus.csv")])
    assert r.works.work_id.tolist() == ["med1"]
    r = deduplicate(table(rows[2], rows[0]))  # without the protocol order: first appearance
    assert r.works.work_id.tolist() == ["sco1"]


def test_input_problems_raise_review_errors():
    rows = _medline_and_scopus()
    with pytest.raises(ValidationError, match="record_id 'med1' occurs more than once"):
        deduplicate(table(rows[0], dict(rows[2], record_id="med1")))
    with pytest.raises(ValidationError, match="no record_id column"):
        deduplicate(pd.DataFrame({"title": ["x"]}))


def test_nullable_year_and_missing_values_from_the_reader_are_handled():
    df = table(*_medline_and_scopus())
    df["year"] = pd.array([2016, 2015, 2016, pd.NA], dtype="Int64")
    df["position"] = pd.array([1, 2, 1, 1], dtype="Int64")
    r = deduplicate(df)
    assert works_of(r) == [["cit1"], ["med1", "sco1"], ["med2"]]
    assert r.works.set_index("work_id").loc["cit1"].year == ""


def test_same_input_gives_identical_tables():
    a = deduplicate(table(*_medline_and_scopus()))
    b = deduplicate(table(*_medline_and_scopus()))
    pd.testing.assert_frame_equal(a.works, b.works)
    pd.testing.assert_frame_equal(a.pairs, b.pairs)


def test_translated_title_with_the_same_page_range_is_the_same_article():
    base = dict(authors="Train, M.; Soulard, D.", year="1994", volume="13", pages="280-284")
    r = deduplicate(table(
        rec("fr", title="Antibiotic prophylaxis in pulmonary surgery. A controlled double-blind study",
            container="Ann Fr Anesth Reanim", **base),
        rec("en", title="[Comparison of amoxicillin and cefamandole in the prevention of infections]",
            container="Annales Francaises d'Anesthesie et de Reanimation", **base),
    ))
    assert works_of(r) == [["en", "fr"]]
    assert pair_row(r, "en", "fr").rule == "biblio_match"


def test_pages_listing_several_ranges_agree_on_any_shared_range():
    base = dict(title="Incentive spirometry with expiratory positive airway pressure after revascularization",
                authors="Ferreira, G. M.; Haeffner, M. P.", year="2010", container="Arq Bras Cardiol",
                volume="94")
    r = deduplicate(table(rec("a", pages="233-238+230-235+246", **base),
                          rec("b", pages="230-5, 246-51, 233-8", **base)))
    assert works_of(r) == [["a", "b"]]


def test_a_recurring_editorial_in_two_issues_is_two_works():
    base = dict(title="Editorial Introduction", authors="Zwass, Vladimir", year="2000",
                container="Journal of Management Information Systems", volume="17")
    r = deduplicate(table(rec("i1", issue="1", pages="3-8", **base), rec("i2", issue="2", pages="3-4", **base)))
    assert works_of(r) == [["i1"], ["i2"]]
    assert pair_row(r, "i1", "i2").rule == "issue_conflict"


def test_google_scholar_truncated_title_and_initials_match_the_full_record():
    r = deduplicate(table(
        rec("gs", source="google_scholar", authors="ENMG T Eide", year="2017",
            title="Tillitsmodellen – erfaringer med mini-pilotering av selvstyrende team i tre bydeler i Os…",
            container="Skriftserien fra Høgskolen i Sørøst-Norge"),
        rec("oria", source="oria", authors="Eide, Tom; Nilsen, Etty R.; Gullslett, Monika K.", year="2017",
            title="Tillitsmodellen – erfaringer med mini-pilotering av selvstyrende team i tre bydeler i Oslo",
            container="Høgskolen i Sørøst-Norge", pub_type="RPRT"),
    ))
    assert works_of(r) == [["gs", "oria"]]


def test_a_database_that_transliterates_names_but_not_titles_is_not_a_name_conflict():
    same = dict(title="Hjemmetjenesten som alliert, rådgiver og forventningsregulator", year="2018",
                container="Tidsskrift for velferdsforskning", volume="21", pages="4-19")
    r = deduplicate(table(rec("gs", authors="Øydgard, Guro Wisth", **same),
                          rec("ssa", source="ssa", authors="Oydgard", **same)))
    assert works_of(r) == [["gs", "ssa"]]


def test_pages_a_spreadsheet_turned_into_dates_count_as_missing():
    base = dict(title="Dipeptidyl peptidase-4 inhibition by gemigliptin prevents abnormal vascular calcification",
                authors="Choi, S. Y.; Ryu, H. M.", year="2017", container="Atherosclerosis", volume="73")
    r = deduplicate(table(rec("a", pages="11-Sep", **base), rec("b", pages="Nov-19", **base)))
    assert works_of(r) == [["a", "b"]]
    assert pair_row(r, "a", "b").pages == "missing"


def test_columns_shifted_right_in_one_export_are_not_a_page_conflict():
    base = dict(title="The treatment of atypical HUS", authors="Loirat, C.", year="2011",
                container="Pediatric Nephrology. Conference: 44th Annual Meeting of the ESPN")
    r = deduplicate(table(rec("a", volume="", issue="26", pages="9", **base),
                          rec("b", volume="26", issue="9", pages="1746-1746", **base)))
    assert works_of(r) == [["a", "b"]]


def test_a_journal_name_with_letters_lost_to_question_marks_matches_its_abbreviation():
    base = dict(authors="Train, M.; Soulard, D.; Bouyer, L.", year="1994", volume="13", pages="280-284")
    r = deduplicate(table(
        rec("a", title="Antibiotic prophylaxis in pulmonary surgery: amoxicillin versus cefamandole",
            container="Ann Fr Anesth Reanim", issue="65", **base),
        rec("b", title="[Comparison of amoxicillin and cefamandole in pulmonary surgery]",
            container="Annales fran?aises d'anesth?sie et de r?animation", issue="267", **base),
    ))
    assert works_of(r) == [["a", "b"]]
    assert pair_row(r, "a", "b").container == "compatible"


def test_a_page_range_shifted_by_a_few_pages_is_a_typo_but_a_different_length_is_not():
    base = dict(title="Phase I trial of ATRA-IV and depakote in advanced solid tumor malignancies",
                authors="David, K. A.; Mongan, N. P.; Smith, C.", year="2010",
                container="Cancer Biology and Therapy", volume="9")
    r = deduplicate(table(rec("a", pages="678-684", **base), rec("b", pages="676-682", **base),
                          rec("c", pages="676-677", **base)))
    assert pair_row(r, "a", "b").pages == "typo"
    assert pair_row(r, "a", "c").pages == "differs"
    assert ["a", "b"] in works_of(r) and ["c"] in works_of(r)


def test_an_issue_column_of_record_numbers_is_ignored():
    # EndNote exports can write each record's number in the issue field: 30+ values, all different.
    filler = [rec(f"f{k}", file="exports/endnote.txt", title=f"Unrelated study number {k} of pleural disease",
                  authors=f"Author{k}, A.", year="2001", issue=str(100 + k)) for k in range(30)]
    base = dict(file="exports/endnote.txt", authors="Regnard, J. F.; Libert, J. M.; Levasseur, P.",
                year="1989", container="Pathol Biol", volume="37", pages="477-480")
    a = rec("a", title="Antibiotic and antiseptic prophylaxis in thoracic surgery. A randomized study. "
                       "<ORIGINAL> PROPHYLAXIE ANTIBIOTIQUE ET ANTISEPTIQUE EN CHIRURGIE THORACIQUE",
            issue="53", **base)
    b = rec("b", title="[Antibiotic and antiseptic prophylaxis in thoracic surgery. Controlled study]",
            issue="54", **base)
    assert ["a", "b"] in works_of(deduplicate(table(a, b, *filler)))
    # Two records alone are too few to tell record numbers from issues: the issues count.
    assert ["a", "b"] not in works_of(deduplicate(table(a, b)))
