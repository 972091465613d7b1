"""Box texts of the PRISMA 2020 flow diagram in Norwegian (nb) and English (en)."""
from __future__ import annotations

from ..lang import pick

TEXTS: dict[str, dict[str, str]] = {
    "identification": {"nb": "Identifisering", "en": "Identification"},
    "screening": {"nb": "Screening", "en": "Screening"},
    "included": {"nb": "Inkludert", "en": "Included"},
    "head_databases": {"nb": "Identifisering av nye studier via databaser og registre",
                       "en": "Identification of new studies via databases and registers"},
    "head_other": {"nb": "Identifisering av nye studier via andre metoder",
                   "en": "Identification of new studies via other methods"},
    "records_identified_from": {"nb": "Poster identifisert fra:", "en": "Records identified from:"},
    "databases_total": {"nb": "Databaser", "en": "Databases"},
    "other_total": {"nb": "Andre metoder", "en": "Other methods"},
    "removed_before_screening": {"nb": "Poster fjernet før screening:",
                                 "en": "Records removed before screening:"},
    "removed_before_retrieval": {"nb": "Poster fjernet før innhenting:",
                                 "en": "Records removed before retrieval:"},
    "duplicates": {"nb": "Duplikater", "en": "Duplicate records"},
    "duplicates_other": {"nb": "Duplikater (også funnet i databaser eller to ganger)",
                         "en": "Duplicates (also found in databases, or twice)"},
    "removed_other_reasons": {"nb": "Fjernet av andre grunner", "en": "Removed for other reasons"},
    "records_screened": {"nb": "Poster screenet (tittel og sammendrag)",
                         "en": "Records screened (title and abstract)"},
    "records_excluded": {"nb": "Poster ekskludert", "en": "Records excluded"},
    "reports_sought": {"nb": "Rapporter søkt innhentet", "en": "Reports sought for retrieval"},
    "reports_not_retrieved": {"nb": "Rapporter ikke innhentet", "en": "Reports not retrieved"},
    "reports_assessed": {"nb": "Rapporter vurdert for inklusjon (fulltekst)",
                         "en": "Reports assessed for eligibility (full text)"},
    "reports_excluded": {"nb": "Rapporter ekskludert:", "en": "Reports excluded:"},
    "studies_included": {"nb": "Studier inkludert i oversikten", "en": "Studies included in review"},
    "pending": {"nb": "Ikke ferdig vurdert", "en": "Not yet decided"},
    "none": {"nb": "ingen", "en": "none"},
}


def text(key: str, lang: str = "nb") -> str:
    return pick(TEXTS[key], lang)


def fmt_n(n: int, lang: str = "nb") -> str:
    """1084 as '1 084' (Norwegian, no-break space) or '1,084' (English)."""
    s = f"{int(n):,}"
    return s.replace(",", "\u00a0") if lang != "en" else s


def n_text(n: int, lang: str = "nb") -> str:
    # No-break spaces keep "(n = 12)" on one line when a box's text is wrapped.
    return f"(n\u00a0=\u00a0{fmt_n(n, lang)})"
