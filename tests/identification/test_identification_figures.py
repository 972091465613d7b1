"""The records-per-source figure shows the log's numbers; the dedup summary adds up."""
import re

import pandas as pd

from review.identification.figures import dedup_summary, records_per_source_figure
from review.outputs import save_figure


def test_records_per_source_svg_shows_every_count(tmp_path):
    log = pd.DataFrame({"source_name": ["PubMed", "Scopus", "Sitering"], "records_read": [4, 19, 74],
                        "hits_recorded": pd.array([47, None, 192], dtype="Int64")})
    fig = records_per_source_figure(log, lang="en")
    save_figure(fig, "records_per_source", tmp_path)
    svg = (tmp_path / "records_per_source.svg").read_text(encoding="utf-8")
    texts = re.findall(r">([^<>]+)</text>", svg)
    for value in ("4", "47", "19", "74", "192", "not recorded", "PubMed", "Sitering"):
        assert value in [t.strip() for t in texts], value
    assert "#0072b2" in svg.lower() and "#e69f00" in svg.lower()


def test_dedup_summary_counts():
    records = pd.DataFrame({"record_id": list("abcdef")})
    works = pd.DataFrame({"work_id": ["w1", "w2", "w3"], "n_members": [3, 2, 1],
                          "sources": ["pubmed; cinahl", "cinahl", "citation_search"],
                          "route": ["database", "database", "other"]})
    got = dict(dedup_summary(records, works).values.tolist())
    assert got == {"records_read": 6, "works_after_deduplication": 3, "duplicate_records_removed": 3,
                   "works_with_more_than_one_record": 2, "works_found_in_more_than_one_source": 1,
                   "works_route_database": 2, "works_route_other": 1}
