"""The search log: per source, what the searcher recorded beside what was actually read."""
from __future__ import annotations

import pandas as pd

from ..protocol import Protocol

SEARCH_LOG_COLUMNS = ["source_id", "source_name", "kind", "search_date", "query", "hits_recorded",
                      "records_read", "records_skipped", "differs", "note"]


def search_log(protocol: Protocol, result) -> pd.DataFrame:
    """One row per protocol source (databases and other methods), in protocol order.

    ``differs`` is True where the searcher recorded a hit count and it is not the number read.
    """
    read = result.records["source"].value_counts() if len(result.records) else pd.Series(dtype=int)
    skipped = result.problems["source_id"].value_counts() if len(result.problems) else pd.Series(dtype=int)
    rows = []
    for s in protocol.sources:
        n_read = int(read.get(s.id, 0))
        notes = [s.note] if s.note else []
        if not s.files:
            notes.append("No export file named in the protocol.")
        if s.hits_recorded is None:
            notes.append("No hit count recorded.")
        rows.append({
            "source_id": s.id, "source_name": s.name, "kind": s.kind, "search_date": s.search_date,
            "query": s.query, "hits_recorded": s.hits_recorded, "records_read": n_read,
            "records_skipped": int(skipped.get(s.id, 0)),
            "differs": s.hits_recorded is not None and s.hits_recorded != n_read,
            "note": " ".join(notes) or None,
        })
    df = pd.DataFrame(rows, columns=SEARCH_LOG_COLUMNS)
    df["hits_recorded"] = df["hits_recorded"].astype("Int64")
    df["differs"] = df["differs"].astype(bool)
    return df
