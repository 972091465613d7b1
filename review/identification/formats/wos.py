"""Web of Science tagged text ("Plain text file" export: ``FN``/``VR`` header, ``PT`` ... ``ER``).

wosfile reads these files but only from paths and without line numbers or raw text, so records
are cut here (two-letter tag, a space, the value; continuation lines start with three spaces);
the tag meanings are data, following Clarivate's field tag list.
"""
from __future__ import annotations

from ...errors import ParseError
from ..records import Problem, RawRecord, make_record
from .ris import tokenize

# Canonical field -> WoS tags, best first (Clarivate's field tag list).
TAGS = {"title": ["TI"], "authors": ["AF", "AU"], "year": ["PY", "EA"], "container": ["SO", "SE"],
        "volume": ["VL"], "issue": ["IS"], "start_page": ["BP"], "end_page": ["EP"], "article_no": ["AR"],
        "doi": ["DI"], "issn": ["SN", "EI"], "isbn": ["BN"], "abstract": ["AB"], "keywords": ["DE"],
        "language": ["LA"], "pub_type": ["DT"], "wos": ["UT"], "pmid": ["PM"]}
# Tags whose continuation lines are separate values (one author per line).
LIST_TAGS = {"AU", "AF", "DE", "ID", "BN", "CR", "C1"}
_TYPES = {"J": "JOUR", "B": "BOOK", "S": "SER", "P": "PAT"}


def _parse_tag(line: str):
    if line.startswith("   "):
        return None, line.strip()
    if len(line) >= 2 and line[0].isalpha() and line[0].isupper() and line[1].isalnum() \
            and line[1] == line[1].upper() and (len(line) == 2 or line[2] == " "):
        return line[:2], line[3:].strip()
    return None, line.strip()


def read(text: str, path, *, lenient: bool = False):
    chunks, problems = tokenize(text, path, lenient=lenient, start_tag="PT", end_tag="ER",
                                parse_tag=_parse_tag, fmt="Web of Science")
    records = []
    for position, line, raw, _pairs in chunks:
        # Continuation lines of list tags are separate values (one author per line).
        d: dict[str, list[str]] = {}
        last = None
        for ln in raw.split("\n"):
            tag, value = _parse_tag(ln)
            if tag is None:
                if last is None or not value:
                    continue
                if last in LIST_TAGS:
                    d[last].append(value)
                else:
                    d[last][-1] = f"{d[last][-1]} {value}"
            elif tag != "ER":
                d.setdefault(tag, []).append(value)
                last = tag
        def one(field):
            return next((d[t][0] for t in TAGS[field] if d.get(t)), None)

        def every(field):
            return next((d[t] for t in TAGS[field] if d.get(t)), [])

        sp, ep = one("start_page"), one("end_page")
        pages = f"{sp}-{ep}" if sp and ep and sp != ep else (sp or ep or one("article_no"))
        keywords = [k for v in every("keywords") for k in v.split("; ")]
        pt = d.get("PT", [""])[0]
        records.append(RawRecord(position, line, raw, make_record(
            title=one("title"), authors=every("authors"), year=one("year"), container=one("container"),
            volume=one("volume"), issue=one("issue"), pages=pages, doi=one("doi"), issn=one("issn"),
            isbn=one("isbn"), abstract=one("abstract"), keywords=keywords, language=one("language"),
            url=None, pub_type=one("pub_type") or _TYPES.get(pt),
            source_ids={"wos": one("wos"), "pmid": one("pmid")},
        )))
    return records, problems


def write(rows) -> str:
    import json

    out = ["FN Clarivate Analytics Web of Science", "VR 1.0"]
    for r in rows:
        ids = json.loads(r["source_ids"]) if r.get("source_ids") else {}
        rec = ["PT J"]

        def put(tag, values):
            values = [v for v in values if v not in (None, "")]
            if values:
                rec.append(f"{tag} {values[0]}")
                rec.extend(f"   {v}" for v in values[1:])

        authors = (r.get("authors") or "").split("; ") if r.get("authors") else []
        put("AF", authors)
        put("TI", [r.get("title")])
        put("SO", [r.get("container")])
        put("LA", [r.get("language")])
        put("DT", [r.get("pub_type")])
        put("DE", ["; ".join((r.get("keywords") or "").split("; "))] if r.get("keywords") else [])
        put("AB", [r.get("abstract")])
        put("SN", [r.get("issn")])
        put("BN", [r.get("isbn")])
        put("PY", [r.get("year")])
        put("VL", [r.get("volume")])
        put("IS", [r.get("issue")])
        sp, _, ep = (r.get("pages") or "").partition("-")
        put("BP", [sp])
        put("EP", [ep])
        put("DI", [r.get("doi")])
        put("PM", [ids.get("pmid")])
        put("UT", [ids.get("wos")])
        rec.append("ER")
        out.append("\n".join(rec) + "\n")
    return "\n".join(out) + "\nEF\n"
