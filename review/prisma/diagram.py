"""The PRISMA 2020 flow diagram for new reviews with databases and other methods."""
from __future__ import annotations

from ..protocol import Protocol
from .counts import PrismaCounts
from .flowchart import HEAD_FILLS, Arrow, Box, Layout, draw
from .labels import n_text, text

# Names of other-method sources in Norwegian, where the protocol's single-language name is English.
SOURCE_NAMES_NB = {
    "citation_search": "Siteringssøk",
    "team_knowledge": "Forskergruppens kjennskap",
}


def reason_label(reason: str, protocol: Protocol | None, lang: str = "nb") -> str:
    """A protocol exclusion reason's label, or the reason text itself."""
    if protocol is not None:
        for stage in protocol.screening.stages:
            for term in stage.exclusion_reasons:
                if term.id == reason:
                    return term.label(lang)
    return reason.replace("_", " ")


def source_label(source_id: str, counts: PrismaCounts, lang: str = "nb") -> str:
    if lang != "en" and source_id in SOURCE_NAMES_NB:
        return SOURCE_NAMES_NB[source_id]
    return counts.source_names.get(source_id, source_id)


def _items(d: dict[str, int], label, lang: str, *, skip_zero: bool = False) -> list[str]:
    return [f"  {label(k)} {n_text(v, lang)}" for k, v in d.items() if v or not skip_zero]


def flow_layout(c: PrismaCounts, protocol: Protocol | None = None, lang: str = "nb") -> Layout:
    t = lambda key: text(key, lang)  # noqa: E731
    rl = lambda r: reason_label(r, protocol, lang)  # noqa: E731
    sl = lambda s: source_label(s, c, lang)  # noqa: E731
    removed_db = sum(c.removed_other.values())
    removed_oth = sum(c.other_removed.values())
    boxes = [
        Box("head_databases", 0, 0, [t("head_databases")], span=2, fill=HEAD_FILLS["databases"],
            bold=True, align="center"),
        Box("head_other", 0, 2, [t("head_other")], span=2, fill=HEAD_FILLS["other"], bold=True,
            align="center"),
        Box("records_identified", 1, 0,
            [t("records_identified_from")] + _items(c.databases, sl, lang)
            + [f"{t('databases_total')} {n_text(c.identified_databases, lang)}"]),
        Box("removed_before_screening", 1, 1,
            [t("removed_before_screening"), f"  {t('duplicates')} {n_text(c.duplicates, lang)}",
             f"  {t('removed_other_reasons')} {n_text(removed_db, lang)}"]
            + [f"  {line}" for line in _items(c.removed_other, rl, lang)]),
        Box("other_identified", 1, 2,
            [t("records_identified_from")] + _items(c.other_sources, sl, lang)
            + [f"{t('other_total')} {n_text(c.identified_other, lang)}"]),
        Box("other_removed", 1, 3,
            [t("removed_before_retrieval"), f"  {t('duplicates_other')} {n_text(c.other_duplicates, lang)}",
             f"  {t('removed_other_reasons')} {n_text(removed_oth, lang)}"]
            + [f"  {line}" for line in _items(c.other_removed, rl, lang)]),
        Box("records_screened", 2, 0, [t("records_screened"), n_text(c.records_screened, lang)]
            + ([f"{t('pending')} {n_text(c.records_pending, lang)}"] if c.records_pending else [])),
        Box("records_excluded", 2, 1, [t("records_excluded"), n_text(c.records_excluded, lang)]),
        Box("reports_sought", 3, 0, [t("reports_sought"), n_text(c.reports_sought, lang)]),
        Box("reports_not_retrieved", 3, 1, [t("reports_not_retrieved"),
                                            n_text(c.reports_not_retrieved, lang)]),
        Box("other_reports_sought", 3, 2, [t("reports_sought"), n_text(c.other_reports_sought, lang)]),
        Box("other_reports_not_retrieved", 3, 3, [t("reports_not_retrieved"),
                                                  n_text(c.other_reports_not_retrieved, lang)]),
        Box("reports_assessed", 4, 0, [t("reports_assessed"), n_text(c.reports_assessed, lang)]
            + ([f"{t('pending')} {n_text(c.reports_pending_databases, lang)}"]
               if c.reports_pending_databases else [])),
        Box("reports_excluded", 4, 1, [f"{t('reports_excluded')} {n_text(c.reports_excluded, lang)}"]
            + _items(c.reports_excluded_reasons, rl, lang, skip_zero=True)),
        Box("other_reports_assessed", 4, 2, [t("reports_assessed"), n_text(c.other_reports_assessed, lang)]
            + ([f"{t('pending')} {n_text(c.reports_pending_other, lang)}"]
               if c.reports_pending_other else [])),
        Box("other_reports_excluded", 4, 3,
            [f"{t('reports_excluded')} {n_text(c.other_reports_excluded, lang)}"]
            + _items(c.other_reports_excluded_reasons, rl, lang, skip_zero=True)),
        Box("studies_included", 5, 0, [t("studies_included"), n_text(c.studies_included, lang)]),
    ]
    arrows = [
        Arrow("records_identified", "removed_before_screening", "right"),
        Arrow("records_identified", "records_screened"),
        Arrow("records_screened", "records_excluded", "right"),
        Arrow("records_screened", "reports_sought"),
        Arrow("reports_sought", "reports_not_retrieved", "right"),
        Arrow("reports_sought", "reports_assessed"),
        Arrow("reports_assessed", "reports_excluded", "right"),
        Arrow("reports_assessed", "studies_included"),
        Arrow("other_identified", "other_removed", "right"),
        Arrow("other_identified", "other_reports_sought"),
        Arrow("other_reports_sought", "other_reports_not_retrieved", "right"),
        Arrow("other_reports_sought", "other_reports_assessed"),
        Arrow("other_reports_assessed", "other_reports_excluded", "right"),
        Arrow("other_reports_assessed", "studies_included", "down_left"),
    ]
    phases = [(t("identification"), 1, 1), (t("screening"), 2, 4), (t("included"), 5, 5)]
    if not c.other_sources and not c.other_reports_sought:
        # The PRISMA 2020 variant for databases only: no other-methods branch.
        boxes = [b for b in boxes if b.col < 2]
        arrows = [a for a in arrows if not a.src.startswith("other_")]
        return Layout(col_widths=[2.3, 2.3], boxes=boxes, arrows=arrows, phases=phases,
                      row_min={5: 0.85})
    return Layout(col_widths=[2.3, 2.3, 2.0, 2.3], boxes=boxes, arrows=arrows, phases=phases,
                  row_min={5: 0.85})


def draw_prisma(c: PrismaCounts, protocol: Protocol | None = None, lang: str = "nb"):
    """The PRISMA 2020 flow diagram of ``c`` as a matplotlib Figure."""
    return draw(flow_layout(c, protocol, lang))
