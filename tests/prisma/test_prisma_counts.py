"""PRISMA counts from the stage tables: every box from the data, every box checked."""
import json

import pandas as pd
import pytest

from review.errors import MissingInputError, ValidationError
from review.prisma import assert_balanced, check_table, compute_counts, pending_warnings


def _read(tables, name):
    return pd.read_csv(tables / name, dtype=str, keep_default_na=False)


def test_identification_and_duplicates_come_from_records_and_works(tables, protocol):
    c = compute_counts(tables, protocol)
    records = _read(tables, "records.csv")
    works = _read(tables, "deduplicated.csv")
    per_source = records.groupby("source").size().to_dict()
    assert c.databases == {s: per_source[s] for s in c.databases}
    assert c.other_sources == {s: per_source[s] for s in c.other_sources}
    # Protocol order, not alphabetical: PubMed before CINAHL.
    assert list(c.databases) == [s.id for s in protocol.sources if s.id in c.databases]
    db_records = (records.source_kind == "database").sum()
    assert c.duplicates == db_records - (works.route == "database").sum()
    assert c.other_duplicates == len(records) - db_records - (works.route == "other").sum()
    # The same Tønnessen article from PubMed and the citation search is one database work.
    tonnessen = works[works.work_id == "w_tonnessen2011"].iloc[0]
    assert tonnessen.route == "database" and "citation_search" in tonnessen.sources


def test_removed_and_screening_measures(tables, protocol):
    c = compute_counts(tables, protocol)
    removed = _read(tables, "removed_before_screening.csv")
    # "published 1987, before the protocol's date range ..." is one kind of removal, whatever the year.
    assert c.removed_other == {"outside_date_range": removed.reason.str.contains("date range").sum()}
    measures = dict(_read(tables, "screening_counts.csv").values.tolist())
    assert c.records_screened == int(measures["records_screened"])
    assert c.reports_excluded_reasons == {k.split(":", 1)[1]: int(v) for k, v in measures.items()
                                          if k.startswith("reports_excluded:")}
    assert c.studies_included == int(measures["studies_included"])
    table = check_table(c)
    assert table.ok.all(), table[~table.ok]


def _set_measure(tables, measure, value):
    path = tables / "screening_counts.csv"
    df = pd.read_csv(path, dtype=str)
    df.loc[df.measure == measure, "value"] = str(value)
    df.to_csv(path, index=False)


@pytest.mark.parametrize("measure, delta, box", [
    ("reports_assessed", 1, "Reports assessed for eligibility (databases)"),
    ("records_screened", -1, "Records screened"),
    ("reports_excluded:no_staff_experience", 1, "Reports excluded (databases)"),
    ("other_reports_not_retrieved", 1, "Reports assessed for eligibility (other methods)"),
    ("studies_included", 1, "Studies included in review"),
])
def test_unbalanced_counts_name_the_box(tables, protocol, measure, delta, box):
    measures = dict(_read(tables, "screening_counts.csv").values.tolist())
    _set_measure(tables, measure, int(measures[measure]) + delta)
    c = compute_counts(tables, protocol)
    with pytest.raises(ValidationError) as err:
        assert_balanced(c, source=str(tables / "screening_counts.csv"))
    assert f"box {box!r}" in str(err.value)
    assert "screening_counts.csv" in str(err.value)


def test_search_log_that_disagrees_with_records_is_caught(tables, protocol):
    log = _read(tables, "search_log.csv")
    log.loc[log.source_id == "cinahl", "records_read"] = "5"  # the hits recorded, not the records read
    log.to_csv(tables / "search_log.csv", index=False)
    with pytest.raises(ValidationError, match="Records identified"):
        assert_balanced(compute_counts(tables, protocol))


def test_record_in_two_works_breaks_the_duplicate_box(tables, protocol):
    works = _read(tables, "deduplicated.csv")
    works.loc[works.work_id == "w_hansen2019", "member_ids"] = "r005pu; r001pu"
    works.to_csv(tables / "deduplicated.csv", index=False)
    with pytest.raises(ValidationError, match="Duplicate records") as err:
        assert_balanced(compute_counts(tables, protocol))
    assert "r001pu" in str(err.value)


def test_pending_decisions_are_allowed_and_warned(tables, protocol):
    _set_measure(tables, "records_screened", 7)
    _set_measure(tables, "records_excluded", 4)
    _set_measure(tables, "records_pending", 1)
    c = compute_counts(tables, protocol)
    assert_balanced(c)
    assert pending_warnings(c) == ["1 record(s) still wait for a title/abstract decision"]


def test_missing_measure_names_file_and_measure(tables, protocol):
    df = _read(tables, "screening_counts.csv")
    df[df.measure != "reports_sought"].to_csv(tables / "screening_counts.csv", index=False)
    with pytest.raises(ValidationError, match=r"screening_counts\.csv: missing measure\(s\) reports_sought"):
        compute_counts(tables, protocol)


def test_non_numeric_value_names_the_line(tables, protocol):
    _set_measure(tables, "records_excluded", "five")
    with pytest.raises(ValidationError, match=r"line 3, measure 'records_excluded' is 'five'"):
        compute_counts(tables, protocol)


def test_missing_table_says_which_stage_to_run(tables, protocol):
    (tables / "screening_pool.csv").unlink()
    with pytest.raises(MissingInputError, match=r"screening_pool\.csv: not found.*01_identification"):
        compute_counts(tables, protocol)


def test_bom_and_crlf_in_screening_counts_are_read(tables, protocol):
    path = tables / "screening_counts.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert compute_counts(tables, protocol).records_screened == 8


def test_counts_table_is_stable_and_complete(tables, protocol):
    c = compute_counts(tables, protocol)
    table = c.as_table()
    assert table.loc[(table.box == "records_identified") & (table.item == "pubmed"), "n"].item() == 5
    assert table.n.dtype.kind == "i"
    assert table.equals(compute_counts(tables, protocol).as_table())
    assert json.loads(table.to_json())  # plain values, nothing that cannot be serialised


def test_removal_reasons_group_by_kind(protocol):
    from review.prisma.counts import removal_reason_key

    ids = {t.id for t in protocol.stage("full_text").exclusion_reasons}
    assert removal_reason_key("published 1937, before the protocol's date range 1990–2024", ids) == \
        removal_reason_key("published 2031, after the protocol's date range 1990–2024", ids) == "outside_date_range"
    assert removal_reason_key("not_research", ids) == "not_research"
    assert removal_reason_key("retracted", ids) == "retracted"


def test_pending_total_that_disagrees_with_the_branches_is_caught(tables, protocol):
    _set_measure(tables, "reports_pending", 2)
    with pytest.raises(ValidationError, match="Reports pending"):
        assert_balanced(compute_counts(tables, protocol))


def test_measure_twice_names_the_line(tables, protocol):
    path = tables / "screening_counts.csv"
    path.write_text(path.read_text(encoding="utf-8") + "reports_excluded:not_norway,2\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"line \d+: measure 'reports_excluded:not_norway' appears twice"):
        compute_counts(tables, protocol)
