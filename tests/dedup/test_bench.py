"""Benchmark loading, scoring and the bench command on the small public sets."""
import argparse
import json

import pytest

from review.dedup import bench, deduplicate
from review.dedup.benchdata import (
    default_benchmark_dir,
    evaluate,
    groups_from_works,
    load_bibdedupe_frame,
    load_truth,
    to_records,
)

BENCH = default_benchmark_dir()
needs_sets = pytest.mark.skipif(not (BENCH / "special_cases").exists(),
                                reason="shared/benchmarks/dedup is not beside the repository")


def test_evaluate_counts_pairs_and_removals():
    ids = ["a", "b", "c", "d", "e", "f"]
    truth = [["a", "b", "c"], ["d", "e"]]
    predicted = [["a", "b"], ["c"], ["d", "e", "f"]]
    m = evaluate(ids, predicted, truth)
    # predicted pairs ab, de, df, ef; true pairs ab, ac, bc, de -> 2 correct
    assert (m["pairs_predicted"], m["pairs_true"], m["pairs_correct"]) == (4, 4, 2)
    assert m["precision"] == 0.5 and m["recall"] == 0.5
    # 3 true removals (c or b, and e); removed: 1 (a/b) + 2 (d/e/f), of which f is wrong
    assert m["sensitivity"] == pytest.approx(2 / 3)
    assert m["specificity"] == pytest.approx(2 / 3)  # keep 3 records, one (f) wrongly removed
    assert m["false_positive_pairs"] == [("d", "f"), ("e", "f")]


@needs_sets
def test_special_cases_are_all_right():
    raw = load_bibdedupe_frame(BENCH / "special_cases")
    recs = to_records(raw)
    m = evaluate(recs.record_id.tolist(), groups_from_works(deduplicate(recs).works),
                 load_truth(BENCH / "special_cases"))
    assert m["precision"] == 1.0 and m["recall"] == 1.0


@needs_sets
def test_a_slice_of_respiratory_finds_its_duplicates_without_false_merges():
    raw = load_bibdedupe_frame(BENCH / "respiratory").iloc[:300]
    recs = to_records(raw)
    ids = set(recs.record_id)
    truth = [[x for x in g if x in ids] for g in load_truth(BENCH / "respiratory")]
    truth = [g for g in truth if len(g) > 1]
    m = evaluate(recs.record_id.tolist(), groups_from_works(deduplicate(recs).works), truth)
    assert m["false_positive_pairs"] == []
    assert m["recall"] >= 0.9


@needs_sets
def test_bench_command_writes_one_object_per_set_and_tool(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    out = tmp_path / "bench.json"
    args = parser.parse_args([str(BENCH / "special_cases"), "--vs", "none", "--json", str(out)])
    assert bench.run(args) == 0
    rows = json.loads(out.read_text())
    assert [(r["set"], r["tool"]) for r in rows] == [("special_cases", "review")]
    assert rows[0]["precision"] == 1.0 and rows[0]["peak_mb"] > 0 and rows[0]["seconds"] >= 0
    assert "special_cases: 12 records" in capsys.readouterr().out


def test_scale_set_perturbs_real_records_and_knows_the_truth():
    if not (BENCH / "stroke").exists():
        pytest.skip("benchmarks not available")
    df, copy_of = bench.make_scale_set(15000, seed=1)
    from review.dedup.benchdata import SETS
    n_real = sum(len(load_bibdedupe_frame(BENCH / s)) for s in SETS)
    assert len(df) == 15000 and len(copy_of) == 15000 - n_real
    originals = set(df.ID) - set(copy_of)
    assert all(src in originals for src in copy_of.values())
    assert bench._abbreviate_pages("1297-1306") == "1297-306" and bench._abbreviate_pages("73-76") == "73-6"


def test_checked_figures_apply_the_hand_verdicts_both_ways():
    ids = ["a", "b", "c", "d", "e"]
    truth = [["a", "b", "c"]]                 # the labels join an erratum c to its article a, b
    predicted = [["a", "b"], ["d", "e"]]      # d, e: a duplicate the labels missed
    review = {("a", "c"): "different", ("b", "c"): "different", ("d", "e"): "same"}
    m = evaluate(ids, predicted, truth, review)
    assert (m["precision"], m["recall"]) == (0.5, pytest.approx(1 / 3))
    assert (m["precision_checked"], m["recall_checked"]) == (1.0, 1.0)
    assert m["unreviewed_false_positive_pairs"] == [] and m["unreviewed_false_negative_pairs"] == []
    m = evaluate(ids, predicted, truth, {("a", "c"): "different"})
    assert m["unreviewed_false_positive_pairs"] == [("d", "e")]
    assert m["unreviewed_false_negative_pairs"] == [("b", "c")]
    assert m["precision_checked"] == 0.5


def test_label_review_rows_are_validated_with_their_line(tmp_path):
    from review.dedup.benchdata import REVIEW_COLUMNS, load_label_review
    from review.errors import ValidationError
    f = tmp_path / "review.csv"
    f.write_text(",".join(REVIEW_COLUMNS) + "\n"
                 "stroke,id_2,id_1,same,different,notice,an erratum and its article\n"
                 "stroke,id_3,id_4,same,maybe,notice,unsure\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"review.csv: line 3: verdict must be 'same' or 'different'"):
        load_label_review(f)
    f.write_text(",".join(REVIEW_COLUMNS) + "\nstroke,id_2,id_1,same,different,notice,x\n", encoding="utf-8")
    assert load_label_review(f) == {"stroke": {("id_1", "id_2"): "different"}}


def test_target_report_says_which_targets_hold_in_each_view():
    row = dict(precision=0.998, recall=0.80, precision_checked=1.0, recall_checked=0.97,
               unreviewed_false_positive_pairs=[])
    rows = [dict(row, set="haematology", tool="review"),
            dict(row, set="haematology", tool="bib-dedupe", recall=0.83, recall_checked=0.97,
                 precision_checked=0.95)]
    lines = bench.target_report(rows)
    assert any("precision >= 0.999" in x and x.endswith("NOT met | met") for x in lines)
    assert any("recall >= bib-dedupe's" in x and x.endswith("NOT met | met") for x in lines)
    assert any("recall >= 0.95" in x and x.endswith("NOT met | met") for x in lines)


@needs_sets
def test_the_shipped_label_review_matches_the_labels_and_covers_every_disputed_pair():
    from review.dedup.benchdata import (
        SETS,
        check_review_against_labels,
        default_label_review,
        load_label_review,
    )
    reviews = load_label_review(default_label_review())
    for s in SETS:
        truth = load_truth(BENCH / s)
        check_review_against_labels(default_label_review(), s, truth)
        recs = to_records(load_bibdedupe_frame(BENCH / s))
        m = evaluate(recs.record_id.tolist(), groups_from_works(deduplicate(recs).works), truth,
                     reviews.get(s, {}))
        # Every pair where review.dedup and the labels disagree has a hand verdict.
        assert m["unreviewed_false_positive_pairs"] == [], s
        assert m["unreviewed_false_negative_pairs"] == [], s
