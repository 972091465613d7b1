"""Pairs that look alike but are two works: each must stay apart, for the stated reason."""
from review.dedup import deduplicate
from review.dedup.rules import CONFLICT_RULES

from .conftest import pair_row, rec, table, works_of

JOURNAL = "Tidsskrift for omsorgsforskning"


def test_same_author_same_year_two_papers_stay_apart():
    r = deduplicate(table(
        rec("a", title="Hjemmetjenesten i norske kommuner: tidsbruk", authors="Vabø, Mia", year="2014",
            container=JOURNAL, volume="2"),
        rec("b", title="Hjemmetjenesten i norske kommuner: styring og ledelse", authors="Vabø, Mia",
            year="2014", container=JOURNAL, volume="2"),
    ))
    assert works_of(r) == [["a"], ["b"]]
    row = pair_row(r, "a", "b")  # the shared title start makes them a candidate pair
    assert row.decision == "different" and row.rule in ("title_differs", "insufficient_evidence")


def test_erratum_and_the_article_it_corrects_stay_apart():
    article = dict(authors="Sundsbø, Anne; Løken, Kari", year="2019", container="BMC Health Serv Res",
                   volume="19")
    r = deduplicate(table(
        rec("art", title="Samhandling mellom kommune og sykehus: en kvalitativ studie", pages="12-20",
            **article),
        rec("err", title="Correction to: Samhandling mellom kommune og sykehus: en kvalitativ studie",
            **article),
    ))
    assert works_of(r) == [["art"], ["err"]]
    assert pair_row(r, "art", "err").rule == "notice_vs_article"


def test_comment_and_reply_stay_apart_from_the_article():
    base = dict(year="2004", container="Pediatric Nephrology", volume="19")
    r = deduplicate(table(
        rec("letter", title="Atypical hemolytic uremic syndrome associated with streptococcus",
            authors="Yildiz, B.; Kural, N.", pages="943-944", **base),
        rec("reply", title="Atypical hemolytic uremic syndrome associated with streptococcus - Reply",
            authors="Yildiz, B.; Kural, N.", **base),
        rec("comment", title="Comment on: Atypical hemolytic uremic syndrome associated with streptococcus",
            authors="Yildiz, B.; Kural, N.", **base),
    ))
    assert works_of(r) == [["comment"], ["letter"], ["reply"]]
    assert pair_row(r, "letter", "reply").rule == "notice_vs_article"
    assert pair_row(r, "letter", "comment").rule == "notice_vs_article"


def test_medline_erratum_note_does_not_make_the_article_a_notice():
    base = dict(authors="Philipp, T.", year="2009", container="N Engl J Med", volume="360", pages="542-544")
    r = deduplicate(table(
        rec("a", title="Eculizumab for atypical hemolytic-uremic syndrome", **base),
        rec("b", title="Eculizumab for atypical hemolytic-uremic syndrome.[Erratum appears in N Engl J Med. "
                       "2009 Jun 4;360(23):2487]", **base),
    ))
    assert works_of(r) == [["a", "b"]]


def test_conference_abstract_and_full_article_stay_apart():
    same = dict(title="Integrerte helse- og omsorgstjenester i kommunene", authors="Øydgard, Gunn Wenche",
                year="2017")
    r = deduplicate(table(
        rec("abs", pub_type="CONF", container="Nordic Conference on Health Services Research", **same),
        rec("art", pub_type="JOUR", container="Tidsskrift for velferdsforskning", volume="20", pages="4-19",
            **same),
    ))
    assert works_of(r) == [["abs"], ["art"]]
    assert pair_row(r, "abs", "art").rule == "conference_vs_journal"


def test_abstract_in_a_supplement_and_the_article_stay_apart_on_pages():
    same = dict(title="Neurological involvement in a child with atypical hemolytic uremic syndrome",
                authors="Koehl, B.; Boyer, O.", year="2010", container="Pediatric Nephrology", volume="25")
    r = deduplicate(table(rec("abs", pages="1875", issue="9", **same),
                          rec("art", pages="2539-2542", issue="12", **same)))
    assert works_of(r) == [["abs"], ["art"]]
    assert pair_row(r, "abs", "art").rule == "pages_conflict"


def test_book_and_a_chapter_in_it_stay_apart():
    r = deduplicate(table(
        rec("book", title="Velferdsstatens tjenester", authors="Vabø, Mia; Vabo, Signy Irene",
            year="2014", pub_type="BOOK"),
        rec("chap", title="Velferdsstatens tjenester", container="Velferdsstatens tjenester",
            authors="Vabø, Mia; Vabo, Signy Irene", year="2014", pub_type="CHAP"),
    ))
    assert works_of(r) == [["book"], ["chap"]]
    assert pair_row(r, "book", "chap").rule == "book_vs_part"


def test_chapter_whose_container_is_the_book_title_stays_apart_without_types():
    r = deduplicate(table(
        rec("book", title="Helse- og omsorgstjenester i kommunene", authors="Tønnessen, Siri", year="2011"),
        rec("chap", title="Helse og omsorgstjenester i kommunene",
            container="Helse- og omsorgstjenester i kommunene", authors="Tønnessen, Siri", year="2011"),
    ))
    assert works_of(r) == [["book"], ["chap"]]
    assert pair_row(r, "book", "chap").rule == "book_vs_part"


def test_series_documents_with_different_numbers_stay_apart():
    dep = "Helse- og omsorgsdepartementet"
    r = deduplicate(table(
        rec("nou1", title="NOU 2004:18 Helhet og plan i sosial- og helsetjenestene", authors=dep, year="2004"),
        rec("nou2", title="NOU 2005:3 Helhet og plan i sosial- og helsetjenestene", authors=dep, year="2005"),
        rec("p1", title="Evaluering av samhandlingsreformen, del 1", authors="Slåtsveen, Kari", year="2016"),
        rec("p2", title="Evaluering av samhandlingsreformen, del 2", authors="Slåtsveen, Kari", year="2016"),
    ))
    assert works_of(r) == [["nou1"], ["nou2"], ["p1"], ["p2"]]
    assert pair_row(r, "nou1", "nou2").rule == "series_number"
    assert pair_row(r, "p1", "p2").rule == "series_number"


def test_vabo_and_vabo_with_slashed_o_are_different_authors():
    same = dict(title="Brukermedvirkning i omsorgstjenestene", year="2015", container=JOURNAL)
    r = deduplicate(table(
        rec("mia", authors="Vabø, Mia; Sæther, Ane", **same),
        rec("signy", authors="Vabo, Signy; Kløvstad, Åse", **same),
    ))
    assert works_of(r) == [["mia"], ["signy"]]
    row = pair_row(r, "mia", "signy")
    assert row.rule == "name_fold_conflict" and row.rule in CONFLICT_RULES


def test_folding_still_finds_an_ascii_copy_of_the_same_work():
    """An OCR/ASCII export that lost ø is the same work when everything else agrees."""
    r = deduplicate(table(
        rec("nb", authors="Vabø, Mia", title="Brukermedvirkning i omsorgstjenestene", year="2015",
            container=JOURNAL, volume="3", pages="10-20"),
        rec("ocr", authors="Vabo, M.", title="Brukermedvirkning i omsorgstjenestene", year="2015",
            container="Tidsskr omsorgsforsk", volume="3", pages="10-20", source="scholar"),
    ))
    assert works_of(r) == [["nb", "ocr"]]
    assert pair_row(r, "nb", "ocr").authors == "folded"


def test_preprint_and_published_article_stay_apart_by_doi():
    same = dict(title="Digital home care in Norwegian municipalities", authors="Løken, Kari", year="2021")
    r = deduplicate(table(
        rec("pre", doi="10.31235/osf.io/abcd1", pub_type="preprint", **same),
        rec("pub", doi="10.1186/s12913-021-06001-2", pub_type="JOUR", container="BMC Health Serv Res", **same),
    ))
    assert works_of(r) == [["pre"], ["pub"]]
    assert pair_row(r, "pre", "pub").rule == "doi_conflict"


def test_no_chaining_through_a_sparse_record():
    """A~B and B~C, but A and C have different pages: C must not join A through B."""
    title = "Organisering av tildelingskontor i norske kommuner"
    r = deduplicate(table(
        rec("A", title=title, authors="Rostad, Hilde", year="2012", container=JOURNAL, volume="5",
            pages="10-20"),
        rec("B", title=title, authors="Rostad, Hilde", year="2012", container=JOURNAL),
        rec("C", title=title, authors="Rostad, Hilde", year="2012", container=JOURNAL, volume="5",
            pages="101-110"),
    ))
    groups = works_of(r)
    assert ["A", "C"] not in [g for g in groups if len(g) >= 2] and not any({"A", "C"} <= set(g) for g in groups)
    assert pair_row(r, "A", "C").rule == "pages_conflict"
    # B joined the stronger/earlier link and the other link is reported as kept apart.
    notes = r.pairs[r.pairs.note.str.startswith("kept apart")]
    assert len(notes) == 1 and "pages_conflict" in notes.iloc[0].note


def test_abstract_in_one_journal_and_article_in_another_without_pages_stay_apart():
    same = dict(title="Stroke and aphasia: overcoming the challenges of capacity evaluation",
                authors="Carling-Rowland, A.; Black, S.", year="2010", pub_type="JOUR")
    r = deduplicate(table(rec("abs", container="Canadian Journal of Neurological Sciences", **same),
                          rec("art", container="Stroke", **same)))
    assert works_of(r) == [["abs"], ["art"]]
    assert pair_row(r, "abs", "art").rule == "insufficient_evidence"


def test_two_records_of_one_book_whose_container_repeats_the_title_are_one_work():
    same = dict(title="Neuroplasticity and rehabilitation", container="Neuroplasticity and rehabilitation",
                authors="Raskin, Sarah A.", year="2011", pages="xiii, 351")
    r = deduplicate(table(rec("a", **same), rec("b", source="psycinfo", **same)))
    assert works_of(r) == [["a", "b"]]


def test_two_abstracts_sharing_a_supplement_doi_stay_apart_on_pages():
    # Embase gives every abstract in a supplement the supplement's DOI.
    base = dict(year="2014", container="Diabetes/Metabolism Research and Reviews", volume="30",
                issue="SUPPL. 3", doi="10.1002/dmrr.2604")
    r = deduplicate(table(
        rec("p51", title="Effects of incretin on artery lesions in apolipoprotein E-deficient mice",
            authors="Chen R.; Wang Y.; Liang L.", pages="51", **base),
        rec("p52", title="The effects of incretin on artery lesions in apolipoprotein E-deficient mice",
            authors="Chen R.; Wang J.; Yan C.; Wang Y.; Liang L.", pages="52", **base),
    ))
    assert works_of(r) == [["p51"], ["p52"]]
    assert pair_row(r, "p51", "p52").rule == "pages_conflict"


def test_a_shared_doi_still_joins_a_page_read_two_ways_in_a_supplement():
    base = dict(title="Proximal tubular GLP-1 receptor activity is increased in CKD rat",
                authors="Kwon S. K.; Kim S. J.", year="2016", container="Nephrology Dialysis Transplantation",
                doi="10.1093/ndt/gfw188.21")
    r = deduplicate(table(rec("a", volume="31", issue="SUPPL. 1", pages="i428", **base),
                          rec("b", volume="31", issue="SUPPL. 1", pages="1428-1428", **base)))
    assert works_of(r) == [["a", "b"]]
    assert pair_row(r, "a", "b").rule == "doi_match"


def test_same_author_same_pages_in_issues_1_and_2_of_a_volume_stay_apart():
    # Journals paginated per issue: equal volume and pages do not make two titles one work.
    base = dict(authors="Durlauf, Maria", year="2019", volume="7", pages="54-59",
                container="Psychosociological Issues in Human Resource Management")
    r = deduplicate(table(
        rec("i1", title="The commodification of digital labor in the gig economy", issue="1", **base),
        rec("i2", title="Big data analytics in human resource management", issue="2", **base),
    ))
    assert works_of(r) == [["i1"], ["i2"]]
