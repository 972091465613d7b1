"""The spreadsheet never runs text as a formula; the publication table follows the report's appendix."""
from openpyxl import load_workbook

from review.extraction import extraction_table, load_studies, publication_table
from review.extraction.report import wrap_columns
from review.outputs import save_table

from .conftest import copy_studies, edit_study


def test_xlsx_neutralises_formulas(tmp_path, form):
    folder = copy_studies(tmp_path / "s", ["kassah2016", "sundt2010"])
    def change(d):
        d["aim"] = '=HYPERLINK("http://example.org","klikk")'
        d["findings"] = "-1 av 7 sykepleiere; +2 andre"
        d["sample"] = "@ansatte"
    edit_study(folder / "kassah2016.yaml", change)
    table = extraction_table(load_studies(folder), form)
    save_table(table, "extraction", tmp_path / "out", xlsx=True, wrap_columns=wrap_columns(table))
    ws = load_workbook(tmp_path / "out" / "extraction.xlsx").active
    header = [c.value for c in ws[1]]
    row = {h: c for h, c in zip(header, ws[2])}
    assert row["study_id"].value == "kassah2016"
    for col, text in [("aim", '=HYPERLINK'), ("findings", "-1 av"), ("sample", "@ansatte")]:
        assert row[col].data_type != "f" and row[col].value.startswith("'" + text)
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    assert row["findings"].alignment.wrap_text
    # The CSV keeps the text as written.
    csv = (tmp_path / "out" / "extraction.csv").read_text(encoding="utf-8")
    assert '"=HYPERLINK(""http://example.org"",""klikk"")"' in csv


def test_publication_table_layout_and_language(flagship, form):
    nb = publication_table(flagship, form)
    assert list(nb.columns)[0] == "Førsteforfatter (årstall), type publikasjon"
    assert list(nb.columns)[-1] == "Funn inkludert i kunnskapsoppsummeringen"
    first = nb.iloc[:, 0].tolist()
    assert len(first) == 24
    assert first[0].startswith("Angelsen m.fl. (2024)") and first[-1].startswith("Øydgard (2022)")
    assert any(c.startswith("Sundsbø (2024) *, vitenskapelig artikkel") for c in first)
    en = publication_table(flagship, form, lang="en")
    assert list(en.columns)[0] == "First author (year), publication type"
    assert any(c.startswith("Angelsen et al. (2024), Journal article") for c in en.iloc[:, 0])
    assert any("(not stated)" in c for c in en.iloc[:, 2])
