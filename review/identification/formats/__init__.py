"""Every export format the pipeline reads, by the reader key ``protocol.yaml`` names in ``format:``.

Each format has ``read(text, path, *, lenient) -> (list[RawRecord], list[Problem])`` and a matching
``write(rows) -> str`` (rows are dicts of canonical fields), so round trips can be tested.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from . import bibtex, csvs, endnote_xml, medline, ris, wos


@dataclass(frozen=True)
class Format:
    key: str
    name: str
    read: Callable
    write: Callable
    suffix: str


FORMATS: dict[str, Format] = {
    "ris": Format("ris", "RIS", ris.read, ris.write, ".ris"),
    "medline": Format("medline", "PubMed MEDLINE (.nbib)", medline.read, medline.write, ".nbib"),
    "bibtex": Format("bibtex", "BibTeX", bibtex.read, bibtex.write, ".bib"),
    "scopus_csv": Format("scopus_csv", "Scopus CSV", partial(csvs.read_with, csvs.SCOPUS),
                         partial(csvs.write_with, csvs.SCOPUS), ".csv"),
    "wos": Format("wos", "Web of Science tagged text", wos.read, wos.write, ".txt"),
    "scholar_csv": Format("scholar_csv", "Publish or Perish CSV (Google Scholar)",
                          partial(csvs.read_with, csvs.SCHOLAR), partial(csvs.write_with, csvs.SCHOLAR), ".csv"),
    "endnote_xml": Format("endnote_xml", "EndNote XML", endnote_xml.read, endnote_xml.write, ".xml"),
    "rayyan_csv": Format("rayyan_csv", "Rayyan CSV", partial(csvs.read_with, csvs.RAYYAN),
                         partial(csvs.write_with, csvs.RAYYAN), ".csv"),
}
