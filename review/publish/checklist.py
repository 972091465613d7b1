"""The PRISMA-ScR checklist, evidenced from the review's own files.

Tricco et al. (2018), Ann Intern Med 169:467-473, list 22 items (two optional). The item texts
below are our paraphrases, not the checklist's wording. For each item :func:`evaluate` says
whether the pipeline evidences it from the review's own files, and where: a section of
report.html (its anchor) or a file. Items only the authors can write (rationale, limitations,
conclusions, funding) are marked as theirs, never as done.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..lang import pick
from ..protocol import Protocol

# Status ids, in the order a reader should act on them.
MISSING = "missing"          # the pipeline could evidence it, but the files are not there yet
AUTHORS = "authors"          # only the authors can write it
OPTIONAL = "optional"        # an optional item the review does not do
PARTLY = "partly"            # the pipeline shows part of it; the authors add the rest
EVIDENCED = "evidenced"      # shown by the pipeline from the review's own files

STATUS_LABELS = {
    EVIDENCED: {"nb": "dokumentert", "en": "evidenced"},
    PARTLY: {"nb": "delvis", "en": "partly"},
    MISSING: {"nb": "mangler ennå", "en": "not yet"},
    AUTHORS: {"nb": "forfatterne skriver", "en": "for the authors"},
    OPTIONAL: {"nb": "valgfritt, ikke gjort", "en": "optional, not done"},
}

HEADERS = {
    "item": {"nb": "Punkt", "en": "Item"},
    "section": {"nb": "Del", "en": "Section"},
    "topic": {"nb": "Tema", "en": "Topic"},
    "asks": {"nb": "Hva punktet ber om (vår omskrivning)", "en": "What the item asks (our paraphrase)"},
    "status": {"nb": "Status", "en": "Status"},
    "where": {"nb": "Hvor", "en": "Where"},
}


@dataclass(frozen=True)
class Evidence:
    """What the review's folder and the run's output folder hold, read once."""

    review: Path
    out: Path
    protocol: Protocol

    def table(self, name: str) -> pd.DataFrame | None:
        path = self.out / "tables" / name
        if not path.exists():
            return None
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")

    def has_figure(self, name: str) -> bool:
        return (self.out / "figures" / f"{name}.svg").exists()

    def has_section(self, stage: str) -> bool:
        return (self.out / "report_parts" / f"{stage}.json").exists()


Check = Callable[[Evidence], tuple[str, str]]


def _section(stage: str) -> str:
    return f"#{stage}"


def _title(ev: Evidence) -> tuple[str, str]:
    titles = " ".join(ev.protocol.title.model_dump().values()).lower()
    ok = "scoping" in titles
    return (EVIDENCED if ok else PARTLY), "#top (protocol.yaml: title)"


def _objectives(ev: Evidence) -> tuple[str, str]:
    return EVIDENCED, "protocol.yaml: question"


def _protocol(ev: Evidence) -> tuple[str, str]:
    # The protocol is in the repository; registration is the authors' to state.
    return PARTLY, "protocol.yaml (registration: authors)"


def _eligibility(ev: Evidence) -> tuple[str, str]:
    p = ev.protocol
    ok = bool(p.inclusion_criteria) and p.date_range is not None
    return (EVIDENCED if ok else PARTLY), "protocol.yaml: inclusion_criteria, date_range"


def _sources(ev: Evidence) -> tuple[str, str]:
    log = ev.table("search_log.csv")
    if log is None:
        return MISSING, "tables/search_log.csv"
    dated = all(bool(s.search_date) for s in ev.protocol.sources if s.kind == "database")
    return (EVIDENCED if dated else PARTLY), f"{_section('01_identification')}, tables/search_log.csv"


def _search(ev: Evidence) -> tuple[str, str]:
    rendered = ev.review / "search_strings"
    queries = [s.query for s in ev.protocol.sources if s.kind == "database" and s.query]
    files = [q for q in queries if (ev.review / q).is_file()]
    if files:
        return EVIDENCED, ", ".join(sorted(set(files))[:3]) + (" ..." if len(set(files)) > 3 else "")
    if queries:
        return PARTLY, "protocol.yaml: sources[].query"
    return MISSING, str(rendered.name) + "/"


def _selection_process(ev: Evidence) -> tuple[str, str]:
    if ev.table("agreement.csv") is None:
        return MISSING, _section("02_screening")
    return EVIDENCED, f"{_section('02_screening')}, protocol.yaml: screening"


def _charting_process(ev: Evidence) -> tuple[str, str]:
    form = ev.review / ev.protocol.extraction.form
    if not form.exists():
        return MISSING, ev.protocol.extraction.form
    where = f"{_section('03_extraction')}, {ev.protocol.extraction.form}"
    # A second extractor makes the process checkable; one extractor is still a process.
    return (EVIDENCED if ev.protocol.extraction.second_extractor else PARTLY), where


def _data_items(ev: Evidence) -> tuple[str, str]:
    form = ev.review / ev.protocol.extraction.form
    return (EVIDENCED if form.exists() else MISSING), ev.protocol.extraction.form


def _appraisal(ev: Evidence) -> tuple[str, str]:
    form = ev.review / ev.protocol.extraction.form
    text = form.read_text(encoding="utf-8").lower() if form.exists() else ""
    if "appraisal" in text:
        return EVIDENCED, ev.protocol.extraction.form
    return OPTIONAL, "—"


def _synthesis_method(ev: Evidence) -> tuple[str, str]:
    return (EVIDENCED if ev.has_section("04_charting") else MISSING), _section("04_charting")


def _flow(ev: Evidence) -> tuple[str, str]:
    if not ev.has_figure("prisma"):
        return MISSING, _section("05_prisma")
    return EVIDENCED, f"{_section('05_prisma')}, figures/prisma.svg"


def _characteristics(ev: Evidence) -> tuple[str, str]:
    ext = ev.table("extraction.csv")
    if ext is None or ext.empty:
        return MISSING, "tables/extraction.csv"
    return EVIDENCED, f"{_section('03_extraction')}, tables/extraction.csv"


def _individual_results(ev: Evidence) -> tuple[str, str]:
    ext = ev.table("extraction.csv")
    if ext is None or ext.empty:
        return MISSING, "tables/extraction.csv"
    return EVIDENCED, f"{_section('06_publish')} (evidence map), tables/extraction.csv"


def _synthesis(ev: Evidence) -> tuple[str, str]:
    if not ev.has_section("04_charting"):
        return MISSING, _section("04_charting")
    return EVIDENCED, f"{_section('04_charting')}, {_section('06_publish')}"


def _authors(ev: Evidence) -> tuple[str, str]:
    return AUTHORS, "—"


def _summary(ev: Evidence) -> tuple[str, str]:
    # The report gives every number an abstract needs; the prose is the authors'.
    return PARTLY, f"{_section('05_prisma')}, {_section('04_charting')}"


# (number, section, topic, paraphrase, check). Sections and topics follow the checklist's own.
ITEMS: list[tuple[str, dict, dict, dict, Check]] = [
    ("1", {"nb": "Tittel", "en": "Title"}, {"nb": "Tittel", "en": "Title"},
     {"nb": "Tittelen sier at dette er en scoping review.", "en": "The title says the report is a scoping review."},
     _title),
    ("2", {"nb": "Sammendrag", "en": "Abstract"}, {"nb": "Strukturert sammendrag", "en": "Structured summary"},
     {"nb": "Et strukturert sammendrag: bakgrunn, mål, kriterier, kilder, kartleggingsmetode, resultater, konklusjoner.",
      "en": "A structured summary: background, aims, criteria, sources, charting method, results, conclusions."},
     _summary),
    ("3", {"nb": "Innledning", "en": "Introduction"}, {"nb": "Begrunnelse", "en": "Rationale"},
     {"nb": "Hvorfor reviewen trengs, og hvorfor en scoping review passer spørsmålet.",
      "en": "Why the review is needed, and why a scoping review suits the question."},
     _authors),
    ("4", {"nb": "Innledning", "en": "Introduction"}, {"nb": "Mål", "en": "Objectives"},
     {"nb": "Spørsmålet og målene, med sine hovedelementer (populasjon, konsept, kontekst).",
      "en": "The question and objectives, with their key elements (population, concept, context)."},
     _objectives),
    ("5", {"nb": "Metode", "en": "Methods"}, {"nb": "Protokoll og registrering", "en": "Protocol and registration"},
     {"nb": "Om det finnes en protokoll, hvor den er, og eventuell registrering.",
      "en": "Whether a protocol exists, where to find it, and any registration."},
     _protocol),
    ("6", {"nb": "Metode", "en": "Methods"}, {"nb": "Inklusjonskriterier", "en": "Eligibility criteria"},
     {"nb": "Kriteriene for kildene (år, språk, publiseringsstatus) og hvorfor.",
      "en": "The criteria for sources (years, language, publication status) and why."},
     _eligibility),
    ("7", {"nb": "Metode", "en": "Methods"}, {"nb": "Informasjonskilder", "en": "Information sources"},
     {"nb": "Alle kilder som ble søkt, og datoen for siste søk.",
      "en": "Every source searched, and the date of the latest search."},
     _sources),
    ("8", {"nb": "Metode", "en": "Methods"}, {"nb": "Søk", "en": "Search"},
     {"nb": "Hele søkestrategien for minst én database, med avgrensninger, slik at den kan gjentas.",
      "en": "The full search strategy for at least one database, with its limits, so it can be repeated."},
     _search),
    ("9", {"nb": "Metode", "en": "Methods"}, {"nb": "Utvelgelse av kilder", "en": "Selection of sources of evidence"},
     {"nb": "Hvordan kildene ble screenet og vurdert.", "en": "How sources were screened and assessed."},
     _selection_process),
    ("10", {"nb": "Metode", "en": "Methods"}, {"nb": "Datakartlegging", "en": "Data charting process"},
     {"nb": "Hvordan data ble kartlagt: skjema, hvem, uavhengig eller ikke, hvordan uenighet ble løst.",
      "en": "How data were charted: the form, by whom, independently or not, how differences were settled."},
     _charting_process),
    ("11", {"nb": "Metode", "en": "Methods"}, {"nb": "Dataelementer", "en": "Data items"},
     {"nb": "Alle variabler som ble hentet ut, og antakelser som ble gjort.",
      "en": "Every variable charted, and any assumptions made."},
     _data_items),
    ("12", {"nb": "Metode", "en": "Methods"}, {"nb": "Kritisk vurdering (valgfritt)", "en": "Critical appraisal (optional)"},
     {"nb": "Om og hvordan kildene ble kritisk vurdert.", "en": "Whether and how sources were critically appraised."},
     _appraisal),
    ("13", {"nb": "Metode", "en": "Methods"}, {"nb": "Syntese", "en": "Synthesis of results"},
     {"nb": "Hvordan dataene ble sammenstilt og oppsummert.", "en": "How the charted data were grouped and summarised."},
     _synthesis_method),
    ("14", {"nb": "Resultater", "en": "Results"}, {"nb": "Utvelgelse av kilder", "en": "Selection of sources of evidence"},
     {"nb": "Antall kilder screenet, vurdert og inkludert, med grunner for eksklusjon, helst i et flytdiagram.",
      "en": "Numbers of sources screened, assessed and included, with reasons for exclusion, ideally in a flow diagram."},
     _flow),
    ("15", {"nb": "Resultater", "en": "Results"}, {"nb": "Kildenes kjennetegn", "en": "Characteristics of sources of evidence"},
     {"nb": "Kjennetegnene ved hver kilde som ble kartlagt.", "en": "The characteristics charted for each source."},
     _characteristics),
    ("16", {"nb": "Resultater", "en": "Results"}, {"nb": "Kritisk vurdering (valgfritt)", "en": "Critical appraisal (optional)"},
     {"nb": "Resultatene av en eventuell kritisk vurdering.", "en": "The results of any critical appraisal."},
     _appraisal),
    ("17", {"nb": "Resultater", "en": "Results"}, {"nb": "Resultater per kilde", "en": "Results of individual sources"},
     {"nb": "For hver kilde: dataene som svarer på spørsmålet.", "en": "For each source: the data that answer the question."},
     _individual_results),
    ("18", {"nb": "Resultater", "en": "Results"}, {"nb": "Syntese", "en": "Synthesis of results"},
     {"nb": "Resultatene sammenstilt slik de svarer på spørsmålet.", "en": "The results, brought together as they answer the question."},
     _synthesis),
    ("19", {"nb": "Diskusjon", "en": "Discussion"}, {"nb": "Oppsummering", "en": "Summary of evidence"},
     {"nb": "Hovedfunnene, knyttet til spørsmålet og til relevante grupper.",
      "en": "The main findings, linked to the question and to relevant groups."},
     _authors),
    ("20", {"nb": "Diskusjon", "en": "Discussion"}, {"nb": "Begrensninger", "en": "Limitations"},
     {"nb": "Begrensningene ved prosessen.", "en": "The limitations of the review process."},
     _authors),
    ("21", {"nb": "Diskusjon", "en": "Discussion"}, {"nb": "Konklusjoner", "en": "Conclusions"},
     {"nb": "En tolkning i lys av målene, og hva den betyr videre.",
      "en": "An interpretation in the light of the objectives, and what it implies next."},
     _authors),
    ("22", {"nb": "Finansiering", "en": "Funding"}, {"nb": "Finansiering", "en": "Funding"},
     {"nb": "Hvem som finansierte reviewen og kildene, og finansiørens rolle.",
      "en": "Who funded the review and its sources, and the funder's role."},
     _authors),
]


def evaluate(review_dir: str | Path, out_dir: str | Path, protocol: Protocol, lang: str = "nb") -> pd.DataFrame:
    """One row per PRISMA-ScR item: item, section, topic, asks, status (id), status_label, where."""
    ev = Evidence(Path(review_dir), Path(out_dir), protocol)
    rows = []
    for number, section, topic, asks, check in ITEMS:
        status, where = check(ev)
        rows.append({"item": number, "section": pick(section, lang), "topic": pick(topic, lang),
                     "asks": pick(asks, lang), "status": status,
                     "status_label": pick(STATUS_LABELS[status], lang), "where": where})
    return pd.DataFrame(rows)


def for_report(table: pd.DataFrame, lang: str = "nb") -> pd.DataFrame:
    """The checklist with human headers in one language, status shown by its label."""
    shown = table.drop(columns=["status"]).rename(columns={"status_label": "status"})
    return shown.rename(columns={k: pick(v, lang) for k, v in HEADERS.items()})


def caption(table: pd.DataFrame, lang: str = "nb") -> str:
    n = int((table.status == EVIDENCED).sum())
    part = int((table.status == PARTLY).sum())
    return pick({"nb": f"PRISMA-ScR-sjekklisten (Tricco mfl. 2018), punktene med egne ord: {n} av {len(table)} punkter "
                       f"dokumenteres av reviewens egne filer, {part} delvis; «Hvor» viser til en del av rapporten "
                       "eller en fil. Punktene forfatterne må skrive selv, er merket slik.",
                 "en": f"The PRISMA-ScR checklist (Tricco et al. 2018), items in our own words: {n} of {len(table)} "
                       f"items are evidenced by the review's own files, {part} partly; 'Where' points to a section "
                       "of this report or a file. Items only the authors can write are marked as theirs."}, lang)
