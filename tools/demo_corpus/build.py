"""Write the flagship's demonstration exports (exports/*), fulltexts/index.csv and included.yaml
from tools/demo_corpus/works.yaml, deterministically (same input -> byte-identical files).

Usage:  .venv/bin/python tools/demo_corpus/build.py [--out DIR]   (DIR defaults to the repo root)

Each writer imitates its source's real export format and quirks; the per-source rules that turn
one canonical work into that source's record (diacritic folding, EBSCO capitalisation, Google
Scholar truncation, ...) live here, per-work exceptions live in works.yaml `variants`.
"""
from __future__ import annotations

import argparse
import csv
import io
import unicodedata
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
WORKS = HERE / "works.yaml"

# file, encoding, BOM, newline: the quirks each source's real export has (tests check them).
FILES = {
    "pubmed": ("exports/pubmed.nbib", "utf-8", False, "\n"),
    "cinahl": ("exports/cinahl.ris", "utf-8", False, "\r\n"),
    "asc": ("exports/academic_search_complete.ris", "utf-8", False, "\r\n"),
    "ssa": ("exports/social_services_abstracts.ris", "utf-8", True, "\r\n"),
    "embase": ("exports/embase.ris", "utf-8", False, "\n"),
    "sage": ("exports/sage.ris", "utf-8", False, "\n"),
    "oria": ("exports/oria.ris", "utf-8", False, "\n"),
    "idunn": ("exports/idunn.ris", "utf-8", False, "\n"),
    "scopus": ("exports/scopus.csv", "utf-8", True, "\r\n"),
    "wos": ("exports/web_of_science.txt", "utf-8", True, "\n"),
    "google_scholar": ("exports/google_scholar.csv", "utf-8", False, "\r\n"),
    # exported from the team's old EndNote library: Windows-1252, CRLF
    "citation_search": ("exports/citation_search.ris", "cp1252", False, "\r\n"),
    "team_knowledge": ("exports/team_knowledge.bib", "utf-8", False, "\n"),
}

RIS_TYPES = {"article": "JOUR", "chapter": "CHAP", "book": "BOOK", "thesis": "THES",
             "report": "RPRT", "document": "GOVDOC", "paper": "CPAPER", "preprint": "JOUR"}
FOLD = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "å": "a", "Å": "A"})


def fold(text: str) -> str:
    """ASCII-fold as databases that transliterate do (ø->o, æ->ae, å->a, then strip accents)."""
    text = text.translate(FOLD)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def load_works(path: Path = WORKS) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["works"]


def view(work: dict, source: str) -> dict:
    """The work as `source` holds it: canonical fields overlaid with that source's variants."""
    rec = {k: v for k, v in work.items() if k not in ("variants", "from", "in")}
    rec.update((work.get("variants") or {}).get(source, {}))
    rec["authors"] = [a.strip() for a in str(rec.get("authors") or "").split(";") if a.strip()]
    return rec


def initials(given: str) -> str:
    parts = given.replace("-", " -").split()
    return "".join(p[0] if not p.startswith("-") else "-" + p[1] for p in parts if p.strip("-"))


def split_name(name: str) -> tuple[str, str]:
    family, _, given = name.partition(",")
    return family.strip(), given.strip()


def short_name(name: str, sep: str = " ", dots: bool = False) -> str:
    """'Slåtsveen, Ruth-Ellen' -> 'Slåtsveen R-E' style; names already short stay as they are."""
    family, given = split_name(name)
    if not given:
        return family
    ini = initials(given)
    if dots:
        ini = ".".join(ini.replace("-", "-")) + "."
        ini = ini.replace(".-.", ".-")
    return f"{family}{sep}{ini}"


def pages(rec: dict) -> tuple[str, str]:
    p = str(rec.get("pages") or "")
    if "-" in p and not p.startswith("e-"):
        a, b = p.split("-", 1)
        return a, b
    return p, ""


# ----------------------------------------------------------------------------- RIS family
def ris_record(lines: list[tuple[str, str]]) -> str:
    body = [f"{tag}  - {val}" for tag, val in lines if val not in (None, "")]
    return "\n".join(body + ["ER  - ", ""])


def ris_ebsco(rec: dict, db: str, source: str) -> str:
    sp, ep = pages(rec)
    title = rec.get("title", "")
    if source == "asc" and rec["type"] == "article":
        title = title.upper()  # ASC's older records carry all-caps titles
    lines = [("TY", RIS_TYPES[rec["type"]]), ("T1", title)]
    lines += [("AU", a) for a in rec["authors"]]
    lines += [("Y1", f"{rec['year']}///" if rec.get("year") else ""),
              ("JO", rec.get("container")), ("JF", rec.get("container")),
              ("VL", rec.get("volume")), ("IS", rec.get("issue")), ("SP", sp), ("EP", ep),
              ("SN", rec.get("issn"))]
    lines += [("KW", k) for k in rec.get("keywords") or []]
    lines += [("DO", rec.get("doi")), ("DB", db), ("UR", rec.get("url")), ("DP", "EBSCOhost")]
    return ris_record(lines)


def ris_proquest(rec: dict) -> str:
    sp, ep = pages(rec)
    lines = [("TY", RIS_TYPES[rec["type"]])]
    lines += [("AU", a) for a in rec["authors"]]
    lines += [("T1", rec.get("title")), ("JF", rec.get("container")), ("PY", rec.get("year")),
              ("VL", rec.get("volume")), ("IS", rec.get("issue")), ("SP", sp), ("EP", ep),
              ("SN", rec.get("issn")), ("DO", rec.get("doi")), ("LA", {"nor": "Norwegian"}.get(rec.get("language"), "English")),
              ("DB", "Social Services Abstracts"), ("DP", "ProQuest")]
    return ris_record(lines)


def ris_embase(rec: dict) -> str:
    sp, ep = pages(rec)
    lines = [("TY", RIS_TYPES[rec["type"]]), ("T1", rec.get("title"))]
    lines += [("A1", short_name(a, dots=True) if "," in a else a) for a in rec["authors"]]
    lines += [("Y1", f"{rec['year']}//" if rec.get("year") else ""), ("JF", rec.get("container")),
              ("VL", rec.get("volume")), ("IS", rec.get("issue")), ("SP", sp), ("EP", ep),
              ("M3", "Article" if rec["type"] == "article" else "Preprint" if rec["type"] == "preprint" else ""),
              ("LA", "English"), ("DO", rec.get("doi")), ("SN", rec.get("issn"))]
    return ris_record(lines)


def ris_plain(rec: dict, source: str) -> str:
    """SAGE, Idunn and Oria (Primo) style: TI/AU/PY/JO, one tag per line, LF."""
    sp, ep = pages(rec)
    ty = RIS_TYPES[rec["type"]]
    lines = [("TY", ty)]
    lines += [("AU", a) for a in rec["authors"]]
    lines += [("TI", rec.get("title")), ("PY", rec.get("year"))]
    if ty == "CHAP":
        lines += [("T2", rec.get("container"))]
    elif ty in ("JOUR",):
        lines += [("JO", rec.get("container"))]
    else:
        lines += [("T3", rec.get("container"))]
    lines += [("VL", rec.get("volume")), ("IS", rec.get("issue")), ("SP", sp), ("EP", ep),
              ("PB", rec.get("publisher")), ("SN", rec.get("isbn") or rec.get("issn")),
              ("DO", rec.get("doi"))]
    if source in ("oria", "idunn"):
        lines += [("LA", rec.get("language"))]
    url = rec.get("url") or (f"https://doi.org/{rec['doi']}" if rec.get("doi") else "")
    lines += [("UR", url)]
    if source == "oria":
        lines += [("DB", "Oria"), ("DP", "BIBSYS Primo")]
    return ris_record(lines)


def ris_citation(rec: dict) -> str:
    """EndNote-style export of the citation search (forward/backward from five core articles)."""
    sp, ep = pages(rec)
    lines = [("TY", RIS_TYPES[rec["type"]])]
    lines += [("AU", a) for a in rec["authors"]]
    lines += [("TI", rec.get("title")), ("PY", rec.get("year")), ("T2", rec.get("container")),
              ("VL", rec.get("volume")), ("IS", rec.get("issue")), ("SP", sp), ("EP", ep),
              ("DO", rec.get("doi"))]
    if rec.get("title_established") is False:
        lines += [("N1", "Cited in the reference list of a core article; title not transcribed "
                         "(demonstration corpus: title not established).")]
    return ris_record(lines)


# ----------------------------------------------------------------------------- MEDLINE
def medline(rec: dict) -> str:
    def field(tag: str, value: str) -> list[str]:
        return [f"{tag:<4}- {value}"]

    out = field("PMID", rec["pmid"]) + field("OWN", "NLM") + field("STAT", "PubMed-not-MEDLINE")
    if rec.get("volume"):
        out += field("VI", rec["volume"])
    if rec.get("issue"):
        out += field("IP", rec["issue"])
    out += field("DP", str(rec["year"])) + field("TI", rec["title"])
    if rec.get("pages"):
        out += field("PG", rec["pages"])
    out += field("LID", f"{rec['doi']} [doi]")
    for a in rec["authors"]:
        family, given = split_name(a)
        out += field("FAU", f"{family}, {given}") + field("AU", short_name(a).replace("-", ""))
    out += field("LA", "eng") + field("PT", "Journal Article")
    out += field("TA", rec["container"]) + field("JT", rec["container"])
    if rec.get("pmcid"):
        out += field("PMC", rec["pmcid"])
    out += field("AID", f"{rec['doi']} [doi]") + field("SO", f"{rec['container']}. {rec['year']}")
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------- CSV family
SCOPUS_COLUMNS = ["Authors", "Author full names", "Author(s) ID", "Title", "Year", "Source title",
                  "Volume", "Issue", "Art. No.", "Page start", "Page end", "Page count", "Cited by",
                  "DOI", "Link", "Abstract", "Author Keywords", "Index Keywords",
                  "Language of Original Document", "Document Type", "Publication Stage",
                  "Open Access", "Source", "EID"]

SCHOLAR_COLUMNS = ["Cites", "Authors", "Title", "Year", "Source", "Publisher", "ArticleURL",
                   "CitesURL", "GSRank", "QueryDate", "Type", "DOI", "ISSN", "CitationURL",
                   "Volume", "Issue", "StartPage", "EndPage", "ECC", "CitesPerYear",
                   "CitesPerAuthor", "AuthorCount", "Age", "Abstract", "FullTextURL", "RelatedURL"]


def scopus_row(rec: dict) -> dict:
    sp, ep = pages(rec)
    art = rec.get("pages") if sp and not ep else ""
    return {"Authors": "; ".join(short_name(a, dots=True) for a in rec["authors"]),
            "Author full names": "; ".join(rec["authors"]), "Author(s) ID": "",
            "Title": rec.get("title", ""), "Year": rec.get("year", ""),
            "Source title": rec.get("container", ""), "Volume": rec.get("volume", ""),
            "Issue": rec.get("issue", ""), "Art. No.": art, "Page start": sp if ep else "",
            "Page end": ep, "Page count": "", "Cited by": "", "DOI": rec.get("doi", ""),
            "Link": "", "Abstract": "", "Author Keywords": "; ".join(rec.get("keywords") or []),
            "Index Keywords": "", "Language of Original Document": "English",
            "Document Type": "Article", "Publication Stage": "Final", "Open Access": "",
            "Source": "Scopus", "EID": ""}


def scholar_authors(authors: list[str]) -> str:
    names = []
    for a in authors:
        family, given = split_name(a)
        names.append(f"{initials(given).replace('-', '')} {family}".strip() if given else family)
    return ", ".join(names[:3]) + ("…" if len(names) > 3 else "")


def scholar_row(rec: dict, rank: int) -> dict:
    title = rec.get("title", "")
    if len(title) > 90:  # Scholar cuts long titles
        title = title[:88].rstrip() + "…"
    authors = rec["authors"]
    if authors and "," not in authors[0] and " " in authors[0]:
        shown = ", ".join(authors)  # already in Scholar's own form (variant)
    else:
        shown = scholar_authors(authors)
    sp, ep = pages(rec)
    return {"Cites": "", "Authors": shown, "Title": title, "Year": rec.get("year", ""),
            "Source": rec.get("container", ""), "Publisher": rec.get("publisher", ""),
            "ArticleURL": rec.get("url") or (f"https://doi.org/{rec['doi']}" if rec.get("doi") else ""),
            "CitesURL": "", "GSRank": rank, "QueryDate": "2024-08", "Type": "", "DOI": "",
            "ISSN": "", "CitationURL": "", "Volume": "", "Issue": "", "StartPage": "",
            "EndPage": "", "ECC": "", "CitesPerYear": "", "CitesPerAuthor": "",
            "AuthorCount": len(rec["authors"]), "Age": "", "Abstract": "", "FullTextURL": "",
            "RelatedURL": ""}


def write_csv(columns: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


# ----------------------------------------------------------------------------- WoS
def wos(rec: dict) -> str:
    sp, ep = pages(rec)
    lines = ["PT J"]

    def multi(tag: str, values: list[str]) -> None:
        for i, v in enumerate(values):
            lines.append(f"{tag if i == 0 else '  '} {v}")

    multi("AU", [fold(short_name(a, sep=", ").replace("-", "")) for a in rec["authors"]])
    multi("AF", rec["authors"])
    for tag, val in (("TI", rec.get("title")), ("SO", str(rec.get("container") or "").upper()),
                     ("LA", "English"), ("DT", "Article")):
        if val:
            lines.append(f"{tag} {val}")
    if rec.get("keywords"):
        lines.append("DE " + "; ".join(rec["keywords"]))
    for tag, val in (("PY", rec.get("year")), ("VL", rec.get("volume")), ("IS", rec.get("issue")),
                     ("BP", sp if ep else ""), ("EP", ep), ("AR", sp if not ep else ""),
                     ("DI", rec.get("doi"))):
        if val not in (None, ""):
            lines.append(f"{tag} {val}")
    return "\n".join(lines + ["ER", ""])


# ----------------------------------------------------------------------------- BibTeX (Zotero)
def bibkey(rec: dict) -> str:
    first = fold(split_name(rec["authors"][0])[0] if rec["authors"] else "anon").lower()
    word = next((fold(w).lower() for w in str(rec.get("title") or "").split()
                 if len(w) > 3 and w.isalpha()), "")
    return "_".join(p for p in (first.replace(" ", ""), word, str(rec.get("year") or "")) if p)


def bibtex(rec: dict) -> str:
    kind = {"article": "article", "chapter": "incollection", "book": "book", "thesis": "mastersthesis",
            "report": "techreport", "document": "book"}.get(rec["type"], "misc")
    fields = [("title", rec.get("title")), ("journal" if kind == "article" else "booktitle" if kind == "incollection" else "series", rec.get("container")),
              # Zotero braces corporate names so BibTeX does not split them into given/family
              ("author", " and ".join(a if "," in a or " " not in a else f"{{{a}}}" for a in rec["authors"])),
              ("volume", rec.get("volume")),
              ("number", rec.get("issue")), ("pages", str(rec.get("pages") or "").replace("-", "--")),
              ("doi", rec.get("doi")), ("url", rec.get("url")), ("publisher" if kind != "mastersthesis" else "school", rec.get("publisher")),
              ("language", rec.get("language")), ("year", rec.get("year")), ("note", rec.get("note"))]
    body = ",\n".join(f"\t{k} = {{{v}}}" for k, v in fields if v not in (None, ""))
    return f"@{kind}{{{bibkey(rec)},\n{body}\n}}\n"


# ----------------------------------------------------------------------------- driver
def records_for(works: list[dict], source: str) -> list[dict]:
    """Works held by `source`, in a stable order (sources sort by relevance; we by id)."""
    return [view(w, source) for w in sorted(works, key=lambda w: w["id"]) if source in w.get("in", [])]


def render(works: list[dict]) -> dict[str, str]:
    out: dict[str, str] = {}
    recs = {s: records_for(works, s) for s in FILES}
    out["pubmed"] = "\n".join(medline(r) for r in recs["pubmed"])
    out["cinahl"] = "\n".join(ris_ebsco(r, "CINAHL Complete", "cinahl") for r in recs["cinahl"])
    out["asc"] = "\n".join(ris_ebsco(r, "Academic Search Complete", "asc") for r in recs["asc"])
    out["ssa"] = "\n".join(ris_proquest(r) for r in recs["ssa"])
    out["embase"] = "\n".join(ris_embase(r) for r in recs["embase"])
    for s in ("sage", "oria", "idunn"):
        out[s] = "\n".join(ris_plain(r, s) for r in recs[s])
    out["citation_search"] = "\n".join(ris_citation(r) for r in recs["citation_search"])
    out["scopus"] = write_csv(SCOPUS_COLUMNS, [scopus_row(r) for r in recs["scopus"]])
    out["google_scholar"] = write_csv(SCHOLAR_COLUMNS, [scholar_row(r, i) for i, r in enumerate(recs["google_scholar"], 1)])
    out["wos"] = "FN Clarivate Analytics Web of Science\nVR 1.0\n" + "\n".join(wos(r) for r in recs["wos"]) + "\nEF\n"
    out["team_knowledge"] = "\n".join(bibtex(r) for r in recs["team_knowledge"])
    return out


def encode(text: str, encoding: str, bom: bool, newline: str) -> bytes:
    text = text.replace("\r\n", "\n").replace("\n", newline)
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


def citation(w: dict) -> str:
    rec = view(w, "")
    authors = ", ".join(rec["authors"]) or "[author not established]"
    parts = [f"{authors} ({rec.get('year', 'n.d.')})."]
    if rec.get("title"):
        parts.append(f"{rec['title']}.")
    else:
        parts.append(f"[{rec['type']}; title not established in this demonstration corpus].")
    if rec.get("container"):
        vol = "".join([f", {rec['volume']}" if rec.get("volume") else "",
                       f"({rec['issue']})" if rec.get("issue") else "",
                       f", {rec['pages']}" if rec.get("pages") else ""])
        parts.append(f"{rec['container']}{vol}.")
    if rec.get("doi"):
        parts.append(f"https://doi.org/{rec['doi']}")
    return " ".join(parts)


def included_yaml(works: list[dict]) -> str:
    studies = []
    for w in works:
        if not w.get("included"):
            continue
        studies.append({"study_id": w["included"], "work_id": w["id"],
                        "first_author": split_name(view(w, "")["authors"][0])[0],
                        "year": w.get("year"), "citation": citation(w),
                        "title_established": w.get("title_established", True),
                        "exports": [FILES[s][0] for s in w["in"]]})
    studies.sort(key=lambda s: s["study_id"])
    head = ("# The 24 studies the flagship review included (appendix extraction table of seed 003),\n"
            "# generated by tools/demo_corpus/build.py from works.yaml: do not edit by hand.\n"
            "# study_id: first author ASCII-folded + year (+ a/b for one author's two studies in a year).\n")
    return head + yaml.safe_dump({"studies": studies}, allow_unicode=True, sort_keys=False, width=120)


def fulltext_index(works: list[dict]) -> str:
    rows = []
    for w in sorted(works, key=lambda w: w["id"]):
        if w.get("fulltext"):
            rec = view(w, "")
            # work_id is the pipeline's id of the record the document belongs to, as a reviewer
            # attaching the document would note it; corpus_id is this corpus's own id.
            rows.append({"file": Path(w["fulltext"]).name, "work_id": w.get("pipeline_work_id", ""),
                         "corpus_id": w["id"],
                         "title": rec.get("title", ""), "authors": "; ".join(rec["authors"]),
                         "year": rec.get("year", ""), "note": w.get("note", "")})
    buf = io.StringIO()
    wr = csv.DictWriter(buf, fieldnames=["file", "work_id", "corpus_id", "title", "authors", "year", "note"], lineterminator="\n")
    wr.writeheader()
    wr.writerows(rows)
    return buf.getvalue()


def build(out_dir: Path = ROOT, works_path: Path = WORKS) -> list[Path]:
    works = load_works(works_path)
    written = []
    for source, text in render(works).items():
        rel, encoding, bom, newline = FILES[source]
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(encode(text, encoding, bom, newline))
        written.append(path)
    for rel, text in (("tools/demo_corpus/included.yaml", included_yaml(works)),
                      ("fulltexts/index.csv", fulltext_index(works))):
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT, help="root to write exports/ etc. under")
    ap.add_argument("--check", action="store_true",
                    help="build into a temporary folder and exit 1 if any committed file differs")
    args = ap.parse_args()
    if args.check:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            stale = [p.relative_to(tmp) for p in build(Path(tmp))
                     if p.read_bytes() != (ROOT / p.relative_to(tmp)).read_bytes()]
        for rel in stale:
            print(f"{rel}: differs from a fresh build of works.yaml; run tools/demo_corpus/build.py")
        return 1 if stale else 0
    for p in build(args.out):
        print(p.relative_to(args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
