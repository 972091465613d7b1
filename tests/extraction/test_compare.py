"""Dual extraction: a second extractor's files compared field by field."""
from review.extraction import agreement_by_field, compare_extractors, load_studies

from .conftest import copy_studies, edit_study

IDS = ["angelsen2024", "hanssen2020", "loken2022", "ursin2005"]


def test_disagreements_are_listed_field_by_field(tmp_path, form):
    first = copy_studies(tmp_path / "first", IDS)
    second = copy_studies(tmp_path / "second", IDS[:3])  # the second extractor skipped Ursin
    edit_study(second / "angelsen2024.yaml", lambda d: d.update(method_class="quantitative"))
    # Same ids in another order is agreement, not a disagreement.
    edit_study(second / "hanssen2020.yaml", lambda d: d.update(perspectives=["providers", "leaders"]))
    def loken(d):
        d["quality"]["resources"] = {"illuminated": False}
        d["n_municipalities"] = 4
        d["findings"] = "Andre ord for de samme funnene."
    edit_study(second / "loken2022.yaml", loken)

    a, b = load_studies(first), load_studies(second)
    got = compare_extractors(a, b, form)
    assert got.to_dict("records") == [
        {"study_id": "angelsen2024", "field": "method_class", "first": "mixed", "second": "quantitative"},
        {"study_id": "loken2022", "field": "n_municipalities", "first": "3", "second": "4"},
        {"study_id": "loken2022", "field": "quality.resources.illuminated", "first": "true", "second": "false"},
        {"study_id": "ursin2005", "field": "(study)", "first": "present", "second": "missing"},
    ]
    # Free text is compared only when asked.
    with_text = compare_extractors(a, b, form, include_text=True)
    assert {"findings", "quality.resources.findings"} <= set(with_text.loc[with_text.study_id == "loken2022", "field"])

    agreement = agreement_by_field(a, b, form, got).set_index("field")
    assert agreement.loc["method_class", "agree"] == 2 and agreement.loc["method_class", "studies"] == 3
    assert agreement.loc["perspectives", "agreement"] == 1.0
