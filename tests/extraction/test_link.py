"""Proposing work_ids for extraction files from included.csv."""
from review.extraction import link_studies, load_studies, read_included

from .conftest import copy_studies, edit_study, write_included


def test_link_by_title_author_and_year(sample):
    folder, included = sample
    for p in folder.glob("*.yaml"):
        edit_study(p, lambda d: d.update(work_id=None))
    links = link_studies(load_studies(folder), read_included(included)).set_index("study_id")
    assert links["proposed_work_id"].to_dict() == {
        "kassah2016": "W-kassah2016", "oydgard2018a": "W-oydgard2018a",
        "oydgard2018b": "W-oydgard2018b", "sundsbo2024": "W-sundsbo2024"}
    assert set(links["status"]) == {"proposed"}


def test_same_author_and_year_without_titles_is_ambiguous(tmp_path):
    folder = copy_studies(tmp_path / "s", ["oydgard2018a", "oydgard2018b"])
    for p in folder.glob("*.yaml"):
        edit_study(p, lambda d: d["citation"].update(title=None))
    included = write_included(tmp_path / "included.csv", [
        {"work_id": "W1", "title": "", "authors": "Øydgard, Guro Wisth", "year": "2018", "container": "", "doi": ""},
        {"work_id": "W2", "title": "", "authors": "Øydgard, Guro Wisth", "year": "2018", "container": "", "doi": ""}])
    links = link_studies(load_studies(folder), read_included(included))
    assert set(links["status"]) == {"ambiguous"}


def test_o_with_stroke_is_not_folded(tmp_path):
    folder = copy_studies(tmp_path / "s", ["sundsbo2024"])
    included = write_included(tmp_path / "included.csv", [
        {"work_id": "W-sundsbo", "title": "", "authors": "Sundsbo, A.", "year": "2024", "container": "", "doi": ""}])
    links = link_studies(load_studies(folder), read_included(included))
    assert links.loc[0, "status"] == "none"


def test_existing_work_id_is_confirmed_or_flagged(sample):
    folder, included = sample
    edit_study(folder / "oydgard2018a.yaml", lambda d: d.update(work_id="W-oydgard2018b"))
    edit_study(folder / "oydgard2018b.yaml", lambda d: d.update(work_id="W-oydgard2018a"))
    links = link_studies(load_studies(folder), read_included(included)).set_index("study_id")
    assert links.loc["kassah2016", "status"] == "confirmed"
    assert links.loc["oydgard2018a", "status"] == "differs"


def test_write_work_ids_fills_only_empty_lines(sample, form):
    from review.extraction import validate
    from review.extraction.link import write_work_ids

    folder, included = sample
    before = (folder / "sundsbo2024.yaml").read_text(encoding="utf-8")
    for sid in ("kassah2016", "sundsbo2024"):
        p = folder / f"{sid}.yaml"
        p.write_text(p.read_text(encoding="utf-8").replace(f"work_id: W-{sid}\n", "work_id:\n"), encoding="utf-8")
    studies = load_studies(folder)
    links = link_studies(studies, read_included(included))
    assert write_work_ids(studies, links) == ["kassah2016", "sundsbo2024"]
    # Only the work_id line changed; comments and layout stay for the diff in git.
    assert (folder / "sundsbo2024.yaml").read_text(encoding="utf-8") == before
    assert validate(load_studies(folder), form, read_included(included)) == []
