"""Blocking: several keys, so one differing or missing field does not lose a pair."""
from review.dedup.blocking import candidate_pairs
from review.dedup.features import compute_features

from .conftest import rec, table


def _pairs(*rows):
    f = compute_features(table(*rows))
    i, j, dropped = candidate_pairs(f)
    return {(f.record_id[a], f.record_id[b]) for a, b in zip(i, j)}, dropped


def test_pair_with_a_different_title_start_is_found_by_the_title_tail():
    got, _ = _pairs(
        rec("a", title="[A study on mycobacterium vaccine in the treatment of tuberculous pleurisy]"),
        rec("b", title="Study on the use of mycobacterium vaccine in the treatment of tuberculous pleurisy"),
    )
    assert ("a", "b") in got


def test_pair_with_an_empty_title_is_found_by_author_year_and_page():
    got, _ = _pairs(
        rec("a", title="New insights into postrenal transplant hemolytic uremic syndrome",
            authors="Zuber, J; Le Quintrec, M", year="2011", volume="7", pages="23-35"),
        rec("b", title="", authors="Zuber, J.; Le Quintrec, M.", year="2011", volume="7", pages="23-35"),
    )
    assert ("a", "b") in got


def test_pair_with_different_titles_but_the_same_doi_is_found():
    got, _ = _pairs(rec("a", title="Helsetjenester i kommunene", doi="10.1000/xyz"),
                    rec("b", title="Kommunale helsetjenester", doi="https://doi.org/10.1000/XYZ"))
    assert ("a", "b") in got


def test_ascii_and_ocr_spellings_share_a_block():
    got, _ = _pairs(rec("a", title="Slåtsveen og samhandling i kommunehelsetjenesten"),
                    rec("b", title="Slaatsveen og samhandling i kommunehelsetjenesten"))
    assert ("a", "b") in got


def test_unrelated_records_are_not_paired():
    got, dropped = _pairs(rec("a", title="Legevakt i distriktene", year="2015", pages="10-14"),
                          rec("b", title="Tildelingskontor i kommunene", year="2016", pages="20-30"))
    assert got == set() and dropped == 0
