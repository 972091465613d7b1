"""Spreadsheet exports: Scopus CSV, Publish or Perish's CSV of Google Scholar, Rayyan's CSV.

One reader, three column maps (data, not code). The csv module handles quoting and line breaks
inside cells; its line counter gives each row's first line.
"""
from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import dataclass, field

from ...errors import ParseError
from ..records import Problem, RawRecord, make_record


@dataclass(frozen=True)
class CsvFormat:
    name: str
    columns: dict            # canonical field -> header(s), best first
    required: tuple          # headers that identify the format
    author_sep: str          # between authors in one cell
    keyword_sep: str = ";"
    ids: dict = field(default_factory=dict)   # source_ids key -> header
    write_columns: tuple = ()


SCOPUS = CsvFormat(
    name="Scopus CSV",
    columns={"title": ["Title"], "authors": ["Author full names", "Authors"], "year": ["Year"],
             "container": ["Source title"], "volume": ["Volume"], "issue": ["Issue"],
             "start_page": ["Page start"], "end_page": ["Page end"], "article_no": ["Art. No."],
             "doi": ["DOI"], "issn": ["ISSN"], "isbn": ["ISBN"], "abstract": ["Abstract"],
             "keywords": ["Author Keywords", "Index Keywords"], "language": ["Language of Original Document"],
             "url": ["Link"], "pub_type": ["Document Type"]},
    required=("Title", "Source title"),
    author_sep=";",
    ids={"eid": "EID", "pmid": "PubMed ID"},
    write_columns=("Authors", "Author full names", "Title", "Year", "Source title", "Volume", "Issue",
                   "Art. No.", "Page start", "Page end", "DOI", "Link", "Abstract", "Author Keywords",
                   "ISSN", "ISBN", "Language of Original Document", "Document Type", "PubMed ID",
                   "Source", "EID"),
)
SCHOLAR = CsvFormat(
    name="Publish or Perish CSV",
    columns={"title": ["Title"], "authors": ["Authors"], "year": ["Year"], "container": ["Source"],
             "volume": ["Volume"], "issue": ["Issue"], "start_page": ["StartPage"], "end_page": ["EndPage"],
             "doi": ["DOI"], "issn": ["ISSN"], "abstract": ["Abstract"], "url": ["ArticleURL"],
             "pub_type": ["Type"]},
    required=("Title", "Authors", "GSRank"),
    author_sep=",",
    ids={"gs_rank": "GSRank"},
    write_columns=("Cites", "Authors", "Title", "Year", "Source", "Publisher", "ArticleURL", "CitesURL",
                   "GSRank", "QueryDate", "Type", "DOI", "ISSN", "CitationURL", "Volume", "Issue",
                   "StartPage", "EndPage", "ECC", "Abstract"),
)
RAYYAN = CsvFormat(
    name="Rayyan CSV",
    columns={"title": ["title"], "authors": ["authors"], "year": ["year"], "container": ["journal"],
             "volume": ["volume"], "issue": ["issue"], "pages": ["pages"], "doi": ["doi"],
             "issn": ["issn"], "abstract": ["abstract"], "keywords": ["keywords"], "language": ["language"],
             "url": ["url"], "pub_type": ["type"]},
    required=("key", "title", "authors"),
    author_sep=" and ",
    ids={"rayyan": "key", "pmid": "pubmed_id"},
    write_columns=("key", "title", "authors", "journal", "issn", "volume", "issue", "pages", "year",
                   "month", "day", "publisher", "pubmed_id", "url", "abstract", "notes", "doi",
                   "keywords", "language", "type"),
)
FORMATS = {"scopus_csv": SCOPUS, "scholar_csv": SCHOLAR, "rayyan_csv": RAYYAN}


def _get(row: dict, headers) -> str | None:
    for h in headers:
        v = row.get(h)
        if v is not None and str(v).strip():
            return str(v).strip()
    return None


def _split(value: str | None, sep: str) -> list[str]:
    if not value:
        return []
    return [p.strip() for p in value.split(sep) if p.strip()]


def to_fields(row: dict, fmt: CsvFormat) -> dict:
    c = fmt.columns
    pages = _get(row, c.get("pages", []))
    if pages is None:
        sp, ep = _get(row, c.get("start_page", [])), _get(row, c.get("end_page", []))
        pages = f"{sp}-{ep}" if sp and ep and sp != ep else (sp or ep or _get(row, c.get("article_no", [])))
    authors = _split(_get(row, c["authors"]), fmt.author_sep)
    if fmt is SCOPUS and "Author full names" in row and row.get("Author full names"):
        # "Øydgard, Gunn (57195418440)": drop the Scopus author id.
        authors = [re.sub(r"\s*\(\d+\)$", "", a) for a in authors]
    keywords = []
    for h in c.get("keywords", []):
        keywords += _split(row.get(h), fmt.keyword_sep)
    issn = _get(row, c.get("issn", []))
    isbn = _get(row, c.get("isbn", []))
    if isbn:
        isbn = _split(isbn, ";")[0]
    return make_record(
        title=_get(row, c["title"]), authors=authors, year=_get(row, c["year"]),
        container=_get(row, c["container"]), volume=_get(row, c["volume"]), issue=_get(row, c["issue"]),
        pages=pages, doi=_get(row, c["doi"]), issn=issn, isbn=isbn,
        abstract=_get(row, c.get("abstract", [])), keywords=keywords,
        language=_get(row, c.get("language", [])), url=_get(row, c.get("url", [])),
        pub_type=_get(row, c.get("pub_type", [])),
        source_ids={k: row.get(h) for k, h in fmt.ids.items()},
    )


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=counts.get)


def read_with(fmt: CsvFormat, text: str, path, *, lenient: bool = False):
    if not text.strip():
        return [], []
    lines = text.split("\n")
    delimiter = _sniff_delimiter(lines[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except (csv.Error, StopIteration) as exc:
        raise ParseError(path, f"{fmt.name} header cannot be read ({exc})", line=1) from None
    header = [h.strip() for h in header]
    missing = [h for h in fmt.required if h not in header]
    if missing:
        raise ParseError(path, f"not a {fmt.name}: the header lacks {', '.join(missing)}; check the "
                               "source's format in protocol.yaml", line=1)
    records, problems = [], []
    position = 0
    offset = reader.line_num          # lines before the current reader's first line
    while offset < len(lines):
        # An iterator over the lines: restarting after damage copies nothing.
        rest = (line + "\n" for line in itertools.islice(lines, offset, None))  # csv needs the line ends
        reader = csv.reader(rest, delimiter=delimiter, strict=True)
        prev_end = 0
        try:
            for row in reader:
                first_line = offset + prev_end + 1
                end = reader.line_num
                raw = "\n".join(lines[offset + prev_end:offset + end])
                prev_end = end
                if not any(c.strip() for c in row):
                    continue
                position += 1
                if len(row) != len(header):
                    reason = f"{fmt.name} row has {len(row)} cells but the header has {len(header)}"
                    if not lenient:
                        raise ParseError(path, reason + "; the export is damaged, export it again",
                                         line=first_line, record=position)
                    problems.append(Problem(first_line, position, reason))
                    continue
                records.append(RawRecord(position, first_line, raw, to_fields(dict(zip(header, row)), fmt)))
            break
        except csv.Error as exc:
            position += 1
            first_line = offset + prev_end + 1
            reason = f"{fmt.name} row cannot be read ({exc})"
            if not lenient:
                raise ParseError(path, reason + "; export the file again", line=first_line,
                                 record=position) from None
            problems.append(Problem(first_line, position, reason))
            # Start afresh on the line after the damage.
            offset += max(reader.line_num, prev_end + 1)
    return records, problems


def write_with(fmt: CsvFormat, rows) -> str:
    import json

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if fmt is not RAYYAN else "\n", quoting=csv.QUOTE_MINIMAL)
    cols = list(fmt.write_columns)
    w.writerow(cols)
    for i, r in enumerate(rows, start=1):
        ids = json.loads(r["source_ids"]) if r.get("source_ids") else {}
        authors = (r.get("authors") or "").split("; ") if r.get("authors") else []
        sp, _, ep = (r.get("pages") or "").partition("-")
        val = {}
        c = fmt.columns
        for key in ("title", "year", "container", "volume", "issue", "doi", "issn", "isbn", "abstract",
                    "language", "url", "pub_type"):
            if c.get(key):
                val[c[key][0]] = "" if r.get(key) is None else str(r[key])
        if "pages" in c:
            val[c["pages"][0]] = r.get("pages") or ""
        else:
            val[c["start_page"][0]], val[c["end_page"][0]] = sp, ep
        sep = {";": "; ", ",": ", "}.get(fmt.author_sep, fmt.author_sep)
        val[c["authors"][0]] = sep.join(authors)
        if fmt is SCOPUS:
            val["Authors"] = "; ".join(authors)
        if c.get("keywords"):
            val[c["keywords"][0]] = (r.get("keywords") or "")
        for k, h in fmt.ids.items():
            val[h] = ids.get(k, str(i) if k in ("gs_rank", "rayyan") else "")
        w.writerow([val.get(col, "") for col in cols])
    return buf.getvalue()
