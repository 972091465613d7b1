"""Deduplication: normalise, block, score pairs with rapidfuzz, group without chaining, merge, audit.

Public API: ``deduplicate(records, *, overrides_path=None, progress=False) -> DedupResult``.
See docs/dedup.md for the method and the rules.
"""
from review.dedup.engine import (
                                 BIBLIOGRAPHIC_COLUMNS,
                                 PAIR_COLUMNS,
                                 WORK_COLUMNS,
                                 DedupResult,
                                 deduplicate,
                                 member_order,
)
from review.dedup.overrides import OVERRIDE_COLUMNS, read_overrides
from review.dedup.rules import RULES

__all__ = ["deduplicate", "DedupResult", "member_order", "read_overrides", "RULES",
           "WORK_COLUMNS", "PAIR_COLUMNS", "BIBLIOGRAPHIC_COLUMNS", "OVERRIDE_COLUMNS"]
