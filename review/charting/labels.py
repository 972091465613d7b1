"""Labels for the charts: vocabularies from the protocol and the extraction form, texts in nb/en."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..lang import pick
from ..protocol import Protocol

TEXTS: dict[str, dict[str, str]] = {
    "model": {"nb": "Organiseringsmodell", "en": "Organisational model"},
    "component": {"nb": "Kvalitetskomponent", "en": "Quality component"},
    "n_studies": {"nb": "Antall studier", "en": "Number of studies"},
    "studies": {"nb": "Studier", "en": "Studies"},
    "study": {"nb": "Studie", "en": "Study"},
    "year": {"nb": "Utgivelsesår", "en": "Year of publication"},
    "publication_type": {"nb": "Type publikasjon", "en": "Publication type"},
    "method_class": {"nb": "Metode", "en": "Method"},
    "perspectives": {"nb": "Perspektiver", "en": "Perspectives"},
    "service_area": {"nb": "Tjenesteområde", "en": "Service area"},
    "illuminates": {"nb": "belyser komponenten", "en": "illuminates the component"},
    "none": {"nb": "ingen", "en": "none"},
    "unclear": {"nb": "Uklart", "en": "Unclear"},
    "heat_title": {"nb": "Studier per organiseringsmodell og kvalitetskomponent",
                   "en": "Studies by organisational model and quality component"},
    "map_title": {"nb": "Evidenskart: studie × kvalitetskomponent, gruppert etter modell",
                  "en": "Evidence map: study × quality component, grouped by model"},
    "time_title": {"nb": "Publikasjoner per år og type", "en": "Publications by year and type"},
    "chars_title": {"nb": "Studienes kjennetegn", "en": "Characteristics of the studies"},
    "all_models": {"nb": "alle studier", "en": "all studies"},
}

# Extraction-form field ids of the coded columns in extraction.csv.
FORM_FIELDS = {
    "publication_type": "citation.publication_type",
    "method_class": "method_class",
    "service_area": "service_area",
    "perspectives": "perspectives",
    "models": "models",
    "report_group": "report_group",
}


def text(key: str, lang: str = "nb") -> str:
    return pick(TEXTS[key], lang)


@dataclass
class ChartLabels:
    """Look up the label of a value id: protocol terms first, then the extraction form."""

    protocol: Protocol
    form: object | None = None      # review.extraction.form.Form, when the form exists
    lang: str = "nb"

    def component(self, qid: str) -> str:
        for t in self.protocol.quality_dimensions:
            if t.id == qid:
                return t.label(self.lang)
        return humanise(qid)

    def model(self, mid: str) -> str:
        for t in self.protocol.organisational_models:
            if t.id == mid:
                return t.label(self.lang)
        if self.form is not None:
            label = self.form.value_label("models", mid, self.lang)
            if label != mid:
                return label
        return text("unclear", self.lang) if mid == "unclear" else humanise(mid)

    def value(self, column: str, vid: str) -> str:
        if column == "models":
            return self.model(vid)
        if self.form is not None and column in FORM_FIELDS:
            label = self.form.value_label(FORM_FIELDS[column], vid, self.lang)
            if label != vid:
                return label
        return humanise(vid)

    def order(self, column: str) -> list[str]:
        """The form's order of a vocabulary (empty when unknown)."""
        if column == "models":
            ids = [t.id for t in self.protocol.organisational_models]
            if self.form is not None:
                ids += [i for i in self.form.allowed("models") if i not in ids]
            return ids
        if self.form is not None and column in FORM_FIELDS:
            return self.form.allowed(FORM_FIELDS[column])
        return []


def humanise(value_id: str) -> str:
    s = str(value_id).replace("_", " ").strip()
    return s[:1].upper() + s[1:]


def study_label(row) -> str:
    """'Øydgard (2018a)': first author and year, with the letter the study id carries."""
    suffix = ""
    m = re.search(r"\d{4}([a-z])$", str(row["study_id"]))
    if m:
        suffix = m.group(1)
    year = row["year"]
    year = "" if year is None or str(year) in ("", "<NA>", "nan") else str(int(float(year)))
    return f"{row['first_author']} ({year}{suffix})"
