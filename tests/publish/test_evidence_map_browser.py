"""The evidence map in headless Chromium: two filters, every cell's count against pandas, a cell opened."""
from __future__ import annotations

import os

import pytest

from review.publish.evidence_map import render_page

from .conftest import EXTRACTION, crosstab, evidence_map

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("REVIEW_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def page(tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pg = browser.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        # Any request leaving the file would mean the page is not self-contained.
        requests: list[str] = []
        pg.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file:") else None)
        yield pg, errors, requests, tmp_path
        browser.close()


def _cells(pg) -> dict[tuple[str, str], int]:
    found = pg.eval_on_selector_all(
        ".evmap-cell", "els => els.map(e => [e.dataset.row, e.dataset.col, +e.dataset.count])")
    return {(r, c): n for r, c, n in found}


def test_two_filters_give_pandas_counts_and_a_cell_lists_its_studies(page, protocol, form):
    pg, errors, requests, tmp = page
    m = evidence_map(protocol, form, "en")
    path = tmp / "evidence_map.html"
    path.write_text(render_page(m), encoding="utf-8")
    pg.goto(path.as_uri())

    assert _cells(pg) == {k: crosstab(EXTRACTION, protocol).get(k, 0) for k in _cells(pg)}

    pg.check(".evmap-filter[data-column=method_class] input[value=qualitative]")
    pg.check(".evmap-filter[data-column=perspectives] input[value=providers]")
    shown = _cells(pg)

    def keep(row):
        return row.method_class == "qualitative" and "providers" in [p.strip() for p in row.perspectives.split(";")]

    expected = crosstab(EXTRACTION, protocol, keep)
    assert shown == {k: expected.get(k, 0) for k in shown}
    assert sum(shown.values()) < sum(_cells_unfiltered(m).values())  # the filters did narrow

    row, col = max(expected, key=expected.get)
    pg.click(f".evmap-cell[data-row={row}][data-col={col}]")
    listed = pg.eval_on_selector_all(".evmap-study", "els => els.map(e => e.dataset.study)")
    assert len(listed) == expected[(row, col)]
    assert pg.locator(".evmap-panel .evmap-finding").count() >= 1
    assert errors == [] and requests == []


def _cells_unfiltered(m):
    counts = m.counts()
    return {(r, c): int(counts.loc[r, c]) for r in counts.index for c in counts.columns}
