"""One test per validation error, each checking that the message names study, field, value and allowed values."""
import pytest

from review.errors import ParseError, ValidationError
from review.extraction import check, load_studies, read_included, validate

from .conftest import SAMPLE_ROWS, edit_study, write_included


def _problems(folder, form, included_path):
    return validate(load_studies(folder), form, read_included(included_path))


def test_sample_is_valid(sample, form):
    folder, included = sample
    assert _problems(folder, form, included) == []
    assert check(load_studies(folder), form, read_included(included)) == []


def test_included_study_without_extraction(sample, form):
    folder, included = sample
    rows = SAMPLE_ROWS + [{"work_id": "W-vabo2020", "title": "Tildeling av omsorgstjenester", "authors": "Vabø, Mia",
                           "year": "2020", "container": "", "doi": ""}]
    write_included(included, rows)
    problems = _problems(folder, form, included)
    assert [p.kind for p in problems] == ["missing_extraction"]
    msg = problems[0].message
    assert "'W-vabo2020'" in msg and "Vabø, Mia (2020)" in msg and "has no extraction" in msg


def test_extraction_without_included_study(sample, form):
    folder, included = sample
    write_included(included, [r for r in SAMPLE_ROWS if r["work_id"] != "W-sundsbo2024"])
    problems = _problems(folder, form, included)
    assert [(p.kind, p.study_id, p.field) for p in problems] == [("no_included_study", "sundsbo2024", "work_id")]
    assert "'W-sundsbo2024' is not in included.csv" in problems[0].message
    assert problems[0].file == "sundsbo2024.yaml"


def test_empty_work_id_names_the_closest_included_study(sample, form):
    folder, included = sample
    edit_study(folder / "kassah2016.yaml", lambda d: d.update(work_id=None))
    write_included(included, SAMPLE_ROWS)
    problems = _problems(folder, form, included)
    kinds = sorted(p.kind for p in problems)
    # The file belongs to no included study, and the included study has no extraction.
    assert kinds == ["missing_extraction", "no_included_study"]
    msg = next(p.message for p in problems if p.kind == "no_included_study")
    assert "kassah2016" in msg and "closest included study is 'W-kassah2016'" in msg


def test_value_outside_vocabulary(sample, form):
    folder, included = sample
    def change(d):
        d["method_class"] = "qualitativ"
        d["perspectives"] = ["providers", "nurses"]
        d["quality"]["patient_safety"] = {"illuminated": True}
    edit_study(folder / "kassah2016.yaml", change)
    problems = [p for p in _problems(folder, form, included) if p.kind == "out_of_vocabulary"]
    by_field = {p.field: p for p in problems}
    assert set(by_field) == {"method_class", "perspectives", "quality.patient_safety"}
    m = by_field["method_class"].message
    assert "kassah2016" in m and "'qualitativ'" in m and "qualitative, quantitative, mixed" in m
    assert "'nurses'" in by_field["perspectives"].message
    assert "leaders, caseworkers, providers" in by_field["perspectives"].allowed
    assert "competent_staff" in by_field["quality.patient_safety"].allowed


def test_models_vocabulary_comes_from_the_protocol(sample, form):
    folder, included = sample
    edit_study(folder / "oydgard2018a.yaml", lambda d: d.update(models=["purchaser_provider"]))
    (p,) = [p for p in _problems(folder, form, included) if p.field == "models"]
    assert p.allowed == "separate_unit, trust_model, integrated, unclear"


def test_required_field_left_empty(sample, form):
    folder, included = sample
    def change(d):
        d["aim"] = "  "
        del d["service_area"]
        d["quality"]["coordinated"]["findings"] = []
    edit_study(folder / "oydgard2018b.yaml", change)
    problems = [p for p in _problems(folder, form, included) if p.kind == "required_empty"]
    assert {p.field for p in problems} == {"aim", "service_area", "quality.coordinated.findings"}
    m = next(p.message for p in problems if p.field == "service_area")
    assert "oydgard2018b" in m and "required" in m and "home_services, rop, nursing_homes, general" in m
    q = next(p.message for p in problems if p.field.startswith("quality"))
    assert "required when illuminated is true" in q


def test_misspelt_field_is_reported(sample, form):
    folder, included = sample
    edit_study(folder / "kassah2016.yaml", lambda d: d.update(perspektiver=["leaders"]))
    (p,) = _problems(folder, form, included)
    assert p.kind == "unknown_field" and p.field == "perspektiver"


def test_check_raises_with_one_problem_per_line(sample, form):
    folder, included = sample
    edit_study(folder / "kassah2016.yaml", lambda d: d.update(service_area="hjemmetjenester", n_municipalities=0))
    with pytest.raises(ValidationError) as err:
        check(load_studies(folder), form, read_included(included))
    assert len(err.value.problems) == 2
    assert all("kassah2016.yaml" in p for p in err.value.problems)


def test_broken_yaml_names_file_and_line(tmp_path):
    (tmp_path / "a2020.yaml").write_text("study_id: a2020\naim: [unclosed\nmethod: x\n", encoding="utf-8")
    with pytest.raises(ParseError) as err:
        load_studies(tmp_path)
    assert "a2020.yaml" in str(err.value) and "line" in str(err.value)


def test_two_files_with_one_study_id(tmp_path, sample):
    folder, _ = sample
    (folder / "copy.yaml").write_text((folder / "kassah2016.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ParseError, match="also used by"):
        load_studies(folder)
