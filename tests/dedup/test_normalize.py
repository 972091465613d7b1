"""Normalisation: the folded forms used for blocking and scoring, and what they must not conflate."""
import pytest

from review.dedup import normalize as nz


def test_fold_handles_entities_case_punctuation_and_nordic_letters():
    assert nz.fold("Vabø &amp; Slåtsveen: Sæther's <i>Omsorg</i>") == "vabo and slatsveen saether s omsorg"
    assert nz.fold("ØYDGARD") == nz.fold("Øydgard") == "oydgard"
    assert nz.fold("Schörpf–Müller") == "schorpf muller"


def test_exact_form_keeps_the_letters_that_fold_away():
    assert nz.exact("Vabø") != nz.exact("Vabo")
    assert nz.fold("Vabø") == nz.fold("Vabo")


def test_ocr_key_merges_old_ascii_spellings_for_blocking_only():
    assert nz.ocr_key(nz.fold("Slaatsveen")) == nz.ocr_key(nz.fold("Slåtsveen"))
    assert nz.fold("Slaatsveen") != nz.fold("Slåtsveen")


@pytest.mark.parametrize("raw,expected", [
    ("73-6", ("73", "76")), ("221-8", ("221", "228")), ("1297-1306", ("1297", "1306")),
    ("376 -- 383", ("376", "383")), ("e0123", ("e123", "")), ("S42", ("s42", "")),
    ("215 p", ("", "")), ("", ("", "")),
])
def test_page_ranges(raw, expected):
    assert nz.normalize_pages(raw) == expected


@pytest.mark.parametrize("short,long_", [
    ("Curr Opin Lipidol", "Current Opinion in Lipidology"),
    ("Tidsskr Nor Laegeforen", "Tidsskrift for den Norske Lægeforening"),
    ("Dtsch Med Wochenschr", "Deutsche Medizinische Wochenschrift"),
    ("JPEN J Parenter Enteral Nutr", "Journal of Parenteral and Enteral Nutrition"),
    ("Nat Rev Nephrol", "Nature Reviews Nephrology"),
])
def test_journal_abbreviations_are_compatible(short, long_):
    assert nz.containers_compatible(nz.container_tokens(short), nz.container_tokens(long_))


def test_different_journals_are_not_compatible():
    assert nz.containers_compatible(nz.container_tokens("Stroke"),
                                    nz.container_tokens("Canadian Journal of Neurological Sciences")) is False
    assert nz.containers_compatible([], nz.container_tokens("Stroke")) is None


def test_author_forms():
    assert [a.family for a in nz.parse_authors("Zipfel, P. F. and Skerka, C.")] == ["zipfel", "skerka"]
    assert [a.family for a in nz.parse_authors("Adeli K.Lewis G. F.")] == ["adeli", "lewis"]
    vabo = nz.parse_authors("Vabø, Mia; Mia Sundsbø")
    assert [(a.family, a.family_exact, a.initials) for a in vabo] == [("vabo", "vabø", "m"),
                                                                     ("sundsbo", "sundsbø", "m")]


def test_name_fold_conflict_only_when_both_records_write_non_ascii_letters():
    a, b = nz.parse_authors("Vabø, Mia")[0], nz.parse_authors("Vabo, Mia")[0]
    assert nz.name_fold_conflict(a, b, True, True)
    assert not nz.name_fold_conflict(a, b, True, False)  # an ASCII-only export may have lost the ø


def test_titles_lose_database_notes_but_keep_their_numbers():
    assert nz.normalize_title("Efficacy of batroxobin. [Chinese]") == "efficacy of batroxobin"
    assert nz.normalize_title("Eculizumab for aHUS.[Erratum appears in N Engl J Med. 2009;360(23):2487]") \
        == "eculizumab for ahus"
    assert nz.title_numbers("NOU 2004:18 Helhet og plan") != nz.title_numbers("NOU 2005:3 Helhet og plan")
    assert nz.title_numbers("NOU 2005: 3 Fra stykkevis") == nz.title_numbers("NOU 2005:3 Fra stykkevis")
    # an export that dropped punctuation keeps the same numbers
    assert nz.title_numbers("Research 1991-2001") == nz.title_numbers("RESEARCH 19912001")
    assert nz.title_numbers("Evaluering, del II") == {"part ii"}


@pytest.mark.parametrize("title,notice", [
    ("Erratum to: How do requirements evolve over time?", True),
    ("Correction to: Samhandling i kommunene", True),
    ("Comment on: Legevakt i distriktene", True),
    ("Atypical HUS associated with streptococcus - Reply", True),
    ("Eculizumab for aHUS (vol 360, pg 542, 2009)", True),
    ("Eculizumab for aHUS (New England Journal of Medicine (2009) 360 (542-544))", True),
    ("Immune response to influenza vaccine", False),
    ("Correction of scoliosis in adolescents", False),
    ("Eculizumab for aHUS.[Erratum appears in N Engl J Med. 2009]", False),
])
def test_notices(title, notice):
    assert nz.is_notice(title) is notice


def test_dois_and_placeholders():
    assert nz.normalize_doi("http://dx.doi.org/10.1016/S0025-7753%2817%2930624-3") == "10.1016/s0025-7753(17)30624-3"
    assert nz.normalize_doi("ARTN 106\n10.1186/s12933-018-0749-1") == "10.1186/s12933-018-0749-1"
    assert nz.normalize_doi("NA") == ""
    assert nz.normalize_number("128 (Suppl 1)") == "128" and nz.normalize_number("1)") == ""


def test_google_scholar_author_forms():
    # Scholar glues co-authors' initials before the real ones: "ENMG T Eide" is T. Eide.
    assert [(a.family, a.initials) for a in nz.parse_authors("ENMG T Eide")] == [("eide", "t")]
    assert [(a.family, a.initials) for a in nz.parse_authors("ES HE Sæterøy")] == [("saeteroy", "h")]
    assert [(a.family, a.initials) for a in nz.parse_authors("BA Brenne, M Hedlund")][0] == ("brenne", "b")
    assert nz.is_truncated("Tillitsmodellen – erfaringer med mini-pilotering av selvstyrende team i tre bydeler i Os…")
