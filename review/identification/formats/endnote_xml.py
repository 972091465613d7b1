"""EndNote XML (File > Export > XML). Untrusted input: parsed with defusedxml, one ``<record>``
at a time, so no entity is ever resolved and lenient mode can skip a damaged record."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from ...errors import ParseError
from ..records import Problem, RawRecord, make_record

_RECORD = re.compile(r"<record>.*?</record>|<record>.*\Z", re.S)
# EndNote's ref-type names -> RIS type codes (the types the pipeline shows).
_TYPES = {"Journal Article": "JOUR", "Book": "BOOK", "Book Section": "CHAP", "Report": "RPRT",
          "Thesis": "THES", "Conference Proceedings": "CONF", "Web Page": "ELEC",
          "Government Document": "GOVDOC", "Generic": "GEN"}
_TYPE_NAMES = {v: k for k, v in _TYPES.items()}


def _text(el) -> str | None:
    if el is None:
        return None
    text = "".join(el.itertext()).strip()
    return text or None


def _texts(root, xpath) -> list[str]:
    return [t for t in (_text(e) for e in root.findall(xpath)) if t]


def to_fields(rec) -> dict:
    sn = _text(rec.find("isbn"))
    issn = isbn = None
    if sn:
        digits = re.sub(r"[^0-9Xx]", "", sn.split()[0])
        if len(digits) == 8:
            issn = sn.split()[0]
        else:
            isbn = sn.split()[0]
    ref_type = rec.find("ref-type")
    type_name = ref_type.get("name") if ref_type is not None else None
    ids = {"endnote": _text(rec.find("rec-number"))}
    an = _text(rec.find("accession-num"))
    if an:
        ids["accession"] = an
    return make_record(
        title=_text(rec.find("titles/title")),
        authors=_texts(rec, "contributors/authors/author"),
        year=_text(rec.find("dates/year")),
        container=_text(rec.find("titles/secondary-title")) or _text(rec.find("periodical/full-title")),
        volume=_text(rec.find("volume")), issue=_text(rec.find("number")), pages=_text(rec.find("pages")),
        doi=_text(rec.find("electronic-resource-num")), issn=issn, isbn=isbn,
        abstract=_text(rec.find("abstract")),
        keywords=_texts(rec, "keywords/keyword"),
        language=_text(rec.find("language")),
        url=(_texts(rec, "urls/related-urls/url") or [None])[0],
        pub_type=_TYPES.get(type_name, type_name),
        source_ids=ids,
    )


def read(text: str, path, *, lenient: bool = False):
    first = text.find("<record>")
    prolog = text if first < 0 else text[:first]
    if re.search(r"<!ENTITY|<!DOCTYPE", prolog, re.I):
        raise ParseError(path, "the XML declares a DOCTYPE or entities, which an EndNote export never does; "
                               "it is refused so that no entity is resolved — export the library again",
                         line=1)
    records, problems = [], []
    starts = [m for m in _RECORD.finditer(text)]
    if not starts:
        if text.strip():
            raise ParseError(path, "no <record> elements found; is this an EndNote XML export? check the "
                                   "source's format in protocol.yaml", line=1)
        return [], []
    for position, m in enumerate(starts, start=1):
        line = text.count("\n", 0, m.start()) + 1
        raw = m.group(0)
        try:
            rec = DET.fromstring(raw)
        except (ET.ParseError, DefusedXmlException, ValueError) as exc:
            reason = f"EndNote XML record cannot be parsed ({type(exc).__name__}: {exc})"
            if not lenient:
                raise ParseError(path, reason + "; export the library again", line=line, record=position) from None
            problems.append(Problem(line, position, reason))
            continue
        records.append(RawRecord(position, line, raw, to_fields(rec)))
    return records, problems


def write(rows) -> str:
    import json

    root = ET.Element("xml")
    recs = ET.SubElement(root, "records")

    def styled(parent, tag, value):
        el = ET.SubElement(parent, tag)
        style = ET.SubElement(el, "style", face="normal", font="default", size="100%")
        style.text = str(value)
        return el

    for i, r in enumerate(rows, start=1):
        ids = json.loads(r["source_ids"]) if r.get("source_ids") else {}
        rec = ET.SubElement(recs, "record")
        ET.SubElement(rec, "rec-number").text = ids.get("endnote", str(i))
        name = _TYPE_NAMES.get(r.get("pub_type") or "", r.get("pub_type") or "Journal Article")
        ET.SubElement(rec, "ref-type", name=name).text = "17"
        if r.get("authors"):
            authors = ET.SubElement(ET.SubElement(rec, "contributors"), "authors")
            for a in r["authors"].split("; "):
                styled(authors, "author", a)
        titles = ET.SubElement(rec, "titles")
        if r.get("title"):
            styled(titles, "title", r["title"])
        if r.get("container"):
            styled(titles, "secondary-title", r["container"])
        for key, tag in (("pages", "pages"), ("volume", "volume"), ("issue", "number")):
            if r.get(key):
                styled(rec, tag, r[key])
        if r.get("keywords"):
            kws = ET.SubElement(rec, "keywords")
            for k in r["keywords"].split("; "):
                styled(kws, "keyword", k)
        if r.get("year"):
            styled(ET.SubElement(rec, "dates"), "year", r["year"])
        if r.get("issn") or r.get("isbn"):
            styled(rec, "isbn", r.get("issn") or r.get("isbn"))
        if ids.get("accession"):
            styled(rec, "accession-num", ids["accession"])
        if r.get("abstract"):
            styled(rec, "abstract", r["abstract"])
        if r.get("doi"):
            styled(rec, "electronic-resource-num", r["doi"])
        if r.get("url"):
            styled(ET.SubElement(ET.SubElement(rec, "urls"), "related-urls"), "url", r["url"])
        if r.get("language"):
            styled(rec, "language", r["language"])
    return '<?xml version="1.0" encoding="UTF-8" ?>' + ET.tostring(root, encoding="unicode")
