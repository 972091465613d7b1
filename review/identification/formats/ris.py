"""RIS as EBSCO (CINAHL, ASC, SSA), Embase, SAGE, Oria/Primo, Idunn and Rayyan export it.

rispy cannot say on which line a record starts or give its raw text, which provenance and
lenient mode need, so records are cut here with the line grammar rispy uses (``XX  - value``);
what each tag means is data (``TAGS`` below, names after rispy's ``TAG_KEY_MAPPING``), and
writing goes through ``rispy.dumps``.
"""
from __future__ import annotations

import itertools
import re

from ...errors import ParseError
from ..records import Problem, RawRecord, make_record

# Canonical field -> RIS tags, best first. Vendors disagree: EBSCO writes T1/JO/Y1, Embase
# T1/JF/Y1, Primo T1/JF/PY, Idunn TI/JO/PY/DA; all are here.
TAGS = {
    "title": ["TI", "T1", "CT", "BT"],
    "authors": ["AU", "A1"],
    "year": ["PY", "Y1", "DA", "Y2"],
    "container": ["T2", "JF", "JO", "JA", "J2", "J1", "BT", "T3"],
    "volume": ["VL"],
    "issue": ["IS", "CP"],
    "start_page": ["SP"],
    "end_page": ["EP"],
    "doi": ["DO", "DI", "M3", "UR", "L3", "N1"],
    "sn": ["SN"],
    "abstract": ["AB", "N2"],
    "keywords": ["KW"],
    "language": ["LA"],
    "url": ["UR", "L2", "LK"],
    "pub_type": ["TY"],
    "accession": ["AN"],
    "database": ["DB", "DP"],
}
_ISSN = re.compile(r"\b\d{4}-?\d{3}[\dXx]\b")
_DOI = re.compile(r"\b10\.\d{4,9}/\S+")
# Where the accession number (AN) is an id worth keeping, by database name.
_ACCESSION_KEYS = [("pubmed", "pmid"), ("medline", "pmid"), ("embase", "embase"), ("cinahl", "cinahl"),
                   ("scopus", "eid"), ("web of science", "wos")]


def _first(first: dict, tags):
    for t in tags:
        v = first.get(t)
        if v:
            return v
    return None


def _all(pairs, tags) -> list[str]:
    for t in tags:
        values = [v for tag, v in pairs if tag == t and v]
        if values:
            return values
    return []


def _sn(values):
    issn = isbn = None
    for sn in values:
        if len(sn) == 9 and sn[4] == "-":      # the usual single ISSN
            issn = issn or sn
            continue
        for part in re.split(r"[;,]\s*|\s+", sn):
            digits = re.sub(r"[^0-9Xx]", "", part)
            if len(digits) == 8 and _ISSN.search(part):
                issn = issn or part
            elif len(digits) in (10, 13):
                isbn = isbn or part
    return issn, isbn


def _doi(first, pairs):
    for tag in TAGS["doi"]:
        if tag not in first:
            continue
        for t, v in pairs:
            if t != tag:
                continue
            if v.startswith("10.") and " " not in v:
                return v.rstrip(".;,")
            m = _DOI.search(v)
            if m:
                return m.group(0).rstrip(".;,")
    return None


def _url(first, pairs):
    for tag in TAGS["url"]:
        if tag not in first:
            continue
        for t, v in pairs:
            if t == tag:
                for part in v.split(";"):
                    part = part.strip()
                    if part.startswith("http"):
                        return part
    return None


def to_fields(pairs) -> dict:
    # First value of each tag, built in C: reversed, so the first occurrence wins.
    first = dict(reversed(pairs))
    issn, isbn = _sn(_all(pairs, TAGS["sn"])) if "SN" in first else (None, None)
    ids = None
    an = _first(first, TAGS["accession"])
    if an:
        db = (_first(first, TAGS["database"]) or "").lower()
        ids = {next((k for name, k in _ACCESSION_KEYS if name in db), "accession"): an}
    return make_record(
        title=_first(first, TAGS["title"]),
        authors=_all(pairs, TAGS["authors"]),
        year=_first(first, TAGS["year"]),
        container=_first(first, TAGS["container"]),
        volume=_first(first, TAGS["volume"]),
        issue=_first(first, TAGS["issue"]),
        pages=_pages(first.get("SP"), first.get("EP")),
        doi=_doi(first, pairs), issn=issn, isbn=isbn,
        abstract=_first(first, TAGS["abstract"]),
        keywords=_all(pairs, TAGS["keywords"]),
        language=_first(first, TAGS["language"]),
        url=_url(first, pairs),
        pub_type=_first(first, TAGS["pub_type"]),
        source_ids=ids,
    )


def _pages(sp, ep):
    if sp and not ep and "-" in sp:
        return sp
    if sp and ep and ep != sp:
        return f"{sp}-{ep}"
    return sp or ep


# Anchored on "\n" rather than "^" with re.M: several times faster on large files.
_MARK = re.compile(r"\n(TY|ER)  -")
_FIRST = re.compile(r"(TY|ER)  -")
_PAIR = re.compile(r"\n([A-Z][A-Z0-9])  -[ \t]?([^\n]*)")


_CONTINUATION = re.compile(r"\n(?![A-Z][A-Z0-9]  -)")


def _pairs(raw: str) -> list[tuple[str, str]]:
    """(tag, value) pairs; a line without a tag continues the value above it (wrapped abstracts)."""
    if _CONTINUATION.search(raw):
        raw = _CONTINUATION.sub(" ", raw)
    return _PAIR.findall("\n" + raw)


def read(text: str, path, *, lenient: bool = False):
    """Records run from a ``TY  -`` line to the next ``ER  -`` line; text between records
    (EBSCO's and Ovid's header lines, blank lines) is ignored."""
    records, problems = [], []
    position = 0
    open_rec = None           # (offset, line, position) of a TY not yet closed
    line_no, last = 1, 0
    marks = _MARK.finditer(text)
    if text.startswith(("TY  -", "ER  -")):
        marks = itertools.chain([_FIRST.match(text)], marks)
    for m in marks:
        kind = m.group(1)
        start = m.start() if m.group(0)[0] != "\n" else m.start() + 1
        if kind == "TY":
            line_no += text.count("\n", last, start)
            last = start
            if open_rec is not None:
                reason = (f"RIS record starting at line {open_rec[1]} has no ER line before the next TY at "
                          f"line {line_no}; the export is damaged, export it again")
                if not lenient:
                    raise ParseError(path, reason, line=open_rec[1], record=open_rec[2])
                problems.append(Problem(open_rec[1], open_rec[2], reason))
            position += 1
            open_rec = (start, line_no, position)
        elif open_rec is not None:
            raw = text[open_rec[0]:m.end()]   # ends at "ER  -": no trailing space to strip later
            records.append(RawRecord(open_rec[2], open_rec[1], raw, to_fields(_pairs(raw))))
            open_rec = None
    if open_rec is not None:
        reason = (f"RIS record starting at line {open_rec[1]} ends without an ER line; the file looks cut "
                  "off, export it again")
        if not lenient:
            raise ParseError(path, reason, line=open_rec[1], record=open_rec[2])
        problems.append(Problem(open_rec[1], open_rec[2], reason))
    if not records and not problems and text.strip():
        raise ParseError(path, "no RIS records found (no 'TY  - ' line); is this really a RIS file? check "
                               "the source's format in protocol.yaml", line=1)
    return records, problems


# Writing: canonical field -> rispy key.
def write(rows) -> str:
    import json

    import rispy

    entries = []
    for r in rows:
        e = {"type_of_reference": r.get("pub_type") or "JOUR"}
        if r.get("title"):
            e["title"] = r["title"]
        if r.get("authors"):
            e["authors"] = r["authors"].split("; ")
        if r.get("year"):
            e["year"] = str(r["year"])
        for key, name in (("container", "secondary_title"), ("volume", "volume"), ("issue", "number"),
                          ("doi", "doi"), ("abstract", "abstract"), ("language", "language")):
            if r.get(key):
                e[name] = str(r[key])
        if r.get("pages"):
            sp, _, ep = str(r["pages"]).partition("-")
            e["start_page"] = sp
            if ep:
                e["end_page"] = ep
        sn = [x for x in (r.get("issn"), r.get("isbn")) if x]
        if sn:
            e["issn"] = "; ".join(sn)
        if r.get("keywords"):
            e["keywords"] = r["keywords"].split("; ")
        if r.get("url"):
            e["urls"] = [r["url"]]
        ids = json.loads(r["source_ids"]) if r.get("source_ids") else {}
        for key, value in ids.items():
            e["accession_number"] = value
            e["name_of_database"] = {"pmid": "MEDLINE", "embase": "Embase", "cinahl": "CINAHL",
                                     "eid": "Scopus", "wos": "Web of Science"}.get(key, key)
            break
        entries.append(e)
    return rispy.dumps(entries)
