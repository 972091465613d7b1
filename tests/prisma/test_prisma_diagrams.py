"""The flow diagrams: every box in the SVG shows the number computed from the data."""
import re

import pytest

from review.outputs import save_figure
from review.prisma import compute_counts, draw_prisma
from review.prisma.labels import fmt_n, n_text, text


def _plain(s: str) -> str:
    return " ".join(s.replace("\u00a0", " ").split())


def _n(n, lang):
    return _plain(n_text(n, lang))


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_box_shows_the_computed_number(tables, protocol, tmp_path, svg_boxes, lang):
    c = compute_counts(tables, protocol)
    paths = save_figure(draw_prisma(c, protocol, lang), "prisma", tmp_path)
    assert {p.suffix for p in paths.values()} == {".svg", ".png", ".pdf"}
    boxes = svg_boxes(paths["svg"])
    expect_in = {
        "records_identified": [_n(c.identified_databases, lang)]
        + [f"{protocol.source(s).name} {_n(n, lang)}" for s, n in c.databases.items()],
        "removed_before_screening": [f"{text('duplicates', lang)} {_n(c.duplicates, lang)}",
                                     f"{text('removed_other_reasons', lang)} {_n(sum(c.removed_other.values()), lang)}"],
        "other_identified": [_n(c.identified_other, lang)],
        "other_removed": [_n(c.other_duplicates, lang)],
        "records_screened": [_n(c.records_screened, lang)],
        "records_excluded": [_n(c.records_excluded, lang)],
        "reports_sought": [_n(c.reports_sought, lang)],
        "reports_not_retrieved": [_n(c.reports_not_retrieved, lang)],
        "reports_assessed": [_n(c.reports_assessed, lang)],
        "reports_excluded": [_n(c.reports_excluded, lang)]
        + [_n(v, lang) for v in c.reports_excluded_reasons.values() if v],
        "other_reports_sought": [_n(c.other_reports_sought, lang)],
        "other_reports_not_retrieved": [_n(c.other_reports_not_retrieved, lang)],
        "other_reports_assessed": [_n(c.other_reports_assessed, lang)],
        "other_reports_excluded": [_n(c.other_reports_excluded, lang)],
        "studies_included": [_n(c.studies_included, lang)],
    }
    for box, wanted in expect_in.items():
        for w in wanted:
            assert w in boxes[box], (box, w, boxes[box])
    # Each exclusion reason is named with its count, in the figure's language.
    label = next(t.label(lang) for t in protocol.stage("full_text").exclusion_reasons
                 if t.id == "no_staff_experience")
    assert _plain(label) in boxes["reports_excluded"]
    # Removals are named by the protocol's reason, not by the year-specific text in the table.
    dates = next(t.label(lang) for t in protocol.stage("title_abstract").exclusion_reasons
                 if t.id == "outside_date_range")
    assert f"{_plain(dates)} {_n(c.removed_other['outside_date_range'], lang)}" in boxes["removed_before_screening"]
    # The screened box shows exactly one number, the screened one.
    assert re.findall(r"n = ([\d ,]+)\)", boxes["records_screened"]) == [fmt_n(c.records_screened, "en")]


def test_language_changes_the_labels(tables, protocol, tmp_path, svg_boxes):
    c = compute_counts(tables, protocol)
    nb = svg_boxes(save_figure(draw_prisma(c, protocol, "nb"), "nb", tmp_path)["svg"])
    en = svg_boxes(save_figure(draw_prisma(c, protocol, "en"), "en", tmp_path)["svg"])
    assert nb["records_screened"].startswith("Poster screenet")
    assert en["records_screened"].startswith("Records screened")
    assert "Siteringssøk" in nb["other_identified"] and "Citation search" in en["other_identified"]


def test_thousands_are_grouped_per_language():
    assert fmt_n(1084, "en") == "1,084"
    assert fmt_n(1084, "nb") == "1\u00a0084"


def test_svg_is_byte_identical_on_rerun(tables, protocol, tmp_path):
    c = compute_counts(tables, protocol)
    a = save_figure(draw_prisma(c, protocol), "a", tmp_path)["svg"].read_bytes()
    b = save_figure(draw_prisma(c, protocol), "b", tmp_path)["svg"].read_bytes()
    assert a == b


def test_unused_reasons_are_left_out_of_the_box(tables, protocol, tmp_path, svg_boxes):
    c = compute_counts(tables, protocol)
    assert c.reports_excluded_reasons["not_norway"] == 0  # screening writes every reason, used or not
    boxes = svg_boxes(save_figure(draw_prisma(c, protocol, "en"), "p", tmp_path)["svg"])
    assert "Not about Norway" not in boxes["reports_excluded"]


def test_review_without_other_methods_gets_the_databases_only_variant(tables, protocol, tmp_path, svg_boxes):
    import pandas as pd

    # Drop the citation search and the team's knowledge from every table.
    records = pd.read_csv(tables / "records.csv", dtype=str, keep_default_na=False)
    other_ids = set(records.loc[records.source_kind == "other", "record_id"])
    records[records.source_kind == "database"].to_csv(tables / "records.csv", index=False)
    log = pd.read_csv(tables / "search_log.csv", dtype=str, keep_default_na=False)
    log[log.kind == "database"].to_csv(tables / "search_log.csv", index=False)
    works = pd.read_csv(tables / "deduplicated.csv", dtype=str, keep_default_na=False)
    works = works[works.route == "database"].copy()
    works["member_ids"] = works.member_ids.map(
        lambda m: "; ".join(r for r in m.split("; ") if r not in other_ids))
    works.to_csv(tables / "deduplicated.csv", index=False)
    pool = pd.read_csv(tables / "screening_pool.csv", dtype=str, keep_default_na=False)
    pool[pool.route == "database"].to_csv(tables / "screening_pool.csv", index=False)
    counts = pd.read_csv(tables / "screening_counts.csv", dtype=str)
    db_included = int(counts.set_index("measure").value["reports_assessed"]) - int(
        counts.set_index("measure").value["reports_excluded"])
    counts.loc[counts.measure.str.startswith("other_"), "value"] = "0"
    counts.loc[counts.measure == "studies_included", "value"] = str(db_included)
    counts.to_csv(tables / "screening_counts.csv", index=False)

    c = compute_counts(tables, protocol)
    from review.prisma import assert_balanced

    assert_balanced(c)
    boxes = svg_boxes(save_figure(draw_prisma(c, protocol, "en"), "db_only", tmp_path)["svg"])
    assert not any(b.startswith(("other_", "head_other")) for b in boxes)
    assert _n(c.studies_included, "en") in boxes["studies_included"]
