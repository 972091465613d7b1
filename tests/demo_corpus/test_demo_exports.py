"""The flagship's demonstration exports: present, parseable by each format's standard library,
with the quirks their sources really have, real works only, and regenerable byte for byte."""
from __future__ import annotations

import csv
import importlib.util
import io
import re
from pathlib import Path

import bibtexparser
import pytest
import rispy
import wosfile
import yaml
from Bio import Medline

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "tools" / "demo_corpus"


def _load_build():
    spec = importlib.util.spec_from_file_location("demo_build", DEMO / "build.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


build = _load_build()
PROTOCOL = yaml.safe_load((REPO / "protocol.yaml").read_text(encoding="utf-8"))
WORKS = build.load_works()
SOURCES = {s["id"]: s for s in PROTOCOL["sources"]}


def text_of(source_id: str) -> str:
    rel, encoding, bom, _ = build.FILES[source_id]
    data = (REPO / rel).read_bytes()
    return data.decode("utf-8-sig" if bom else encoding)


def parse(source_id: str) -> list[dict]:
    """Records as each format's standard library reads them, as {'title','authors','year','doi','pmid'}."""
    fmt = SOURCES[source_id]["format"]
    text = text_of(source_id)
    if fmt == "ris":
        entries = rispy.loads(text)
        return [{"title": e.get("title") or e.get("primary_title") or "",
                 "authors": e.get("authors") or e.get("first_authors") or [],
                 "year": str(e.get("year") or e.get("publication_year") or "").strip("/"),
                 "doi": e.get("doi") or ""} for e in entries]
    if fmt == "medline":
        return [{"title": r.get("TI", ""), "authors": r.get("FAU", []), "year": r.get("DP", ""),
                 "doi": r.get("LID", "").replace(" [doi]", ""), "pmid": r.get("PMID")}
                for r in Medline.parse(io.StringIO(text))]
    if fmt == "bibtex":
        lib = bibtexparser.parse_string(text)
        assert not lib.failed_blocks
        return [{"title": e.fields_dict["title"].value if "title" in e.fields_dict else "",
                 "authors": e.fields_dict["author"].value.split(" and ") if "author" in e.fields_dict else [],
                 "year": e.fields_dict["year"].value if "year" in e.fields_dict else "",
                 "doi": e.fields_dict["doi"].value if "doi" in e.fields_dict else ""} for e in lib.entries]
    if fmt in ("scopus_csv", "scholar_csv"):
        rows = list(csv.DictReader(io.StringIO(text)))
        if fmt == "scopus_csv":
            return [{"title": r["Title"], "authors": r["Author full names"].split("; "), "year": r["Year"], "doi": r["DOI"]} for r in rows]
        return [{"title": r["Title"], "authors": r["Authors"].split(", "), "year": r["Year"], "doi": r["DOI"]} for r in rows]
    if fmt == "wos":
        path = REPO / build.FILES[source_id][0]
        return [{"title": r.get("TI", ""), "authors": r.get("AF", []), "year": r.get("PY", ""), "doi": r.get("DI", "")}
                for r in wosfile.records_from(str(path))]
    raise AssertionError(f"unknown format {fmt}")


@pytest.mark.parametrize("source_id", sorted(SOURCES))
def test_every_protocol_source_file_exists_and_parses(source_id):
    files = SOURCES[source_id]["files"]
    assert files == [build.FILES[source_id][0]], "protocol.yaml files and build.py disagree"
    records = parse(source_id)
    assert records, f"{source_id}: no records parsed"
    assert all(r["year"] or r["authors"] for r in records)


@pytest.mark.parametrize("source_id", sorted(build.FILES))
def test_files_have_their_sources_quirks(source_id):
    rel, encoding, bom, newline = build.FILES[source_id]
    data = (REPO / rel).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == bom
    if newline == "\r\n":
        assert b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")
    else:
        assert b"\r" not in data
    if encoding == "cp1252":  # Norwegian letters as single Windows-1252 bytes, not UTF-8
        assert b"\xf8" in data or b"\xe5" in data
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")


def test_wos_folds_au_but_keeps_letters_in_af():
    recs = list(wosfile.records_from(str(REPO / build.FILES["wos"][0])))
    slat = [r for r in recs if any("Slåtsveen" in a for a in r.get("AF", []))]
    assert slat and all(any(a.startswith("Slatsveen") for a in r["AU"]) for r in slat)


def test_the_24_included_studies_are_in_at_least_one_export():
    included = [w for w in WORKS if w.get("included")]
    assert len(included) == 24
    parsed = {s: parse(s) for s in SOURCES}
    for w in included:
        rec = build.view(w, "")
        surname = build.split_name(rec["authors"][0])[0]
        found = [s for s, recs in parsed.items()
                 if any(str(w["year"]) in str(r["year"]) and any(surname in a or build.fold(surname) in a for a in r["authors"])
                        and (not rec.get("title") or build.fold(rec["title"][:30]).lower() in build.fold(r["title"]).lower())
                        for r in recs)]
        assert found, f"{w['included']} not found in any export"


def test_included_yaml_lists_the_24_with_their_exports():
    studies = yaml.safe_load((DEMO / "included.yaml").read_text(encoding="utf-8"))["studies"]
    assert len({s["study_id"] for s in studies}) == 24
    for s in studies:
        assert s["exports"] and all((REPO / e).exists() for e in s["exports"])


def test_norwegian_names_are_spelled_with_their_letters_in_works_yaml():
    raw = (DEMO / "works.yaml").read_text(encoding="utf-8")
    for name in ("Øydgard", "Sundsbø", "Slåtsveen", "Løken", "Tønnessen", "Vabø", "Lægreid", "Grødem"):
        assert name in raw
    canonical = " ".join(str(w.get("authors", "")) for w in WORKS)
    for ocr in ("Oydgard", "Qydgard", "@ydgard", "Sundsbe", "Slatsveen", "Loken"):
        assert ocr not in canonical, f"{ocr}: OCR/folded spelling used as the canonical name"


def test_every_doi_and_pmid_in_an_export_is_in_works_yaml_with_provenance():
    known = {}
    for w in WORKS:
        for key in ("doi", "pmid"):
            if w.get(key):
                assert w.get("from"), f"{w['id']}: {key} without provenance"
                known[str(w[key]).lower()] = w["id"]
    doi_re = re.compile(r"10\.\d{4,9}/[^\s\"',;{}]+")
    for source_id, (rel, _encoding, _bom, _) in build.FILES.items():
        text = text_of(source_id)
        for doi in doi_re.findall(text):
            assert doi.rstrip(".").lower() in known, f"{rel}: DOI {doi} not in works.yaml"
    for r in parse("pubmed"):
        assert r["pmid"] in known, f"PMID {r['pmid']} not in works.yaml"


def test_build_regenerates_byte_identical_files(tmp_path):
    written = build.build(tmp_path)
    assert written
    for path in written:
        rel = path.relative_to(tmp_path)
        assert path.read_bytes() == (REPO / rel).read_bytes(), f"{rel} differs from a fresh build"


def test_fulltext_index_names_existing_files_and_works():
    rows = list(csv.DictReader((REPO / "fulltexts" / "index.csv").open(encoding="utf-8")))
    ids = {w["id"] for w in WORKS}
    assert len(rows) == 4
    for r in rows:
        assert r["corpus_id"] in ids
        assert r["work_id"], "each document names the pipeline work it belongs to"
        text = (REPO / "fulltexts" / r["file"]).read_text(encoding="utf-8")
        assert len(text) > 10_000
