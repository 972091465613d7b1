import pandas as pd

from review.dedup.summary import overrides_for_report, rule_summary


def test_rule_summary_counts_each_rule_and_explains_it():
    pairs = pd.DataFrame({"decision": ["same", "same", "different", "same"],
                          "rule": ["doi_match", "doi_match", "name_fold_conflict", "override"]})
    s = rule_summary(pairs)
    assert s.iloc[0].to_dict()["rule"] == "doi_match" and s.iloc[0]["pairs"] == 2
    vabo = s[s["rule"] == "name_fold_conflict"].iloc[0]
    assert vabo["decision"] == "different" and "Vabø" in vabo["meaning"]
    assert s["pairs"].sum() == 4


def test_overrides_for_report_drops_bookkeeping_and_sorts():
    o = pd.DataFrame({"timestamp": ["2024-09-03T10:00:00Z", "2024-09-02T10:00:00Z"], "reviewer": ["a", "b"],
                      "record_id_a": ["x", "y"], "record_id_b": ["z", "w"], "decision": ["same", "different"],
                      "reason": ["r1", "r2"], "line": [3, 2]})
    shown = overrides_for_report(o)
    assert "line" not in shown.columns
    assert list(shown["reviewer"]) == ["b", "a"]


def test_refused_links_lists_only_links_kept_apart_for_screened_works():
    from review.dedup.summary import refused_links
    p = pd.DataFrame({"record_id_a": ["a", "b", "c"], "record_id_b": ["c", "c", "d"],
                      "rule": ["title_match", "no_title_biblio_match", "title_match"],
                      "note": ["", "kept apart: a and b conflict (screened_apart)", "kept apart: c and d conflict (pages_conflict)"]})
    assert refused_links(p)[["record_id_a", "record_id_b"]].values.tolist() == [["b", "c"]]
