"""PRISMA 2020: counts from the stage tables, box checks, flow diagrams, the published figure."""
from .counts import (
                     PrismaCounts,
                     assert_balanced,
                     box_checks,
                     check_table,
                     compute_counts,
                     pending_warnings,
                     read_screening_counts,
)
from .diagram import draw_prisma
from .published import draw_published, load_published, not_in_chain, published_check, reconcile
from .template import prisma2020_template

__all__ = [
    "PrismaCounts", "assert_balanced", "box_checks", "check_table", "compute_counts", "draw_prisma",
    "draw_published", "load_published", "not_in_chain", "pending_warnings", "prisma2020_template",
    "published_check", "read_screening_counts", "reconcile",
]
