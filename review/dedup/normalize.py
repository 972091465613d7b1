"""Normalising bibliographic fields for comparison.

Normalisers are memoised: duplicate records and recurring author names repeat the same strings.

Two forms of every text are kept: an *exact* form (Unicode NFC, case-folded, diacritics kept) and a
*folded* form (HTML entities decoded, diacritics stripped, ø→o, æ→ae, å→a, punctuation removed).
Folded forms are used to find candidate pairs and to score them; they are never proof on their own
that two names are the same (Vabø and Vabo are different people), see ``name_fold_conflict``.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

# Letters NFKD does not decompose. Norwegian/Danish letters fold the way ASCII exports and OCR
# write them (Vabø -> Vabo, Sæther -> Saether, Slåtsveen -> Slatsveen).
_SPECIAL_FOLD = str.maketrans({
    "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "å": "a", "Å": "a", "ß": "ss", "ł": "l", "Ł": "l",
    "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "œ": "oe", "Œ": "oe",
    "ı": "i", "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‐": "-", "‑": "-",
})
# OCR and old ASCII conventions for the same letters (e.g. "o/" or "aa" for å) fold further in
# the blocking key only: "Slaatsveen" and "Slåtsveen" share a key but not a folded name.
_OCR_VARIANTS = [(re.compile(r"aa"), "a"), (re.compile(r"o/"), "o"), (re.compile(r"oe"), "o"),
                 (re.compile(r"ae"), "a")]

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
_TAGS = re.compile(r"<[^>]{1,40}>")
# Language or publication notes that some databases append to titles: "[Chinese]", "(author's transl)".
_TITLE_NOTES = re.compile(
    r"[\[(](?:in )?(?:chinese|german|french|spanish|japanese|russian|norwegian|swedish|danish|"
    r"italian|polish|portuguese|dutch|hungarian|czech|korean|turkish|finnish|author'?s? transl\.?|"
    r"article in [a-z]+|abstract|letter|editorial)[^\])]*[\])]\s*\.?\s*$", re.I)

_STOP = {"the", "of", "and", "in", "on", "for", "a", "an", "to", "with", "at", "by", "from", "de",
         "la", "le", "der", "die", "und", "i", "og", "journal", "j"}


@lru_cache(maxsize=1 << 18)
def fold(text: str | None) -> str:
    """Lower-case ASCII-ish form: entities decoded, diacritics stripped, punctuation to spaces."""
    if not text:
        return ""
    t = str(text)
    if "&" in t:
        t = html.unescape(t)
    if "<" in t:
        t = _TAGS.sub(" ", t)
    if not t.isascii():
        t = t.translate(_SPECIAL_FOLD)
        t = unicodedata.normalize("NFKD", t)
        t = "".join(ch for ch in t if not unicodedata.combining(ch))
    t = t.casefold().replace("&", " and ")
    t = _NON_WORD.sub(" ", t).replace("_", " ")
    return _SPACES.sub(" ", t).strip()


@lru_cache(maxsize=1 << 18)
def exact(text: str | None) -> str:
    """Case-folded NFC text with diacritics kept, punctuation to spaces."""
    if not text:
        return ""
    t = unicodedata.normalize("NFC", html.unescape(str(text))).casefold()
    t = _NON_WORD.sub(" ", t).replace("_", " ")
    return _SPACES.sub(" ", t).strip()


def ocr_key(folded: str) -> str:
    """A looser key for blocking only: also merges OCR/ASCII spellings (aa/å, oe/ø, ae/æ)."""
    for pat, rep in _OCR_VARIANTS:
        folded = pat.sub(rep, folded)
    return folded


def has_non_ascii_letters(text: str | None) -> bool:
    if not text:
        return False
    t = str(text)
    return not t.isascii() and any(ord(ch) > 127 and ch.isalpha() for ch in t)


# Notes that databases add to an article's own title: "[Erratum appears in ...]" (Medline),
# "(multiple letters)", footnote markers "[1]". The record stays the article; the note is dropped.
_BRACKET_NOTES = re.compile(
    r"\s*\.?\s*\[(?:erratum|errata|comment|comments|retraction|retracted|see |summary for patients|"
    r"update|note|republished|corrected|reprint|published erratum)[^\]]*(?:\]|$)|\(multiple letters\)|"
    r"\s*\[\d+\]\s*$", re.I)
# Citation notes that mark a *correction notice*: Web of Science "(vol 360, pg 542, 2009)" and
# Embase "(New England Journal of Medicine (2009) 360 (542-544))".
_CORRECTION_CITATION = re.compile(
    r"\s*\(vol\.? ?\w+,? (?:pg|pp?)\.? ?[^()]*\)\s*\.?\s*$|"
    r"\s*\([^()]*\(\d{4}\)\s*\w+\s*(?:\(\w+\))?\s*\([^()]*\d[^()]*\)\)\s*\.?\s*$", re.I)


@lru_cache(maxsize=1 << 18)
def clean_title(title: str | None) -> str:
    """The title without language notes, database notes, correction citations or brackets."""
    if not title:
        return ""
    t = html.unescape(str(title)).strip()
    t = _BRACKET_NOTES.sub(" ", t).strip()
    t = _CORRECTION_CITATION.sub("", t).strip()
    for _ in range(2):
        t2 = _TITLE_NOTES.sub("", t).strip()
        if t2 == t:
            break
        t = t2
    return t


def normalize_title(title: str | None) -> str:
    """Folded ``clean_title``."""
    return fold(clean_title(title))


_ROMAN_PART = re.compile(r"\b(?:part|del|vol|volume|band|bd|no|nr|phase)\s+([ivx]+|\d+)\b", re.I)


def title_numbers(title: str | None) -> frozenset[str]:
    """Numbers in a title (``NOU 2004:18`` -> {"200418"}; ``Part II`` -> {"part ii"})."""
    return numbers_in(clean_title(title)) if title else frozenset()


def numbers_in(t: str) -> frozenset[str]:
    """``title_numbers`` of an already cleaned title.

    The digits are compared in order with separators ignored, so "1991-2001" equals "19912001"
    (an export that dropped punctuation) and "MEK1/2" equals "MEK12", while "2004:18" and "2005:3"
    differ. Roman part numbers ("del II", "Phase III") are kept as words.
    """
    digits = "".join(ch for ch in t if ch.isdigit())
    nums = {digits} if digits else set()
    nums |= {"part " + m.group(1).lower() for m in _ROMAN_PART.finditer(t) if not m.group(1).isdigit()}
    return frozenset(nums)


_NOTICE = re.compile(
    r"^(?:erratum|errata|corrigendum|retraction|notice of retraction|expression of concern|"
    r"withdrawn\s*:|re\s*:|in reply|reply\b|authors?'? reply|author'?s'? response|comment\s*:|"
    r"correction\s*(?::|$|to\b|for\b))|"
    r"\b(?:erratum|corrigendum|correction|addendum) (?:to|for|on)\b|\bcomments? on\b|\bcommentary on\b|"
    r"\breply to\b|\bresponse to (?:the )?(?:letter|comment|commentary|editorial|critique|"
    r"correspondence|dr\.? |drs\.? )|\bretraction of\b|\bretraction note\b|\[retracted\]|"
    r"[-–:]\s*(?:reply|authors?'? reply|response|in reply)\s*\.?$", re.I)


def is_truncated(title: str | None) -> bool:
    """Google Scholar cuts long titles with an ellipsis: compare only the part it kept."""
    t = (title or "").rstrip()
    return t.endswith("…") or t.endswith("...")


def is_notice(title: str | None) -> bool:
    """Erratum, correction, retraction, comment or reply: a separate work about another work."""
    if not title:
        return False
    raw = html.unescape(str(title)).strip()
    if _CORRECTION_CITATION.search(raw):
        return True
    return bool(_NOTICE.search(_BRACKET_NOTES.sub(" ", raw).strip()))


# --- authors -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Author:
    family: str        # folded
    family_exact: str  # diacritics kept
    initials: str      # folded initials, e.g. "mj"


_RUN_TOGETHER = re.compile(r"(?<=\.)\s*(?=[^\W\d_][^\W\d_]+)(?![A-Z]\.)")
_INITIALS_FIRST = re.compile(r"^\s*[A-Z]{1,4}\s+[^\W\d_]{2,}")
_SPLIT_AND = re.compile(r"\s+and\s+|\s*;\s*", re.I)


def _initials(given: str) -> str:
    return "".join(p[0] for p in fold(given).split())


@lru_cache(maxsize=1 << 17)
def parse_authors(authors: str | None) -> tuple[Author, ...]:
    """``"Family, Given; Family, Given"`` (or ``and``-joined, or ``Given Family``) -> authors."""
    if not authors:
        return ()
    out: list[Author] = []
    text = html.unescape(str(authors)).rstrip("…. ")
    if ";" not in text and "," in text:
        parts = text.split(",")
        if len(parts) > 1 and all(_INITIALS_FIRST.match(p) for p in parts):
            text = ";".join(parts)  # Google Scholar: "BA Brenne, M Hedlund"
    if "," not in text and ";" not in text:
        # Run-together Medline forms from some exports: "Adeli K.Lewis G. F." -> two authors.
        text = _RUN_TOGETHER.sub("; ", text)
    for raw in _SPLIT_AND.split(text):
        raw = raw.strip().strip(",")
        if not raw or raw.lower() in {"et al", "et al.", "others"}:
            continue
        if "," in raw:
            family, given = raw.split(",", 1)
        else:
            toks = raw.split()
            # "Adeli K." (Medline) keeps the family first; "Mia Vabø" puts it last.
            if len(toks) > 1 and all(len(t.strip(".")) <= 2 for t in toks[1:]):
                family, given = toks[0], " ".join(toks[1:])
            elif len(toks) > 1:
                family, given = toks[-1], " ".join(toks[:-1])
            else:
                family, given = raw, ""
        fam = fold(family)
        if not fam:
            continue
        blocks = given.split()
        if ("," not in raw and len(blocks) > 1 and len(blocks[0]) >= len(blocks[-1])
                and all(b.isalpha() and b.isupper() and len(b) <= 4 for b in blocks)):
            # Google Scholar glues co-authors' initials in front: "ENMG T Eide" is T. Eide.
            given = blocks[-1]
        out.append(Author(fam, exact(family), _initials(given)))
    return tuple(out)


def author_key(authors: tuple[Author, ...]) -> str:
    """Family names in order, folded: what pair scoring compares."""
    return " ".join(a.family for a in authors)


def name_fold_conflict(a: Author, b: Author, a_has_letters: bool, b_has_letters: bool) -> bool:
    """Same folded family name, different real letters, and both records can write those letters.

    A record whose author field has no non-ASCII letters may be an ASCII/OCR copy, so "Vabo" there
    is no evidence against "Vabø". When both author fields write such letters, Vabø and Vabo are
    two names.
    """
    return (a.family == b.family and a.family_exact != b.family_exact
            and a_has_letters and b_has_letters)


# --- containers --------------------------------------------------------------------------------

_CONTAINER_NOISE = {"vol", "vols", "volume", "proceedings", "proc", "pt", "part"}


# A letter an export could not encode and wrote as "?" ("Annales fran?aises d'anesth?sie").
WILDCARD = "\u0294"
_LOST_LETTER = re.compile(r"(?<=[^\W\d_])\?(?=[^\W\d_])")


def container_tokens(container: str | None) -> list[str]:
    """Content words of a journal/book/proceedings name; years and volume notes dropped."""
    if container and "?" in container:
        container = _LOST_LETTER.sub(WILDCARD, container)
    return [t for t in fold(container).split()
            if t not in _STOP and t not in _CONTAINER_NOISE and not t.isdigit()]


def _same_char(a: str, b: str) -> bool:
    return a == b or a == WILDCARD or b == WILDCARD


def _abbreviates(abbr: str, word: str) -> bool:
    """``abbr`` is a prefix of ``word``, or its letters appear in order in it ("dtsch" ~ "deutsche").

    A lost letter (``WILDCARD``) in either matches any one letter.
    """
    if word.startswith(abbr):
        return True
    if WILDCARD in abbr or WILDCARD in word:
        if len(abbr) <= len(word) and all(_same_char(a, b) for a, b in zip(abbr, word)):
            return True
    if not abbr or not _same_char(abbr[0], word[0]) or len(abbr) < 3:
        return False
    k = 0
    for ch in abbr:
        while k < len(word) and not _same_char(ch, word[k]):
            k += 1
        if k == len(word):
            return False
        k += 1
    return True


def containers_compatible(a: list[str], b: list[str]) -> bool | None:
    """Journal names equal up to abbreviation ("Curr Opin Lipidol" ~ "Current Opinion in Lipidology").

    Returns None when either is missing. Each token of the shorter form must be a prefix of a token
    of the longer form, in order (ISO 4 abbreviations keep word order and word starts).
    """
    if not a or not b:
        return None
    if a == b:
        return True
    short, long_ = (a, b) if len(" ".join(a)) <= len(" ".join(b)) else (b, a)
    i, unmatched, used = 0, 0, 0
    for tok in short:
        k = i
        while k < len(long_) and not _abbreviates(tok, long_[k]):
            k += 1
        if k == len(long_):
            unmatched += 1  # e.g. a leading acronym: "JPEN J Parenter Enteral Nutr"
            continue
        used += 1
        i = k + 1
    if unmatched == 0 or (unmatched == 1 and used == len(long_) and used >= 2):
        return True
    # An acronym standing for the other name: "ICIS: ..." ~ "International Conference on
    # Information Systems" (initials of the content words).
    for x, y in ((a, b), (b, a)):
        initials = "".join(t[0] for t in y if not t.isdigit())
        if len(initials) >= 3 and initials in x:
            return True
    # Run-together abbreviations: "jpen" ~ "journal of parenteral and enteral nutrition"
    joined = "".join(short)
    if len(short) == 1 and len(joined) >= 3:
        initials = "".join(t[0] for t in fold(" ".join(long_)).split())
        if joined in initials:
            return True
    return False


# --- numbers -----------------------------------------------------------------------------------

_PAGE_RANGE = re.compile(r"^\s*([a-z]*)(\d+)\s*(?:[-–—]+|\s+to\s+)\s*([a-z]*)(\d+)")
_FIRST_NUM = re.compile(r"([a-z]*)(\d+)", re.I)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
_SPREADSHEET_DATE = re.compile(rf"\d{{1,2}}\s*-\s*{_MONTH}|{_MONTH}\s*-\s*\d{{1,2}}")


def normalize_pages(pages: str | None) -> tuple[str, str]:
    """(first, last) page: ``73-6`` -> ("73", "76"), ``e1234`` -> ("e1234", "")."""
    if not pages:
        return "", ""
    p = str(pages).strip().lower().replace("--", "-")
    if re.fullmatch(r"(?:[ivxlc]+,\s*)?\d+\s*(?:p|pp|pages|s|sider)\.?", p):
        return "", ""  # a page count ("215 p"), not a page range
    if _SPREADSHEET_DATE.fullmatch(p):
        return "", ""  # "9-11" turned into "11-Sep" by a spreadsheet: the pages are lost
    m = _PAGE_RANGE.match(p)
    if m:
        pre, first, pre2, last = m.groups()
        if len(last) < len(first):
            last = first[: len(first) - len(last)] + last
        return pre + first.lstrip("0"), (pre2 or pre) + last.lstrip("0")
    m = _FIRST_NUM.search(p)
    if m:
        return m.group(1) + m.group(2).lstrip("0"), ""
    return "", ""


def normalize_number(value: str | None) -> str:
    """Volume or issue: leading digits or the folded text ("Suppl 2" -> "suppl 2")."""
    if value is None:
        return ""
    s = str(value).strip()
    if not s or s.lower() in {"nan", "unknown", "none", "na"}:
        return ""
    if s.endswith(")") and "(" not in s:
        return ""  # the tail of a cut "128 (Suppl 1)": the real volume is lost
    m = re.match(r"^0*(\d+)", s)
    return m.group(1) if m else fold(s)


def normalize_doi(doi: str | None) -> str:
    if not doi:
        return ""
    m = _DOI.search(unquote(html.unescape(str(doi))).lower())
    return m.group(0).rstrip(".,;") if m else ""


_DOI = re.compile(r"10\.\d{4,9}/\S+")


def normalize_year(year) -> int | None:
    if year is None:
        return None
    m = re.search(r"(1[5-9]\d\d|20\d\d)", str(year))
    return int(m.group(1)) if m else None


_TYPE_MAP = {
    "journal": ("article", "jour", "journal article", "journal", "ejour", "review", "research-article"),
    "conference": ("inproceedings", "conference", "conf", "cpaper", "conference paper",
                   "proceedings paper", "meeting abstract", "abst", "conference abstract"),
    "proceedings": ("proceedings",),
    "book": ("book", "ebook", "edbook", "monograph"),
    "chapter": ("incollection", "inbook", "chap", "chapter", "book chapter", "book section"),
    "thesis": ("phdthesis", "mastersthesis", "thes", "thesis", "dissertation"),
    "report": ("techreport", "rprt", "report", "gov", "govdoc"),
    "preprint": ("preprint", "unpb", "unpublished", "posted-content"),
}
_TYPE_LOOKUP = {v: k for k, vs in _TYPE_MAP.items() for v in vs}


def type_class(pub_type: str | None) -> str:
    if not pub_type:
        return ""
    return _TYPE_LOOKUP.get(str(pub_type).strip().lower(), "")
