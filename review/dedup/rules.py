"""Pair scoring and the ordered decision rules. The first rule that fires decides a pair.

Rules that find positive evidence of *two different works* (a notice against its article, a book
against its chapter, conflicting DOIs, years, pages, volumes, series numbers, titles or names) are
*conflicts*: grouping never puts two records with a conflict in the same work, whatever links
them through third records. ``insufficient_evidence`` is not a conflict, only "not proven".
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from review.dedup.features import Features
from review.dedup.normalize import containers_compatible, name_fold_conflict

SAME, DIFFERENT = "same", "different"
NOT_PROVEN = "insufficient_evidence"

# rule -> (decision, what it means); documented in docs/dedup.md
RULES = {
    "override": ("same|different", "a reviewer's row in decisions/dedup_overrides.csv"),
    "screened_apart": (DIFFERENT, "both records are work ids that reviewers have screened: a record that matches both does not merge them (an override can)"),
    "notice_vs_article": (DIFFERENT, "one title is an erratum/correction/retraction/comment/reply, the other not"),
    "book_vs_part": (DIFFERENT, "a book (or proceedings volume) and a chapter (or paper) in it"),
    "conference_vs_journal": (DIFFERENT, "a conference paper/abstract and a journal article"),
    "series_number": (DIFFERENT, "the titles carry different numbers (NOU 2004:18 vs NOU 2005:3, Part 1 vs Part 2)"),
    "doi_match": (SAME, "same DOI and the titles agree (in a supplement, whose DOI may be the whole supplement's, not if the pages differ)"),
    "doi_conflict": (DIFFERENT, "both have a DOI and they differ, unless title, authors, year, journal and pages all agree (this keeps a preprint apart from its article)"),
    "year_conflict": (DIFFERENT, "years two or more apart"),
    "pages_conflict": (DIFFERENT, "both have a first page and they differ (not a typo: same last page, or the same page count a few pages off)"),
    "volume_conflict": (DIFFERENT, "both have a volume and they differ"),
    "issue_conflict": (DIFFERENT, "the issues differ and the pages do not confirm the match (a recurring title such as \"Editor's Comments\" in issues 1 and 2)"),
    "name_fold_conflict": (DIFFERENT, "first authors fold to the same ASCII but are spelled differently in records that both write non-ASCII letters (Vabø vs Vabo)"),
    "author_conflict": (DIFFERENT, "author lists do not match"),
    "title_differs": (DIFFERENT, "titles differ"),
    "title_match": (SAME, "titles agree, authors agree, year within one, and no field conflicts"),
    "title_biblio_match": (SAME, "titles agree and year, volume, first page and journal agree (author lists written differently)"),
    "biblio_match": (SAME, "titles differ (a translation, a retitled record) but authors, year, volume, journal and the whole page range agree"),
    "title_close_biblio_match": (SAME, "titles nearly agree; authors, year and first page agree, and volume or journal"),
    "no_title_biblio_match": (SAME, "a title is missing; exact authors, year, volume and page range agree"),
    NOT_PROVEN: (DIFFERENT, "not enough agreeing fields to call it the same work"),
}
CONFLICT_RULES = frozenset(r for r, (d, _) in RULES.items() if d == DIFFERENT and r != NOT_PROVEN)


STATE_KEYS = ("authors", "year", "container", "volume", "issue", "pages", "last_page", "doi")


@dataclass(frozen=True, slots=True)
class PairScores:
    title: float      # fuzz.ratio of folded titles, 0-100 (-1: a title is missing)
    title_set: float  # fuzz.token_set_ratio
    authors: float    # token_set_ratio of folded family names (-1: missing)
    author_bag: float = 0.0  # token_set_ratio of all folded name tokens


def score_arrays(f: Features, i: np.ndarray, j: np.ndarray, workers: int = 1):
    """Vectorised rapidfuzz scores for many pairs at once."""
    ti = [f.title[k] for k in i]
    tj = [f.title[k] for k in j]
    ai = [f.author_key[k] for k in i]
    aj = [f.author_key[k] for k in j]
    title = cpdist(ti, tj, scorer=fuzz.ratio, workers=workers)
    title_set = cpdist(ti, tj, scorer=fuzz.token_set_ratio, workers=workers)
    authors = cpdist(ai, aj, scorer=fuzz.token_set_ratio, workers=workers)
    bag = cpdist([f.author_bag[k] for k in i], [f.author_bag[k] for k in j],
                 scorer=fuzz.token_set_ratio, workers=workers)
    return title, title_set, authors, bag


def score_pair(f: Features, i: int, j: int) -> PairScores:
    raw = PairScores(fuzz.ratio(f.title[i], f.title[j]), fuzz.token_set_ratio(f.title[i], f.title[j]),
                     fuzz.token_set_ratio(f.author_key[i], f.author_key[j]),
                     fuzz.token_set_ratio(f.author_bag[i], f.author_bag[j]))
    return effective_scores(f, i, j, raw)


def effective_scores(f: Features, i: int, j: int, s: PairScores) -> PairScores:
    """Title scores of a title cut with an ellipsis are taken against the same length of the other."""
    ti, tj = f.title[i], f.title[j]
    if not ((f.truncated[i] or f.truncated[j]) and ti and tj):
        return s
    a, b = (ti, tj) if (f.truncated[i] and (not f.truncated[j] or len(ti) <= len(tj))) else (tj, ti)
    b = b[:len(a)]
    return PairScores(fuzz.ratio(a, b), fuzz.token_set_ratio(a, b), s.authors, s.author_bag)


def _is_part_of(f: Features, book: int, part: int) -> bool:
    """The book's title is the part's container (book title / proceedings name).

    Two copies of one book record that both repeat the title as container are not book and part.
    """
    return (bool(f.title[book]) and f.title[book] == f.container_title[part]
            and (f.title[part] != f.title[book] or f.container_title[book] != f.container_title[part]))


def field_states(f: Features, i: int, j: int) -> dict[str, str]:
    """Categorical agreement per field for the audit: equal / differs / missing."""
    def cmp(a, b):
        if not a or not b:
            return "missing"
        return "equal" if a == b else "differs"
    yi, yj = f.year[i], f.year[j]
    year = "missing" if yi is None or yj is None else ("equal" if yi == yj else
                                                     "one_apart" if abs(yi - yj) == 1 else "differs")
    cc = containers_compatible(f.container[i], f.container[j])
    # Only bare-number volumes are compared: shifted columns and supplement notes garble the rest.
    vi, vj = f.volume_clean[i], f.volume_clean[j]
    volume = cmp(vi, vj)
    if volume == "differs" and (vi == f.supplement[j] or vj == f.supplement[i]):
        volume = "missing"  # "16 (Suppl 1)" cut to "1": the supplement number, not the volume
    # Pages compare by their digits ("c37" = "37"); a differing first page with an equal last page
    # is a typo ("2297-2108" vs "2097-2108"), not a conflict.
    pi, pj = f.page_first_d[i], f.page_first_d[j]
    li, lj = f.page_last_d[i], f.page_last_d[j]
    pages = cmp(pi, pj)
    if _shifted(f, i, j) or _shifted(f, j, i):
        volume, pages = "equal", "missing"
    if pages == "differs" and li and li == lj:
        pages = "typo"
    if (pages == "differs" and li and lj and volume == "equal"
            and int(li) - int(pi) == int(lj) - int(pj) > 0 and abs(int(pi) - int(pj)) <= 9):
        # The same page count shifted by a few pages in one volume ("678-684" vs "676-682"): an
        # offset typo. An abstract and its article differ in length, not only in start.
        pages = "typo"
    if pages == "differs" and (f.page_starts[i] or f.page_starts[j]):
        # Several ranges (an article printed in two languages): any shared start page agrees.
        si = f.page_starts[i] or {pi}
        sj = f.page_starts[j] or {pj}
        if si & sj:
            pages = "equal"
    return {
        "doi": cmp(f.doi[i], f.doi[j]),
        "year": year,
        "container": "missing" if cc is None else ("compatible" if cc else "differs"),
        "volume": volume,
        "pages": pages,
        "last_page": cmp(li, lj),
        "issue": cmp(f.issue[i], f.issue[j]),
    }


def _shifted(f: Features, i: int, j: int) -> bool:
    """Record i's columns are shifted one to the right against j's: no volume, j's volume in the
    issue column and j's issue in the pages column ("26 9 1746" written as "- 26 9")."""
    vj = f.volume_clean[j]
    return (not f.volume_clean[i] and bool(vj) and f.issue[i] == vj and not f.page_last_d[i]
            and bool(f.page_first_d[i]) and f.page_first_d[i] == f.issue[j])


def _page_prefix(f: Features, i: int) -> str:
    return f.page_first[i].rstrip("0123456789")


def _issues_differ(f: Features, i: int, j: int) -> bool:
    """Both issues are plausible issue numbers (1-2 digits) and differ; longer numbers in some
    exports are record numbers, not issues."""
    a, b = f.issue[i], f.issue[j]
    if a != b and (_shifted(f, i, j) or _shifted(f, j, i)):
        return False
    return a != b and a.isdigit() and b.isdigit() and len(a) <= 2 and len(b) <= 2


def title_substitution(a: str, b: str) -> bool:
    """Both titles have a word the other lacks, with no near-spelling: "Pediatric" vs "Adult"."""
    wa, wb = set(a.split()), set(b.split())
    only_a = [w for w in wa - wb if len(w) > 2 or w.isdigit()]
    only_b = [w for w in wb - wa if len(w) > 2 or w.isdigit()]
    if not only_a or not only_b:
        return False
    joined_b = "".join(sorted(wb))
    for w in only_a:
        if max(fuzz.ratio(w, x) for x in only_b) < 75 and w not in joined_b:
            return True
    return False


def _authors_state(f: Features, i: int, j: int, author_score: float, bag_score: float = 0.0) -> str:
    """exact / folded / weak / conflict / missing, comparing first authors and whole lists."""
    ai, aj = f.authors[i], f.authors[j]
    if not ai or not aj:
        return "missing"
    a, b = ai[0], aj[0]
    if name_fold_conflict(a, b, f.has_letters[i], f.has_letters[j]) and (
            (a.initials and b.initials and a.initials[0] != b.initials[0]) or bag_score < 90):
        # Vabø, Mia vs Vabo, Signy: two people. (Schörpf, Philip vs Schorpf, Philip with the same
        # co-authors is one person written two ways, and stays "folded" below.)
        return "name_fold_conflict"
    if a.family != b.family:
        # Run-together or reordered lists: fall back on the whole list of family names.
        if author_score >= 90:
            return "folded"
        if bag_score >= 90 and a.family in f.author_bag[j].split():
            return "folded"  # family and given swapped in one export ("Ching-yi, Wu")
        if a.initials and b.initials and a.family[0] == b.initials[0] and b.family[0] == a.initials[0]:
            return "weak"  # "Wang, X." vs "Xiaoguang, Wang": swapped, cannot tell more
        return "conflict" if author_score < 60 and bag_score < 80 else "weak"
    if a.initials and b.initials and a.initials[0] != b.initials[0]:
        return "conflict"
    if author_score < 60:
        return "weak"
    return "exact" if a.family_exact == b.family_exact else "folded"


def decide(f: Features, i: int, j: int, s: PairScores) -> tuple[str, str, dict[str, str]]:
    """(decision, rule, field states) for records i and j."""
    ti, tj = f.title[i], f.title[j]
    s = effective_scores(f, i, j, s)
    st = field_states(f, i, j)
    st["authors"] = _authors_state(f, i, j, s.authors, s.author_bag)
    # Hard negatives first: each is evidence of two different works.
    if ti and tj and f.notice[i] != f.notice[j]:
        return DIFFERENT, "notice_vs_article", st
    ci, cj = f.type_class[i], f.type_class[j]
    kinds = {ci, cj}
    if (kinds == {"book", "chapter"} or kinds == {"proceedings", "conference"}
            or _is_part_of(f, i, j) or _is_part_of(f, j, i)):
        return DIFFERENT, "book_vs_part", st
    if kinds == {"conference", "journal"}:
        return DIFFERENT, "conference_vs_journal", st
    ni, nj = f.title_numbers[i], f.title_numbers[j]
    if ni and nj and ni != nj and not (f.truncated[i] or f.truncated[j]):
        return DIFFERENT, "series_number", st
    if st["doi"] == "equal" and (not ti or not tj or s.title_set >= 80) and not (
            st["pages"] == "differs" and (f.supplement[i] or f.supplement[j])
            and _page_prefix(f, i) == _page_prefix(f, j)):
        # A supplement's DOI is often the whole supplement's: there, different pages mean
        # different abstracts, whatever the DOI says ("i428" vs "1428" is one page read two ways).
        return SAME, "doi_match", st
    if st["doi"] == "differs" and not (
            s.title >= 98 and st["authors"] == "exact" and st["year"] == "equal"
            and st["pages"] == "equal" and st["last_page"] != "differs" and st["container"] == "compatible"
            and st["volume"] != "differs" and not _issues_differ(f, i, j)):
        # A wrong DOI in one export is believed only against full agreement of everything else.
        return DIFFERENT, "doi_conflict", st
    if st["year"] == "differs":
        return DIFFERENT, "year_conflict", st
    if st["pages"] == "differs":
        return DIFFERENT, "pages_conflict", st
    if st["volume"] == "differs":
        return DIFFERENT, "volume_conflict", st
    if st["pages"] != "equal" or st["last_page"] != "equal":
        issue_clash = _issues_differ(f, i, j)
    else:
        issue_clash = False
    if issue_clash:
        return DIFFERENT, "issue_conflict", st
    if st["authors"] == "name_fold_conflict":
        return DIFFERENT, "name_fold_conflict", st
    if (ti and tj and s.title >= 97 and st["year"] == "equal" and st["volume"] == "equal"
            and st["pages"] == "equal" and st["last_page"] != "differs" and st["container"] != "differs"):
        return SAME, "title_biblio_match", st
    if st["authors"] == "conflict":
        return DIFFERENT, "author_conflict", st
    biblio = (st["pages"] == "equal") + (st["volume"] == "equal") + (st["container"] == "compatible")
    if not ti or not tj:
        if (st["authors"] == "exact" and st["year"] == "equal" and st["volume"] == "equal"
                and st["pages"] == "equal" and st["last_page"] == "equal"
                and st["container"] != "differs"):
            return SAME, "no_title_biblio_match", st
        return DIFFERENT, NOT_PROVEN, st
    if (st["year"] == "equal" and st["volume"] == "equal" and st["pages"] == "equal"
            and st["last_page"] == "equal" and f.page_last_d[i] != f.page_first_d[i]
            and st["container"] != "differs"
            and not _issues_differ(f, i, j)
            and (st["authors"] == "exact" or (st["authors"] == "missing" and s.title_set >= 85))):
        # The issue must not differ: journals paginated per issue print the same author on the
        # same pages of issues 1 and 2 (two papers).
        return SAME, "biblio_match", st
    if s.title < 80 and s.title_set < 90:
        return DIFFERENT, "title_differs", st
    authors_ok = st["authors"] in ("exact", "folded", "missing")
    strong_title = s.title >= 99 or (
        (s.title >= 95 or (s.title_set >= 97 and s.title >= 85)) and not title_substitution(ti, tj))
    if strong_title:
        if not authors_ok and not (st["authors"] == "weak" and (
                biblio >= 2 or (s.title >= 99 and st["year"] == "equal" and st["container"] == "compatible"))):
            return DIFFERENT, NOT_PROVEN, st
        if st["year"] == "one_apart" and biblio == 0 and not (
                st["container"] == "missing" and s.title >= 98 and st["authors"] == "exact"):
            # A year apart needs a second agreeing field; a thesis and its listing in
            # Dissertation Abstracts (one without a journal) may stand on title and authors.
            return DIFFERENT, NOT_PROVEN, st
        if st["container"] == "differs" and biblio == 0 and not (
                s.title >= 98 and (ci == cj != "journal" or (
                    "journal" not in kinds and st["authors"] == "exact" and st["year"] == "equal"))):
            # Two journals and nothing else to compare: an abstract and the article, or two
            # printings. Conference names vary too much to demand it (AMCIS vs Americas Conference),
            # and reports name a series in one export and the publisher in another.
            return DIFFERENT, NOT_PROVEN, st
        return SAME, "title_match", st
    # Close titles need corroboration that a folded name alone cannot give: same pages, and the
    # same volume or journal.
    if ((s.title >= 85 or s.title_set >= 95)
            and (st["authors"] == "exact" or (st["authors"] == "folded" and s.authors >= 95
                                              and not (f.has_letters[i] and f.has_letters[j])))
            and st["year"] == "equal" and st["pages"] == "equal"
            and (st["volume"] == "equal" or st["container"] == "compatible")):
        return SAME, "title_close_biblio_match", st
    return DIFFERENT, NOT_PROVEN, st


def is_conflict(rule: str) -> bool:
    return rule in CONFLICT_RULES
