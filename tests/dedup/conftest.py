import json

import pandas as pd
import pytest

from review.dedup import deduplicate

COLUMNS = ["record_id", "source", "source_kind", "file", "position", "line", "title", "authors", "year",
           "container", "volume", "issue", "pages", "doi", "issn", "isbn", "abstract", "keywords",
           "language", "url", "pub_type", "source_ids", "raw"]


def rec(record_id, *, source="medline", source_kind="database", file="exports/medline.txt", position=1,
        **fields):
    row = {c: "" for c in COLUMNS}
    row.update(record_id=record_id, source=source, source_kind=source_kind, file=file, position=position,
               line=position * 10)
    for k, v in fields.items():
        row[k] = json.dumps(v) if k == "source_ids" and isinstance(v, dict) else v
    return row


def table(*rows):
    rows = list(rows)
    for k, r in enumerate(rows, start=1):
        if r["position"] == 1 and k > 1 and all(x["file"] == r["file"] for x in rows[:k]):
            r["position"] = k
    return pd.DataFrame(rows, columns=COLUMNS)


def works_of(result):
    """Members of each work as sets of record ids."""
    return sorted(sorted(m.split("; ")) for m in result.works["member_ids"])


def pair_row(result, a, b):
    a, b = sorted((a, b))
    p = result.pairs
    hit = p[(p.record_id_a == a) & (p.record_id_b == b)]
    assert len(hit) == 1, f"pair {a}-{b} not in the audit"
    return hit.iloc[0]


@pytest.fixture
def dedup():
    return deduplicate
