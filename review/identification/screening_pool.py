"""The works that go to screening: deduplicated works minus those outside the protocol's dates."""
from __future__ import annotations

import pandas as pd

from ..protocol import Protocol

REMOVED_COLUMNS = ["work_id", "reason"]


def prefilter(works: pd.DataFrame, protocol: Protocol) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split ``works`` into (pool, removed). Works with no year stay in: a person decides those."""
    start, end = protocol.date_range.start, protocol.date_range.end
    year = pd.to_numeric(works["year"], errors="coerce") if "year" in works else pd.Series(
        float("nan"), index=works.index)
    before = year < start
    after = year > end
    out = before | after
    reasons = pd.Series("", index=works.index, dtype=object)
    reasons[before] = year[before].map(lambda y: f"published {int(y)}, before the protocol's date range "
                                                 f"{start}–{end}")
    reasons[after] = year[after].map(lambda y: f"published {int(y)}, after the protocol's date range "
                                               f"{start}–{end}")
    removed = pd.DataFrame({"work_id": works.loc[out, "work_id"], "reason": reasons[out]},
                           columns=REMOVED_COLUMNS)
    removed = removed.sort_values("work_id", kind="stable").reset_index(drop=True)
    pool = works.loc[~out].sort_values("work_id", kind="stable").reset_index(drop=True)
    return pool, removed
