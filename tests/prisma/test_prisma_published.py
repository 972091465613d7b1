"""The published figure: counts file, arithmetic check computed from it, the redrawn figure."""
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from review.errors import MissingInputError, ValidationError
from review.outputs import save_figure
from review.prisma import draw_published, load_published, not_in_chain, published_check
from review.prisma.labels import fmt_n

REPO = Path(__file__).resolve().parents[2]
FLAGSHIP = REPO / "published" / "prisma_counts.yaml"
SLIP = REPO / "tests" / "fixtures" / "prisma" / "published_counts_slip.yaml"
SEED = REPO.parent / "shared" / "seeds" / "003_3f161847e15737fb.txt"


def _row(check, prefix):
    rows = check[check.step.str.startswith(prefix)]
    assert len(rows) == 1, (prefix, check.step.tolist())
    return rows.iloc[0]


def test_flagship_counts_match_the_report_text():
    if not SEED.exists():
        pytest.skip("the seed text of the report is not available here")
    text = SEED.read_text(encoding="utf-8")
    start = text.index("FLYTSKJEMA", text.index("Noe du "))  # the appendix heading, not the TOC
    chart = text[start:start + 1500]
    flow = load_published(FLAGSHIP)
    for box in flow.boxes:
        for item in box.items:
            assert re.search(rf"\(n\s*=\s*{item.n}\)", chart), (item.id, item.n)
    stated = re.search(r"Totalt (\d+) unike publikasjoner ble screenet, (\d+) ble lest i fulltekst "
                       r"og (\d+) ble til slutt", text)
    assert [int(g) for g in stated.groups()] == [flow.one("screened").n, flow.one("assessed").n,
                                                 flow.one("included").n]


def test_flagship_check_is_computed_from_the_file():
    flow = load_published(FLAGSHIP)
    check = published_check(flow, "en")
    identified = sum(i.n for b in flow.role("identified") for i in b.items)
    removed = sum(i.n for b in flow.role("removed") for i in b.items)
    assert _row(check, "Identified via databases and other sources").n == identified
    left = _row(check, "= left after removal")
    assert left.n == identified - removed and left.status == "derived"
    screened = _row(check, "= screened, computed")
    assert screened.n == flow.one("screened").n and screened.note == "matches the stated number"
    # The other-method count that closes the gap is added; the other one is in no box.
    added = _row(check, "+ ")
    missing = not_in_chain(flow)
    assert added.n == flow.one("screened").n - (identified - removed)
    assert [i.id for i in missing] == ["citation_search"]
    slip = _row(check, "Citation search: in no box")
    assert slip.n == missing[0].n and fmt_n(flow.one("screened").n + missing[0].n, "en") in slip.note
    ta = _row(check, "Excluded at title/abstract")
    assert ta.n == flow.one("screened").n - flow.one("assessed").n
    assert ta.status == "derived" and "never states" in ta.note
    assert set(check.status) == {"stated", "derived"}
    assert (check.loc[check.status == "stated", "where"] != "").all()


def test_a_different_file_gives_a_different_check():
    flow = load_published(SLIP)
    check = published_check(flow, "en")
    screened = _row(check, "= screened, computed")
    # 65 − 15 = 50: no other-method count is needed, so both are in no box.
    assert screened.n == 50 and screened.note == "matches the stated number"
    assert {i.id for i in not_in_chain(flow)} == {"citation_search", "team_knowledge"}
    included = _row(check, "= included, computed")
    assert included.n == 8 and "differs from the stated 9 by -1" in included.note


def test_gap_no_other_method_explains_is_reported(tmp_path):
    data = yaml.safe_load(SLIP.read_text(encoding="utf-8"))
    data["boxes"][2]["items"][0]["n"] = 57  # screened: 50 + 7, and 7 is neither 12, 3 nor 15
    path = tmp_path / "counts.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    screened = _row(published_check(load_published(path), "en"), "= screened, computed")
    assert "differs from the stated 57 by -7" in screened.note
    assert "no combination of the other methods explains the gap of 7" in screened.note


def test_bad_counts_file_names_the_key(tmp_path):
    data = yaml.safe_load(SLIP.read_text(encoding="utf-8"))
    data["boxes"][0]["items"][1]["n"] = "many"
    path = tmp_path / "counts.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"counts\.yaml: key 'boxes\.0\.items\.1\.n'"):
        load_published(path)
    with pytest.raises(MissingInputError, match="published_counts"):
        load_published(tmp_path / "nope.yaml")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_published_figure_shows_each_number_and_the_check(tmp_path, svg_boxes, lang):
    flow = load_published(FLAGSHIP)
    boxes = svg_boxes(save_figure(draw_published(flow, lang), "prisma_published", tmp_path)["svg"])
    for box in flow.boxes:
        shown = boxes[f"pub-{box.id}"]
        for item in box.items:
            assert f"(n = {fmt_n(item.n, lang)})".replace("\u00a0", " ") in shown, (box.id, shown)
    assert "(n = 192) ¹" in boxes["pub-other_methods"]
    check = published_check(flow, lang)
    shown = boxes["published-check"]
    screened = check[check.calculation.str.contains(f"+ {fmt_n(11, lang)} (", regex=False)].iloc[0]
    assert f"{screened.calculation} = {fmt_n(screened.n, lang)}*".replace("\u00a0", " ") in shown
    assert f"{fmt_n(694, lang)} − 110 = 584*".replace("\u00a0", " ") in shown
    assert "110 − 86 = 24*" in shown
    assert "¹" in shown and fmt_n(192, lang) in shown


def test_reconciliation_sets_published_beside_computed(tables, protocol):
    from review.prisma import compute_counts, reconcile

    flow = load_published(FLAGSHIP)
    c = compute_counts(tables, protocol)
    table = reconcile(flow, c, "en").set_index("item")
    assert table.loc["PubMed", "published"] == 47 and table.loc["PubMed", "computed"] == c.databases["pubmed"]
    assert table.loc["PubMed", "difference"] == c.databases["pubmed"] - 47
    # A published source the data does not have stays empty, and no number is copied across.
    assert pd.isna(table.loc["Sage", "computed"]) and pd.isna(table.loc["Sage", "difference"])
    assert table.loc["Duplicates", "computed"] == c.duplicates + c.other_duplicates
    included = reconcile(flow, c, "en").iloc[-1]
    assert (included.published, included.computed) == (24, c.studies_included)
