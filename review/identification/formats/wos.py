"""Web of Science tagged text ("Plain text file" export: ``FN``/``VR`` header, ``PT`` ... ``ER``).

wosfile reads whole files and gives neither line numbers nor raw text, and stops at the first
damaged record, so records are cut here (two-letter tag, a space, the value; continuation lines
start with three spaces). Which tags hold one value per line or a "; " list comes from wosfile's
tag table; what each tag means is the ``TAGS`` map below.
"""
from __future__ import annotations

from wosfile.tags import has_item_per_line  # which tags put one value per line

from ...errors import ParseError
from ..records import Problem, RawRecord, make_record

# Canonical field -> WoS tags, best first (Clarivate's field tag list).
TAGS = {"title": ["TI"], "authors": ["AF", "AU"], "year": ["PY", "EA"], "container": ["SO", "SE"],
        "volume": ["VL"], "issue": ["IS"], "start_page": ["BP"], "end_page": ["EP"], "article_no": ["AR"],
        "doi": ["DI"], "issn": ["SN", "EI"], "isbn": ["BN"], "abstract": ["AB"], "keywords": ["DE"],
        "language": ["LA"], "pub_type": ["DT"], "wos": ["UT"], "pmid": ["PM"]}
_TYPES = {"J": "JOUR", "B": "BOOK", "S": "SER", "P": "PAT"}


def _parse_tag(line: str):
    if line.startswith("   "):
        return None, line.strip()
    if len(line) >= 2 and line[0].isalpha() and line[0].isupper() and line[1].isalnum() \
            and line[1] == line[1].upper() and (len(line) == 2 or line[2] == " "):
        return line[:2], line[3:].strip()
    return None, line.strip()


def _records(text: str, path, *, lenient: bool):
    """Cut the file into ``(position, first_line, raw)`` from each ``PT`` line to its ``ER`` line."""
    problems: list[Problem] = []
    out = []
    lines = text.split("\n")
    position = 0
    start = None      # index of the current record's first line
    for i, line in enumerate(lines):
        tag, _ = _parse_tag(line)
        if tag == "PT":
            if start is not None:
                reason = (f"Web of Science record starting at line {start + 1} has no ER line before the next "
                          f"PT at line {i + 1}; the export is damaged, export it again")
                if not lenient:
                    raise ParseError(path, reason, line=start + 1, record=position)
                problems.append(Problem(start + 1, position, reason))
            start = i
            position += 1
        elif tag == "ER" and start is not None:
            out.append((position, start + 1, "\n".join(lines[start:i + 1])))
            start = None
    if start is not None:
        reason = (f"Web of Science record starting at line {start + 1} ends without an ER line; the file "
                  "looks cut off, export it again")
        if not lenient:
            raise ParseError(path, reason, line=start + 1, record=position)
        problems.append(Problem(start + 1, position, reason))
    if not out and not problems and text.strip():
        raise ParseError(path, "no Web of Science records found (no 'PT ' line); is this really a Web of "
                               "Science plain-text export? check the source's format in protocol.yaml", line=1)
    return out, problems


def read(text: str, path, *, lenient: bool = False):
    chunks, problems = _records(text, path, lenient=lenient)
    records = []
    for position, line, raw in chunks:
        # Continuation lines of list tags are separate values (one author per line).
        d: dict[str, list[str]] = {}
        last = None
        for ln in raw.split("\n"):
            tag, value = _parse_tag(ln)
            if tag is None:
                if last is None or not value:
                    continue
                if has_item_per_line(last):
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
        keywords = [k for v in every("keywords") for k in v.split(";")]  # DE is a "; " list
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
