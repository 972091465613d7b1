"""The extraction table (output/tables/extraction.csv) and the report's publication table."""
from __future__ import annotations

import pandas as pd

from ..lang import lang_key
from .form import Form, get_path
from .studies import Study

BASE_COLUMNS = ["study_id", "work_id", "first_author", "year", "citation", "publication_type",
                "method_class", "models", "report_group", "service_area", "perspectives",
                "n_municipalities", "aim", "method", "data_years", "sample",
                "allocation_organisation", "findings"]
LIST_SEP = "; "       # between ids (models, perspectives, report_group)
UNIT_SEP = " | "      # between text units (findings, where), which may hold semicolons


def extraction_columns(form: Form) -> list[str]:
    cols = list(BASE_COLUMNS)
    for q in form.quality_ids:
        cols += [f"q_{q}", f"q_{q}_findings", f"q_{q}_where"]
    return cols


def year_label(study: Study) -> str:
    cit = study.data.get("citation") or {}
    return f"{cit.get('year', '')}{cit.get('suffix') or ''}"


def author_label(study: Study, lang: str = "nb") -> str:
    cit = study.data.get("citation") or {}
    authors = [str(a) for a in cit.get("authors") or []]
    if cit.get("et_al") or len(authors) > 2:
        return f"{authors[0]} {'m.fl.' if lang == 'nb' else 'et al.'}" if authors else ""
    return " & ".join(authors)


def citation_text(study: Study) -> str:
    cit = study.data.get("citation") or {}
    parts = [f"{author_label(study, 'en')} ({year_label(study)})."]
    if cit.get("title"):
        parts.append(f"{str(cit['title']).rstrip('.')}.")
    if cit.get("container"):
        parts.append(f"{str(cit['container']).rstrip('.')}.")
    return " ".join(parts)


def _join(value, sep: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return sep.join(str(v) for v in value)
    return str(value)


def extraction_table(studies: dict[str, Study], form: Form) -> pd.DataFrame:
    """One row per study with exactly the columns agreed in docs/architecture.md, by study_id."""
    rows = []
    for sid in sorted(studies):
        s = studies[sid]
        d = s.data
        cit = d.get("citation") or {}
        authors = cit.get("authors") or [""]
        row = {
            "study_id": sid, "work_id": s.work_id, "first_author": str(authors[0]),
            "year": cit.get("year"), "citation": citation_text(s),
            "publication_type": cit.get("publication_type") or "",
            "method_class": d.get("method_class") or "",
            "models": _join(d.get("models"), LIST_SEP),
            "report_group": _join(d.get("report_group"), LIST_SEP),
            "service_area": d.get("service_area") or "",
            "perspectives": _join(d.get("perspectives"), LIST_SEP),
            "n_municipalities": d.get("n_municipalities"),
        }
        for col in ("aim", "method", "data_years", "sample", "allocation_organisation", "findings"):
            row[col] = " ".join(str(get_path(d, col) or "").split())
        quality = d.get("quality") or {}
        for q in form.quality_ids:
            block = quality.get(q) or {}
            row[f"q_{q}"] = "true" if block.get("illuminated") is True else "false"
            row[f"q_{q}_findings"] = _join(block.get("findings"), UNIT_SEP)
            row[f"q_{q}_where"] = _join(block.get("where"), UNIT_SEP)
        rows.append(row)
    df = pd.DataFrame(rows, columns=extraction_columns(form))
    df["year"] = df["year"].astype("Int64")
    df["n_municipalities"] = df["n_municipalities"].astype("Int64")
    return df


PUBLICATION_HEADERS = {
    "nb": ["Førsteforfatter (årstall), type publikasjon", "Hensikt eller forskningsspørsmål",
           "Metode (data fra «år»)", "Utvalg", "Organisering av tildelingsfunksjonen",
           "Funn inkludert i kunnskapsoppsummeringen"],
    "en": ["First author (year), publication type", "Aim or research question",
           "Method (data from year)", "Sample", "How allocation is organised",
           "Findings included in the review"],
}
NOT_STATED = {"nb": "ikke oppgitt", "en": "not stated"}
_NB_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}", "Æ": "{", "Ø": "|", "Å": "}"})


def norwegian_sort_key(text: str) -> str:
    """Sort æ, ø, å after z, as a Norwegian reader expects (Øydgard last)."""
    return str(text).casefold().translate(_NB_ORDER)


def publication_table(studies: dict[str, Study], form: Form, lang: str = "nb") -> pd.DataFrame:
    """The report appendix's layout: author (year) and type, aim, method (data years), sample,
    organisation of allocation, findings. Sorted by first author (Norwegian order), then year."""
    lang = lang_key(lang)
    heads = PUBLICATION_HEADERS[lang]
    rows = []
    for s in studies.values():
        d = s.data
        cit = d.get("citation") or {}
        ptype = form.value_label("citation.publication_type", cit.get("publication_type", ""), lang)
        mark = " *" if d.get("report_group_marked") else ""
        years = str(d.get("data_years") or "")
        years = NOT_STATED[lang] if years == NOT_STATED["nb"] else years
        rows.append({
            "_key": (norwegian_sort_key((cit.get("authors") or [""])[0]), year_label(s)),
            heads[0]: f"{author_label(s, lang)} ({year_label(s)}){mark}, {ptype.lower() if lang == 'nb' else ptype}",
            heads[1]: " ".join(str(d.get("aim") or "").split()),
            heads[2]: f"{' '.join(str(d.get('method') or '').split())} ({years})",
            heads[3]: " ".join(str(d.get("sample") or "").split()),
            heads[4]: " ".join(str(d.get("allocation_organisation") or "").split()),
            heads[5]: " ".join(str(d.get("findings") or "").split()),
        })
    rows.sort(key=lambda r: r["_key"])
    return pd.DataFrame([{k: v for k, v in r.items() if k != "_key"} for r in rows], columns=heads)
