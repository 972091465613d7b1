"""The evidence map's data: counts match pandas on extraction.csv; data cannot break out as HTML."""
import json
import re

import pandas as pd

from review.publish.evidence_map import render_fragment, render_page

from .conftest import EXTRACTION, crosstab, evidence_map


def test_cell_counts_equal_a_crosstab_of_extraction(protocol, form):
    m = evidence_map(protocol, form)
    expected = crosstab(EXTRACTION, protocol)
    counts = m.counts()
    for r in m.rows.ids:
        for c in m.cols.ids:
            assert counts.loc[r, c] == expected.get((r, c), 0), (r, c)
    assert counts.to_numpy().sum() > 0


def test_filters_are_the_forms_choice_fields_with_its_labels(protocol, form):
    nb = evidence_map(protocol, form, "nb")
    en = evidence_map(protocol, form, "en")
    cols = [v.column for v in nb.variables]
    assert "method_class" in cols and "perspectives" in cols and "models" not in cols
    by = {v.column: v for v in en.variables}
    assert by["method_class"].label == form.field("method_class").label("en")
    assert ("qualitative", form.value_label("method_class", "qualitative", "en")) in by["method_class"].values
    assert {v.column: v for v in nb.variables}["method_class"].label == form.field("method_class").label("nb")


def test_data_in_the_page_cannot_close_the_script(protocol, form, tmp_path):
    raw = pd.read_csv(EXTRACTION, dtype=str, keep_default_na=False)
    evil = '</script><script>alert(1)</script><!-- & "'
    raw.loc[0, "q_coordinated"] = "true"
    raw.loc[0, "q_coordinated_findings"] = evil
    raw.loc[0, "first_author"] = "<img src=x onerror=alert(2)>"
    path = tmp_path / "extraction.csv"
    raw.to_csv(path, index=False)
    m = evidence_map(protocol, form, path=path)
    fragment = render_fragment(m)
    assert "</script><script>alert(1)" not in fragment
    assert "<img src=x" not in fragment
    data = re.search(r'<script type="application/json" id="evmap-data">(.*?)</script>', fragment, re.S).group(1)
    payload = json.loads(data)
    assert evil in [c["finding"] for c in payload["cells"]]   # the text survives, as text
    page = render_page(m)
    assert page.count("<script") == 2 and "http" not in page.split("<body>")[0].replace("http-equiv", "")
