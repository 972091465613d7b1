"""Damaged exports: strict mode names file, line and record; lenient mode skips and lists them.
Random and truncated input never raises anything but ParseError."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review.errors import ParseError
from review.identification import read_file
from review.identification.encoding import decode_bytes
from review.identification.formats import FORMATS

BROKEN = [
    # file, format, records kept in lenient mode, (line, record) of the damage
    ("missing_er.ris", "ris", ["First, fine", "Third, fine"], (5, 2)),
    ("truncated.ris", "ris", ["Complete"], (5, 2)),
    ("bad_record.nbib", "medline", ["Fine record", "Another fine record"], (4, 2)),
    ("broken.bib", "bibtex", ["Fine", "Also fine"], (3, 2)),
    ("ragged.csv", "scopus_csv", ["First", "Third"], (3, 2)),
    ("bad_record.xml", "endnote_xml", ["Fine", "Also fine"], (1, 2)),
    ("stray_er.txt", "wos", ["Fine", "Fine too"], (7, 2)),
]


@pytest.mark.parametrize("name, fmt, kept, where", BROKEN)
def test_strict_mode_stops_with_file_line_and_record(exports, name, fmt, kept, where):
    with pytest.raises(ParseError) as info:
        read_file(exports / "broken" / name, fmt, source="s", label=f"exports/{name}")
    err = info.value
    assert (err.line, err.record) == where
    assert str(err).startswith(f"exports/{name}, line {where[0]}, record {where[1]}: ")


@pytest.mark.parametrize("name, fmt, kept, where", BROKEN)
def test_lenient_mode_skips_the_broken_record_and_lists_it(exports, name, fmt, kept, where):
    records, problems, info = read_file(exports / "broken" / name, fmt, source="s", lenient=True)
    assert list(records["title"]) == kept
    assert len(problems) == 1 and info["records_skipped"] == 1
    row = problems.iloc[0]
    assert (row["line"], row["record"]) == where
    assert row["source_id"] == "s" and row["reason"]
    # Good records keep their own position in the file.
    assert list(records["position"]) == ([1] if name == "truncated.ris" else [1, 3])


def test_external_entities_are_refused(exports):
    with pytest.raises(ParseError, match="entities"):
        read_file(exports / "broken" / "xxe.xml", "endnote_xml", lenient=True)


def test_undeclared_entity_in_a_record_is_not_resolved(tmp_path):
    path = tmp_path / "x.xml"
    path.write_text("<xml><records><record><titles><title>&xxe;</title></titles></record></records></xml>")
    with pytest.raises(ParseError, match="record 1"):
        read_file(path, "endnote_xml")


def test_wrong_format_key_says_so(exports):
    with pytest.raises(ParseError, match="no RIS records found"):
        read_file(exports / "pubmed.nbib", "ris")
    with pytest.raises(ParseError, match="not a Scopus CSV"):
        read_file(exports / "rayyan.csv", "scopus_csv")
    with pytest.raises(ParseError, match="unknown format"):
        read_file(exports / "rayyan.csv", "csv")


def test_empty_file_gives_no_records(tmp_path):
    for fmt, fmt_obj in FORMATS.items():
        path = tmp_path / f"empty{fmt_obj.suffix}"
        path.write_bytes(b"")
        records, problems, _ = read_file(path, fmt)
        assert len(records) == 0 and len(problems) == 0, fmt


def test_undecodable_bytes_name_the_line():
    # Valid UTF-16 BOM followed by an odd byte count cannot be decoded.
    with pytest.raises(ParseError, match="utf-16"):
        decode_bytes(b"\xff\xfeT\x00Y\x00\n", "x.ris")


def _samples():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
    return {fmt: (root / name).read_text(encoding="utf-8-sig", errors="replace")
            for name, fmt in [("cinahl_ebsco.ris", "ris"), ("pubmed.nbib", "medline"),
                              ("team_knowledge.bib", "bibtex"), ("scopus.csv", "scopus_csv"),
                              ("web_of_science.txt", "wos"), ("scholar_pop.csv", "scholar_csv"),
                              ("endnote.xml", "endnote_xml"), ("rayyan.csv", "rayyan_csv")]}


SAMPLES = _samples()
FUZZ = settings(max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


def _only_parse_errors(fmt, text, lenient):
    try:
        records, problems = FORMATS[fmt].read(text, "fuzz", lenient=lenient)
    except ParseError:
        return
    assert isinstance(records, list) and isinstance(problems, list)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("fmt", sorted(FORMATS))
@FUZZ
@given(text=st.text(alphabet=st.sampled_from("TYERAUPM- \n\r{}@<>/\"',;:=&#01ø"), max_size=300),
       lenient=st.booleans())
def test_random_text_returns_records_or_parse_error(fmt, text, lenient):
    _only_parse_errors(fmt, text, lenient)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("fmt", sorted(FORMATS))
@FUZZ
@given(data=st.data(), lenient=st.booleans())
def test_truncated_and_mangled_exports_return_records_or_parse_error(fmt, data, lenient):
    sample = SAMPLES[fmt]
    cut = data.draw(st.integers(0, len(sample)))
    junk = data.draw(st.text(max_size=20))
    at = data.draw(st.integers(0, cut))
    _only_parse_errors(fmt, sample[:at] + junk + sample[at:cut], lenient)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("fmt", sorted(FORMATS))
@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes_through_read_file(fmt, data, tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / f"x{FORMATS[fmt].suffix}"
    path.write_bytes(data)
    try:
        read_file(path, fmt, lenient=True)
    except ParseError:
        pass


def test_lenient_csv_resumes_after_a_broken_quote(tmp_path):
    path = tmp_path / "rayyan.csv"
    path.write_text('key,title,authors\n1,"Første",A\n2,"Stray "quote",B\n3,Tredje,C\n4,"Never closed,D\n5,x,y\n',
                    encoding="utf-8")
    records, problems, _ = read_file(path, "rayyan_csv", lenient=True)
    assert list(records["title"]) == ["Første", "Tredje"]
    assert problems[["line", "record"]].values.tolist() == [[3, 2], [5, 4]]
    with pytest.raises(ParseError, match="line 3, record 2"):
        read_file(path, "rayyan_csv")


def test_csv_cells_spanning_lines_keep_their_line_break(tmp_path):
    path = tmp_path / "rayyan.csv"
    path.write_text('key,title,authors,abstract\n1,"Tildeling",A,"Første linje\nandre linje"\n2,Neste,B,x\n',
                    encoding="utf-8")
    records, _, _ = read_file(path, "rayyan_csv")
    assert records["abstract"].tolist() == ["Første linje andre linje", "x"]
    assert records["line"].tolist() == [2, 4]
