"""Publishing: the interactive evidence map and the PRISMA-ScR checklist for report.html."""
from .checklist import evaluate as prisma_scr_checklist
from .evidence_map import EvidenceMap, from_extraction, render_fragment, render_page

__all__ = ["EvidenceMap", "from_extraction", "prisma_scr_checklist", "render_fragment", "render_page"]
