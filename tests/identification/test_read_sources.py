"""read_sources over a small review folder, the search log, and the date-range prefilter."""
import shutil
import textwrap

import pandas as pd
import pytest

from review.errors import ParseError, ProtocolError
from review.identification import prefilter, read_sources, search_log
from review.identification.records import RECORD_COLUMNS
from review.identification.searchlog import SEARCH_LOG_COLUMNS
from review.protocol import load_protocol

SOURCES = """
sources:
  - {id: pubmed, name: PubMed, kind: database, format: medline, files: [exports/pubmed.nbib], search_date: 2024-08, query: search_strings/rendered/pubmed.txt, hits_recorded: 2}
  - {id: cinahl, name: CINAHL Complete, kind: database, format: ris, files: [exports/cinahl_ebsco.ris], search_date: "2024-08-28", hits_recorded: 3}
  - {id: embase, name: Embase, kind: database, format: ris, files: [exports/embase.ris, exports/oria_primo.ris], search_date: 2024-08}
  - {id: scopus, name: Scopus, kind: database, format: scopus_csv, files: [exports/scopus.csv], search_date: 2024-08, note: No count recorded.}
  - {id: citation_search, name: Citation search, kind: other, format: ris, files: [exports/missing_er.ris], hits_recorded: 3}
  - {id: team_knowledge, name: Team knowledge, kind: other, format: bibtex, files: []}
"""


def _review(tmp_path, exports, sources=SOURCES, extra=None):
    with open(_protocol_template(), encoding="utf-8") as fh:
        base = fh.read()
    start = base.index("\nsources:")
    end = base.index("\nreviewers:")
    (tmp_path / "protocol.yaml").write_text(base[:start] + "\n" + textwrap.dedent(sources) + base[end:],
                                            encoding="utf-8")
    (tmp_path / "exports").mkdir()
    for f in exports.glob("*.*"):
        shutil.copy(f, tmp_path / "exports" / f.name)
    shutil.copy(exports / "broken" / "missing_er.ris", tmp_path / "exports" / "missing_er.ris")
    for name, original in (extra or {}).items():
        shutil.copy(original, tmp_path / "exports" / name)
    return load_protocol(tmp_path)


def _protocol_template():
    from pathlib import Path

    return Path(__file__).resolve().parents[2] / "protocol.yaml"


def test_read_sources_strict_stops_at_the_damaged_file(tmp_path, exports):
    protocol = _review(tmp_path, exports)
    with pytest.raises(ParseError, match=r"exports/missing_er.ris, line 5, record 2"):
        read_sources(protocol, tmp_path, progress=False)


def test_read_sources_lenient_reads_everything_else_with_provenance(tmp_path, exports):
    protocol = _review(tmp_path, exports)
    result = read_sources(protocol, tmp_path, lenient=True, progress=False)
    rec = result.records
    assert list(rec.columns) == RECORD_COLUMNS
    # Protocol order, then file order, then position.
    assert list(dict.fromkeys(rec["source"])) == ["pubmed", "cinahl", "embase", "scopus", "citation_search"]
    assert list(dict.fromkeys(rec.loc[rec["source"] == "embase", "file"])) == ["exports/embase.ris",
                                                                                  "exports/oria_primo.ris"]
    assert set(rec.loc[rec["source"] == "citation_search", "source_kind"]) == {"other"}
    assert rec["record_id"].is_unique
    assert not rec["file"].str.startswith("/").any()
    assert list(result.problems.columns) == ["source_id", "file", "line", "record", "reason"]
    assert result.problems[["source_id", "file", "line", "record"]].values.tolist() == [
        ["citation_search", "exports/missing_er.ris", 5, 2]]
    files = result.files.set_index("file")
    assert files.loc["exports/oria_primo.ris", "encoding"] == "cp1252"


def test_record_ids_do_not_change_when_another_export_is_added(tmp_path, exports):
    protocol = _review(tmp_path, exports)
    before = read_sources(protocol, tmp_path, lenient=True, progress=False).records
    more = SOURCES + ("  - {id: wos, name: Web of Science, kind: database, format: wos, "
                      "files: [exports/web_of_science.txt]}\n")
    (tmp_path / "b").mkdir()
    protocol = _review(tmp_path / "b", exports, more)
    after = read_sources(protocol, tmp_path / "b", lenient=True, progress=False).records
    assert len(after) > len(before)
    kept = after.set_index("record_id").loc[before["record_id"], ["title", "file", "position"]]
    assert kept.reset_index(drop=True).equals(before[["title", "file", "position"]].reset_index(drop=True))


def test_unknown_format_names_the_source(tmp_path, exports):
    protocol = _review(tmp_path, exports, SOURCES.replace("format: scopus_csv", "format: scopus"))
    with pytest.raises(ProtocolError, match="'scopus'.*no reader"):
        read_sources(protocol, tmp_path, progress=False)


def test_search_log_lists_every_source_and_flags_differences(tmp_path, exports):
    protocol = _review(tmp_path, exports)
    result = read_sources(protocol, tmp_path, lenient=True, progress=False)
    log = search_log(protocol, result)
    assert list(log.columns) == SEARCH_LOG_COLUMNS
    assert list(log["source_id"]) == [s.id for s in protocol.sources]
    log = log.set_index("source_id")
    read = result.records["source"].value_counts()
    for sid in ("pubmed", "cinahl", "embase", "scopus", "citation_search"):
        assert log.loc[sid, "records_read"] == read[sid]
    assert log.loc["team_knowledge", "records_read"] == 0
    assert (read["pubmed"], read["cinahl"]) == (2, 2)
    assert not log.loc["pubmed", "differs"]           # 2 recorded, 2 read
    assert log.loc["cinahl", "differs"]               # 3 recorded, 2 read
    assert not log.loc["embase", "differs"] and pd.isna(log.loc["embase", "hits_recorded"])
    assert log.loc["citation_search", "records_skipped"] == 1
    assert "No export file" in log.loc["team_knowledge", "note"]
    assert log.loc["scopus", "note"].startswith("No count recorded.")


def test_flagship_search_log_lists_eleven_databases_and_two_other_methods():
    protocol = load_protocol(_protocol_template().parent, check_files=False)
    empty = type("R", (), {"records": pd.DataFrame({"source": []}),
                           "problems": pd.DataFrame({"source_id": []})})()
    log = search_log(protocol, empty)
    assert (log["kind"] == "database").sum() == 11
    assert set(log.loc[log["kind"] == "other", "source_id"]) == {"citation_search", "team_knowledge"}


def test_prefilter_removes_works_outside_the_date_range(tmp_path, exports):
    protocol = _review(tmp_path, exports)
    works = pd.DataFrame({"work_id": ["w3", "w1", "w2", "w4", "w5"],
                          "year": [1989, 1990, None, 2025, "2024"],
                          "title": ["a", "b", "c", "d", "e"]})
    pool, removed = prefilter(works, protocol)
    assert list(pool["work_id"]) == ["w1", "w2", "w5"]   # no year stays in
    assert list(removed.columns) == ["work_id", "reason"]
    assert removed.values.tolist() == [
        ["w3", "published 1989, before the protocol's date range 1990–2024"],
        ["w4", "published 2025, after the protocol's date range 1990–2024"]]
    assert list(pool.columns) == list(works.columns)


def test_same_record_in_two_files_of_one_source_gets_distinct_ids(tmp_path, exports):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    before = read_sources(_review(tmp_path / "one", exports), tmp_path / "one", lenient=True, progress=False)
    # An overlapping second export batch, added to the end of the source's files.
    sources = SOURCES.replace("files: [exports/cinahl_ebsco.ris]",
                              "files: [exports/cinahl_ebsco.ris, exports/cinahl_batch2.ris]")
    protocol = _review(tmp_path / "two", exports, sources, extra={"cinahl_batch2.ris": exports / "cinahl_ebsco.ris"})
    rec = read_sources(protocol, tmp_path / "two", lenient=True, progress=False).records
    assert rec["record_id"].is_unique
    first_ids = before.records.loc[before.records["source"] == "cinahl", "record_id"].tolist()
    assert len(first_ids) == 2
    assert rec.loc[rec["source"] == "cinahl", "record_id"].tolist() == first_ids + [f"{i}-2" for i in first_ids]


def test_a_file_listed_twice_is_a_protocol_error(tmp_path, exports):
    protocol = _review(tmp_path, exports, SOURCES.replace("files: [exports/pubmed.nbib]",
                                                          "files: [exports/pubmed.nbib, exports/pubmed.nbib]"))
    with pytest.raises(ProtocolError, match="twice"):
        read_sources(protocol, tmp_path, progress=False)
