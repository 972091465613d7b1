"""Each reader on fixture files shaped like real exports, and writer -> reader round trips."""
import json

import pandas as pd
import pytest

from review.identification import read_file
from review.identification.formats import FORMATS
from review.identification.records import FIELDS, RECORD_COLUMNS, make_record


def _read(exports, name, fmt):
    records, problems, info = read_file(exports / name, fmt, source="s")
    assert list(records.columns) == RECORD_COLUMNS
    assert len(problems) == 0
    return records, info


def _row(records, title_start):
    hits = records[records["title"].str.startswith(title_start)]
    assert len(hits) == 1, f"expected one record titled {title_start!r}"
    return hits.iloc[0]


def test_make_record_returns_every_field():
    assert list(make_record()) == FIELDS


def test_pubmed_medline(exports):
    records, info = _read(exports, "pubmed.nbib", "medline")
    assert info["encoding"] == "utf-8"
    tricco = _row(records, "PRISMA Extension for Scoping Reviews")
    assert tricco["title"].endswith("Checklist and Explanation.")  # wrapped title joined
    assert tricco["doi"] == "10.7326/M18-0850"
    assert json.loads(tricco["source_ids"]) == {"pmid": "30178033"}
    assert tricco["authors"].split("; ")[-2] == "Tunçalp Ö"
    assert (tricco["year"], tricco["volume"], tricco["issue"], tricco["pages"]) == (2018, "169", "7", "467-473")
    assert tricco["line"] == 2 and tricco["position"] == 1   # the file starts with a blank line
    page = _row(records, "The PRISMA 2020 statement")
    assert json.loads(page["source_ids"])["pmcid"] == "PMC8005924"
    assert "Hróbjartsson A" in page["authors"].split("; ")


def test_ebsco_ris_with_bom_and_crlf_and_no_doi(exports):
    records, info = _read(exports, "cinahl_ebsco.ris", "ris")
    assert (info["encoding"], info["bom"], info["newline"]) == ("utf-8-sig", True, "CRLF")
    vabo = _row(records, "Norwegian home care in transition")
    assert vabo["authors"] == "Vabø, Mia"
    assert "drøfter" in vabo["abstract"] and "–" in vabo["title"]
    assert pd.isna(vabo["doi"])
    assert (vabo["year"], vabo["pages"], vabo["issn"]) == (2012, "283-291", "0966-0410")
    assert json.loads(vabo["source_ids"]) == {"cinahl": "000000001"}
    assert not vabo["raw"].startswith("\ufeff") and "\r" not in vabo["raw"]
    arksey = _row(records, "Scoping studies")
    assert arksey["doi"] == "10.1080/1364557032000119616"
    assert arksey["line"] == 23


def test_embase_ris_wrapped_abstract_and_doi_url(exports):
    records, _ = _read(exports, "embase.ris", "ris")
    tricco = _row(records, "PRISMA extension")
    assert tricco["abstract"].endswith("knowledge gaps.")  # continuation line kept
    assert tricco["issn"] == "0003-4819"
    page = _row(records, "The PRISMA 2020")
    assert page["doi"] == "10.1136/bmj.n71"  # given as https://doi.org/...


@pytest.mark.parametrize("name, encoding", [("oria_primo.ris", "cp1252"), ("notepad_utf16.ris", "utf-16-le")])
def test_norwegian_letters_survive_other_encodings(exports, name, encoding):
    records, info = _read(exports, name, "ris")
    assert info["encoding"] == encoding
    assert info["newline"] == "CRLF"
    helgesen = _row(records, "Organisering for samarbeid")
    assert helgesen["year"] == 2006
    if name == "oria_primo.ris":
        assert "systemnivået" in helgesen["abstract"] and "også" in helgesen["abstract"]
        assert _row(records, "Norwegian home care")["authors"] == "Vabø, Mia"
    else:
        assert "«tildeling»" in helgesen["raw"] and "æ ø å" in helgesen["raw"]


def test_scopus_csv(exports):
    records, info = _read(exports, "scopus.csv", "scopus_csv")
    assert info["bom"] and info["newline"] == "CRLF"
    tricco = _row(records, "PRISMA extension")
    assert tricco["authors"] == "Tricco, Andrea C.; Lillie, Erin; Zarin, Wasifa"  # Scopus ids dropped
    assert json.loads(tricco["source_ids"]) == {"eid": "2-s2.0-00000000001", "pmid": "30178033"}
    assert tricco["line"] == 2 and tricco["pages"] == "467-473"
    vabo = _row(records, "Norwegian home care")
    assert vabo["authors"] == "Vabø, Mia" and "«tildeling»" in vabo["abstract"] and pd.isna(vabo["doi"])


def test_publish_or_perish_csv(exports):
    records, _ = _read(exports, "scholar_pop.csv", "scholar_csv")
    assert list(records["authors"]) == ["M Vabø", "MK Helgesen"]
    assert list(records["year"]) == [2012, 2006]
    assert records["doi"].isna().all()


def test_bibtex_latex_accents(exports):
    records, _ = _read(exports, "team_knowledge.bib", "bibtex")
    vabo = _row(records, "Norwegian home care")
    assert vabo["authors"] == "Vabø, Mia"
    assert vabo["container"] == "Health & Social Care in the Community"
    assert vabo["pages"] == "283-291"
    helgesen = _row(records, "Organisering")
    assert "systemnivået" in helgesen["abstract"]
    assert helgesen["pub_type"] == "RPRT" and helgesen["line"] == 15


def test_web_of_science(exports):
    records, info = _read(exports, "web_of_science.txt", "wos")
    assert info["bom"]
    tricco = _row(records, "PRISMA Extension")
    assert tricco["title"].endswith("Checklist and Explanation")  # continuation joined
    assert tricco["authors"] == "Tricco, Andrea C.; Lillie, Erin; Zarin, Wasifa"  # one author per line
    assert json.loads(tricco["source_ids"]) == {"pmid": "30178033", "wos": "WOS:000000000000001"}
    assert tricco["line"] == 3
    assert _row(records, "Norwegian home care")["authors"] == "Vabø, Mia"


def test_endnote_xml(exports):
    records, _ = _read(exports, "endnote.xml", "endnote_xml")
    page = _row(records, "The PRISMA 2020")
    assert page["doi"] == "10.1136/bmj.n71" and page["issn"] == "1756-1833"
    assert "Hróbjartsson, A." in page["authors"]
    helgesen = _row(records, "Organisering")
    assert helgesen["pub_type"] == "RPRT" and "målsettingen er å peke" in helgesen["abstract"]
    assert list(records["position"]) == [1, 2] and list(records["line"]) == [1, 1]


def test_endnote_xml_real_respiratory_benchmark():
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "shared/benchmarks/dedup/respiratory/Respiratory.xml"
    if not path.exists():
        pytest.skip("shared benchmark data not present")
    records, problems, _ = read_file(path, "endnote_xml", source="resp")
    assert len(problems) == 0
    assert len(records) == path.read_text(encoding="utf-8").count("<record>")
    assert records["title"].notna().mean() > 0.95
    assert records["record_id"].is_unique


def test_rayyan_csv(exports):
    records, _ = _read(exports, "rayyan.csv", "rayyan_csv")
    tricco = _row(records, "PRISMA Extension")
    assert tricco["authors"] == "Tricco, AC; Lillie, E; Zarin, W"
    assert json.loads(tricco["source_ids"]) == {"pmid": "30178033", "rayyan": "1000001"}


def test_sage_atypon_ris(exports):
    records, info = _read(exports, "sage_atypon.ris", "ris")
    row = records.iloc[0]
    assert info["newline"] == "CRLF"
    assert row["doi"] == "10.1177/11786329241238883"    # only in "M3  - doi: ..."
    assert row["year"] == 2024 and row["container"] == "Health Services Insights"


def test_idunn_ris(exports):
    records, _ = _read(exports, "idunn.ris", "ris")
    article = _row(records, "Når sektorbåndene slites")
    assert article["year"] == 2007                      # PY, not the Y2 access date
    assert article["container"] == "Tidsskrift for samfunnsforskning"
    chapter = _row(records, "Tildelingskontoret")
    assert (chapter["pub_type"], chapter["container"], chapter["language"]) == ("CHAP", "Offentleg sektor i endring", "nor")
    assert records["doi"].isna().all()


def test_rayyan_ris(exports):
    records, _ = _read(exports, "rayyan.ris", "ris")
    tricco = _row(records, "PRISMA Extension")
    assert (tricco["container"], tricco["doi"], tricco["pages"]) == ("Annals of internal medicine", "10.7326/M18-0850",
                                                                     "467-473")
    assert "RAYYAN-INCLUSION" in tricco["raw"]
    assert _row(records, "Norwegian home care")["authors"] == "Vabø, M"


def test_same_work_from_two_databases_keeps_both_rows_and_provenance(exports):
    pubmed, _ = _read(exports, "pubmed.nbib", "medline")
    embase, _ = _read(exports, "embase.ris", "ris")
    both = pd.concat([pubmed, embase])
    assert (both["doi"] == "10.7326/M18-0850").sum() == 2
    assert both["record_id"].is_unique


# Round trips: canonical rows -> writer -> reader -> the same canonical fields.
SAMPLE = [
    make_record(title="Tildeling av helse- og omsorgstjenester: bestiller–utfører og tillitsmodellen",
                authors=["Øydgard, Gunn", "Sundsbø, Åse", "Slåtsveen, Kari"], year="2019",
                container="Tidsskrift for omsorgsforskning", volume="5", issue="2", pages="114-127",
                doi="10.18261/issn.2387-5984-2019-02-04", issn="2387-5984",
                abstract="Studien ser på «tildeling» i kommunene. Æ, ø og å.", keywords=["tildeling", "kommune"],
                language="nor", url="https://www.idunn.no/", pub_type="JOUR"),
    make_record(title="Koordinerende enhet i to kommuner", authors=["Løken, Eva"], year="2017",
                container="Høgskolen i Innlandet", pages="1-80", pub_type="JOUR"),
]
# Fields each format can carry (url and source ids are format-specific).
CARRIED = {
    "ris": set(FIELDS) - {"source_ids"},
    "medline": set(FIELDS) - {"url", "source_ids"},
    "bibtex": set(FIELDS) - {"source_ids"},
    "scopus_csv": set(FIELDS) - {"source_ids"},
    "wos": set(FIELDS) - {"url", "source_ids"},
    "scholar_csv": set(FIELDS) - {"source_ids", "keywords", "language", "isbn"},
    "endnote_xml": set(FIELDS) - {"source_ids", "isbn"},
    "rayyan_csv": set(FIELDS) - {"source_ids", "isbn"},
}


def _for_format(fmt, rec):
    rec = dict(rec)
    if fmt == "scholar_csv":  # Google Scholar writes "G Øydgard"
        rec["authors"] = "; ".join(a.split(", ")[1][0] + " " + a.split(", ")[0] for a in rec["authors"].split("; "))
    return rec


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_round_trip(fmt, tmp_path):
    assert set(CARRIED) == set(FORMATS)
    rows = [_for_format(fmt, r) for r in SAMPLE]
    path = tmp_path / f"export{FORMATS[fmt].suffix}"
    path.write_text(FORMATS[fmt].write(rows), encoding="utf-8")
    records, problems, _ = read_file(path, fmt, source="s")
    assert len(problems) == 0 and len(records) == len(rows)
    for want, (_, got) in zip(rows, records.iterrows()):
        for name in sorted(CARRIED[fmt]):
            value = got[name]
            value = None if pd.isna(value) else value
            assert value == want[name], f"{fmt}: field {name}"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_written_then_read_twice_gives_the_same_ids(fmt, tmp_path):
    rows = [_for_format(fmt, r) for r in SAMPLE]
    path = tmp_path / f"export{FORMATS[fmt].suffix}"
    text = FORMATS[fmt].write(rows)
    path.write_text(text, encoding="utf-8")
    first = read_file(path, fmt, source="s")[0]["record_id"].tolist()
    # Re-saved with a BOM and Windows line endings: same records, same ids.
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert read_file(path, fmt, source="s")[0]["record_id"].tolist() == first


FIXTURES = [("pubmed.nbib", "medline"), ("cinahl_ebsco.ris", "ris"), ("embase.ris", "ris"),
            ("oria_primo.ris", "ris"), ("rayyan.ris", "ris"), ("sage_atypon.ris", "ris"), ("idunn.ris", "ris"), ("scopus.csv", "scopus_csv"),
            ("scholar_pop.csv", "scholar_csv"), ("team_knowledge.bib", "bibtex"),
            ("web_of_science.txt", "wos"), ("endnote.xml", "endnote_xml"), ("rayyan.csv", "rayyan_csv")]


@pytest.mark.parametrize("name, fmt", FIXTURES)
def test_fixture_round_trip(exports, tmp_path, name, fmt):
    """Read a real-looking export, write it in the same format, read it again: nothing is lost."""
    first, _ = _read(exports, name, fmt)
    rows = [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in first[FIELDS].to_dict("records")]
    path = tmp_path / name
    path.write_text(FORMATS[fmt].write(rows), encoding="utf-8")
    again, _ = _read(tmp_path, name, fmt)
    assert len(again) == len(first)
    for name_ in sorted(CARRIED[fmt]):
        a = [None if pd.isna(v) else v for v in first[name_]]
        b = [None if pd.isna(v) else v for v in again[name_]]
        assert a == b, f"{fmt}: field {name_}"


def test_bibtex_keeps_urls_verbatim_and_braced_corporate_authors_whole(tmp_path):
    path = tmp_path / "zotero.bib"
    path.write_text("@techreport{hdir2017,\n  title = {Veileder for saksbehandling \\& tildeling},\n"
                    "  author = {{Helsedirektoratet and Kommunenes Sentralforbund} and L{\\o}ken, Eva},\n"
                    "  url = {https://www.helsedirektoratet.no/veiledere/a_b?x=%20y},\n"
                    "  year = {2017}\n}\n", encoding="utf-8")
    records, _, _ = read_file(path, "bibtex")
    row = records.iloc[0]
    assert row["authors"] == "Helsedirektoratet and Kommunenes Sentralforbund; Løken, Eva"
    assert row["url"] == "https://www.helsedirektoratet.no/veiledere/a_b?x=%20y"
    assert row["title"] == "Veileder for saksbehandling & tildeling"


def test_medline_full_names_and_group_authors(tmp_path):
    path = tmp_path / "pubmed.nbib"
    path.write_text("PMID- 1\nTI  - Samhandling i kommunene.\nDP  - 2019\nFAU - Løken, Eva\nAU  - Løken E\n"
                    "FAU - Tønnessen, Siri\nAU  - Tønnessen S\nCN  - Nasjonalt kompetansesenter for omsorgsforskning\n",
                    encoding="utf-8")
    row = read_file(path, "medline")[0].iloc[0]
    assert row["authors"] == "Løken, Eva; Tønnessen, Siri; Nasjonalt kompetansesenter for omsorgsforskning"
