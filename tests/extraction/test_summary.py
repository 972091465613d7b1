"""The descriptive summary comes from the data: changing one study changes exactly the dependent cells."""
import yaml

from review.extraction import compare_with_published, extraction_table, load_studies, summarise

from .conftest import REPO, STUDIES, copy_studies, edit_study

ALL = sorted(p.stem for p in STUDIES.glob("*.yaml"))


def _summary(folder, form):
    return summarise(extraction_table(load_studies(folder), form), form).set_index(["measure", "category"])["value"]


def _changed(before, after):
    diff = before.ne(after)
    return {k: (int(before[k]), int(after[k])) for k in before.index[diff]}


def test_summary_counts_the_table(flagship, form):
    table = extraction_table(flagship, form)
    s = summarise(table, form).set_index(["measure", "category"])["value"]
    assert s["studies", "all"] == len(table)
    assert s["publication_type"].sum() == len(table)
    assert s["method_class"].sum() == len(table)
    assert s["report_group", "placements"] == sum(len(v.split("; ")) for v in table["report_group"])
    assert s["n_municipalities", "max"] == table["n_municipalities"].max()


def test_one_changed_study_changes_only_its_cells(tmp_path, form):
    folder = copy_studies(tmp_path / "s", ALL)
    before = _summary(folder, form)
    edit_study(folder / "kassah2016.yaml", lambda d: d.update(service_area="general"))
    after = _summary(folder, form)
    assert _changed(before, after) == {
        ("service_area", "home_services"): (before["service_area", "home_services"], before["service_area", "home_services"] - 1),
        ("service_area", "general"): (before["service_area", "general"], before["service_area", "general"] + 1),
    }
    edit_study(folder / "angelsen2024.yaml", lambda d: d.update(n_municipalities=7))
    assert set(_changed(after, _summary(folder, form))) == {("n_municipalities", "max")}


def test_comparison_with_the_report_explains_each_difference(flagship, form):
    table = extraction_table(flagship, form)
    summary = summarise(table, form)
    published = yaml.safe_load((REPO / "published" / "report_summary.yaml").read_text(encoding="utf-8"))
    cmp = compare_with_published(summary, published, table)
    differ = cmp[~cmp["agrees"]]
    assert len(differ) > 0 and (differ["explanation"].str.len() > 0).all()
    # The published figure is shown beside a computed one, never copied into it.
    row = cmp[(cmp.measure == "n_municipalities") & (cmp.category == "max")].iloc[0]
    assert row.published == 7 and row.computed == table["n_municipalities"].max()
    assert "angelsen2024 (123)" in row.explanation
    sums = cmp[cmp.category.str.startswith("sum:")].set_index("measure")
    assert sums.loc["method_class", "published"] == 25 and not sums.loc["method_class", "agrees"]
    assert sums.loc["method_class", "computed"] == len(table)


def test_unexplained_difference_asks_for_a_note(flagship, form):
    table = extraction_table(flagship, form)
    published = {"numbers": [{"measure": "studies", "category": "all", "value": 30,
                              "stated": "30 studies", "where": "p. 1"}]}
    cmp = compare_with_published(summarise(table, form), published, table)
    assert not cmp.loc[0, "agrees"] and "no explanation recorded" in cmp.loc[0, "explanation"]
