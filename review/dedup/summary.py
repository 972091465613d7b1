"""What the report shows of a deduplication: the rules that decided, and the reviewers' overrides."""
from __future__ import annotations

import pandas as pd

from .rules import RULES


def rule_summary(pairs: pd.DataFrame) -> pd.DataFrame:
    """Pairs considered, by decision and the rule that decided, with what the rule means."""
    cols = ["decision", "rule", "pairs", "meaning"]
    if pairs.empty:
        return pd.DataFrame(columns=cols)
    counts = (pairs.groupby(["decision", "rule"], dropna=False).size().rename("pairs").reset_index()
              .sort_values(["decision", "pairs", "rule"], ascending=[False, False, True]))
    counts["meaning"] = [RULES.get(r, ("", ""))[1] for r in counts["rule"]]
    return counts[cols].reset_index(drop=True)


def overrides_for_report(overrides: pd.DataFrame) -> pd.DataFrame:
    """The overrides applied, newest last, without bookkeeping columns."""
    keep = [c for c in ("timestamp", "reviewer", "record_id_a", "record_id_b", "decision", "reason")
            if c in overrides.columns]
    return overrides[keep].sort_values(keep[:1] + keep[2:4]).reset_index(drop=True) if keep else overrides


def refused_links(pairs: pd.DataFrame) -> pd.DataFrame:
    """Pairs the rules call the same but grouping kept apart, because two already screened works
    would have merged. A reviewer decides these with an override."""
    cols = ["record_id_a", "record_id_b", "rule", "note"]
    if pairs.empty or "note" not in pairs.columns:
        return pd.DataFrame(columns=cols)
    hit = pairs[pairs["note"].fillna("").str.contains("(screened_apart)", regex=False)]
    return hit[cols].reset_index(drop=True)
