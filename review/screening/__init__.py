"""Stage 2: blind dual screening, conflicts, agreement, status and PRISMA counts.

- :mod:`.store`: the append-only decision store (``DecisionStore``)
- :mod:`.widget`: the JupyterLab screening widget (``ScreeningWidget``)
- :mod:`.status`: each work's outcome per stage, conflicts, PRISMA counts
- :mod:`.agreement`: Cohen's kappa with its confidence interval, percentage agreement
- :mod:`.import_rayyan`, :mod:`.import_asreview`: decisions made in other tools
- :mod:`.export_ris`: included works as RIS
- :mod:`.fulltexts`, :mod:`.matching`: find a work's document; match other tools' records to works
- :mod:`.tables`: the stage's output tables
- :mod:`.cli`: ``review screening record|resolve|import-rayyan|import-asreview|tables``
"""
from .store import NOT_RETRIEVED, DecisionStore

__all__ = ["DecisionStore", "NOT_RETRIEVED"]
