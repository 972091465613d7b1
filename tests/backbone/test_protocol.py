"""The protocol loader: the flagship is valid, and a broken protocol names the key and the file."""
import shutil

import pytest
import yaml

from review.errors import MissingInputError, ProtocolError
from review.protocol import load_protocol


@pytest.fixture
def review_copy(tmp_path, repo):
    shutil.copy(repo / "protocol.yaml", tmp_path / "protocol.yaml")
    return tmp_path


def _edit(folder, change):
    path = folder / "protocol.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_flagship_protocol_has_the_reports_values(repo):
    p = load_protocol(repo, check_files=False)
    names = [s.name for s in p.databases]
    assert len(names) == 11
    assert {"PubMed", "CINAHL Complete", "Embase", "Scopus", "Web of Science", "Oria", "Idunn",
            "Google Scholar"} <= set(names)
    assert [s.id for s in p.other_methods] == ["citation_search", "team_knowledge"]
    assert (p.date_range.start, p.date_range.end) == (1990, 2024)
    assert len(p.quality_dimensions) == 7
    assert p.quality_dimensions[-1].label("nb") == "Kompetente og myndiggjorte medarbeidere"
    assert [m.id for m in p.organisational_models] == ["separate_unit", "trust_model", "integrated"]
    full_text = p.stage("full_text")
    assert full_text.reason_required_for_exclusion
    assert "not_norway" in [r.id for r in full_text.exclusion_reasons]


def test_misspelt_key_names_key_file_and_suggestion(review_copy):
    path = _edit(review_copy, lambda d: d.__setitem__("reviewrs", d.pop("reviewers")))
    with pytest.raises(ProtocolError) as err:
        load_protocol(review_copy, check_files=False)
    msg = str(err.value)
    assert str(path) in msg
    assert "unknown key 'reviewrs'" in msg
    assert "missing key 'reviewers'" in msg


def test_misspelt_nested_key_suggests_the_right_one(review_copy):
    def change(d):
        d["sources"][0]["serach_date"] = d["sources"][0].pop("search_date")
    _edit(review_copy, change)
    with pytest.raises(ProtocolError, match=r"sources\.0\.serach_date.*did you mean 'search_date'"):
        load_protocol(review_copy, check_files=False)


def test_missing_key_is_named(review_copy):
    _edit(review_copy, lambda d: d.pop("date_range"))
    with pytest.raises(ProtocolError, match="missing key 'date_range'"):
        load_protocol(review_copy, check_files=False)


def test_bad_value_is_named(review_copy):
    _edit(review_copy, lambda d: d["date_range"].__setitem__("start", 2030))
    with pytest.raises(ProtocolError, match="date_range"):
        load_protocol(review_copy, check_files=False)


def test_invalid_yaml_gives_line(review_copy):
    (review_copy / "protocol.yaml").write_text("title: {nb: x\nquestion: [", encoding="utf-8")
    with pytest.raises(ProtocolError, match=r"line \d+: not valid YAML"):
        load_protocol(review_copy)


def test_no_protocol_file(tmp_path):
    with pytest.raises(ProtocolError, match="no protocol.yaml"):
        load_protocol(tmp_path)


def test_missing_export_file_is_named(review_copy):
    with pytest.raises(MissingInputError, match=r"source 'pubmed' names export file 'exports/pubmed.nbib'"):
        load_protocol(review_copy)


def test_unquoted_full_search_date_is_accepted(review_copy):
    p = review_copy / "protocol.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("search_date: 2024-08, query: search_strings/rendered/pubmed.txt",
                                                       "search_date: 2024-08-28, query: search_strings/rendered/pubmed.txt"),
                 encoding="utf-8")
    assert load_protocol(review_copy, check_files=False).source("pubmed").search_date == "2024-08-28"
