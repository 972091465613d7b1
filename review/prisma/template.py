"""Export the counts in the CSV template of the PRISMA2020 R package and Shiny app.

Haddaway et al. (2022), PRISMA2020: an R package and Shiny app, file ``inst/extdata/PRISMA.csv``:
columns ``data, node, box, description, boxtext, tooltips, url, n``. A reviewer uploads the file to
the app (or ``PRISMA2020::PRISMA_data(read.csv(...))``) to redraw the figure there. Lists such as
"PubMed, 47; CINAHL, 197" are split by the package at ";" and at the first ",", so labels in
lists must hold neither.
"""
from __future__ import annotations

import re

import pandas as pd

from ..protocol import Protocol
from .counts import PrismaCounts
from .diagram import reason_label, source_label
from .labels import text

COLUMNS = ["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"]
NA = "NA"

# (data, node, box, description, boxtext, tooltips, url) in the template's order.
_ROWS: list[tuple[str, str, str, str, str, str, str]] = [
    (NA, "node4", "prevstud", "Grey title box; Previous studies", "Previous studies",
     "Grey title box; Previous studies", "prevstud.html"),
    ("previous_studies", "node5", "box1", "Studies included in previous version of review",
     "Studies included in previous version of review", "Studies included in previous version of review",
     "previous_studies.html"),
    ("previous_reports", NA, "box1", "Reports of studies included in previous version of review",
     "Reports of studies included in previous version of review", NA, "previous_reports.html"),
    (NA, "node6", "newstud", "Yellow title box; Identification of new studies via databases and registers",
     "Identification of new studies via databases and registers",
     "Yellow title box; Identification of new studies via databases and registers", "newstud.html"),
    ("database_results", "node7", "box2", "Records identified from: Databases", "Databases",
     "Records identified from: Databases and Registers", "database_results.html"),
    ("database_specific_results", NA, "box2", "Records identified from: specific databases",
     "Specific Databases", NA, "database_results.html"),
    ("register_results", NA, "box2", "Records identified from: Registers", "Registers", NA, NA),
    ("register_specific_results", NA, "box2", "Records identified from: specific registers",
     "Specific Registers", NA, "database_results.html"),
    (NA, "node16", "othstud", "Grey title box; Identification of new studies via other methods",
     "Identification of new studies via other methods",
     "Grey title box; Identification of new studies via other methods", "othstud.html"),
    ("website_results", "node17", "box11", "Records identified from: Websites", "Websites",
     "Records identified from: Websites, Organisations and Citation Searching", "website_results.html"),
    ("organisation_results", "", "box11", "Records identified from: Organisations", "Organisations", NA, NA),
    ("citations_results", NA, "box11", "Records identified from: Citation searching", "Citation searching",
     NA, NA),
    ("duplicates", "node8", "box3", "Duplicate records", "Duplicate records", "Duplicate records",
     "duplicates.html"),
    ("excluded_automatic", NA, "box3", "Records marked as ineligible by automation tools",
     "Records marked as ineligible by automation tools", NA, NA),
    ("excluded_other", NA, "box3", "Records removed for other reasons", "Records removed for other reasons",
     NA, NA),
    ("records_screened", "node9", "box4", "Records screened (databases and registers)", "Records screened",
     "Records screened (databases and registers)", "records_screened.html"),
    ("records_excluded", "node10", "box5", "Records excluded (databases and registers)", "Records excluded",
     "Records excluded (databases and registers)", "records_excluded.html"),
    ("dbr_sought_reports", "node11", "box6", "Reports sought for retrieval (databases and registers)",
     "Reports sought for retrieval", "Reports sought for retrieval (databases and registers)",
     "dbr_sought_reports.html"),
    ("dbr_notretrieved_reports", "node12", "box7", "Reports not retrieved (databases and registers)",
     "Reports not retrieved", "Reports not retrieved (databases and registers)",
     "dbr_notretrieved_reports.html"),
    ("other_sought_reports", "node18", "box12", "Reports sought for retrieval (other)",
     "Reports sought for retrieval", "Reports sought for retrieval (other)", "other_sought_reports.html"),
    ("other_notretrieved_reports", "node19", "box13", "Reports not retrieved (other)",
     "Reports not retrieved", "Reports not retrieved (other)", "other_notretrieved_reports.html"),
    ("dbr_assessed", "node13", "box8", "Reports assessed for eligibility (databases and registers)",
     "Reports assessed for eligibility", "Reports assessed for eligibility (databases and registers)",
     "dbr_assessed.html"),
    ("dbr_excluded", "node14", "box9",
     "Reports excluded (databases and registers): [separate reasons and numbers using ; e.g. Reason1, xxx; "
     "Reason2, xxx; Reason3, xxx]", "Reports excluded", "Reports excluded (databases and registers)",
     "dbrexcludedrecords.html"),
    ("other_assessed", "node20", "box14", "Reports assessed for eligibility (other)",
     "Reports assessed for eligibility", "Reports assessed for eligibility (other)", "other_assessed.html"),
    ("other_excluded", "node21", "box15",
     "Reports excluded (other): [separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; "
     "Reason3, xxx]", "Reports excluded", "Reports excluded (other)", "other_excluded.html"),
    ("new_studies", "node15", "box10", "New studies included in review", "New studies included in review",
     "New studies included in review", "new_studies.html"),
    ("new_reports", NA, "box10", "Reports of new included studies", "Reports of new included studies",
     NA, NA),
    ("total_studies", "node22", "box16", "Total studies included in review",
     "Total studies included in review", "Total studies included in review", "total_studies.html"),
    ("total_reports", NA, "box16", "Reports of total included studies", "Reports of total included studies",
     NA, NA),
    ("identification", "node1", "identification", "Blue identification box", "Identification",
     "Blue identification box", "identification.html"),
    ("screening", "node2", "screening", "Blue screening box", "Screening", "Blue screening box",
     "screening.html"),
    ("included", "node3", "included", "Blue included box", "Included", "Blue included box",
     "included.html"),
]

# Box texts that change with the language (the rest stay as the template has them).
_BOXTEXT_KEYS = {
    "newstud": "head_databases", "othstud": "head_other", "database_results": "databases_total",
    "duplicates": "duplicates", "excluded_other": "removed_other_reasons",
    "records_screened": "records_screened", "records_excluded": "records_excluded",
    "dbr_sought_reports": "reports_sought", "other_sought_reports": "reports_sought",
    "dbr_notretrieved_reports": "reports_not_retrieved", "other_notretrieved_reports": "reports_not_retrieved",
    "dbr_assessed": "reports_assessed", "other_assessed": "reports_assessed",
    "dbr_excluded": "reports_excluded", "other_excluded": "reports_excluded",
    "new_studies": "studies_included", "total_studies": "studies_included",
    "identification": "identification", "screening": "screening", "included": "included",
}


def _clean(label: str) -> str:
    """Drop the separators the package splits on."""
    return re.sub(r"\s+", " ", re.sub(r"[;,]", " ", label)).strip()


def _pairs(items: dict[str, int], label) -> str:
    # Reasons nobody used would only clutter the box.
    return "; ".join(f"{_clean(label(k))}, {n}" for k, n in items.items() if n)


def _other_slot(source_id: str, name: str) -> str:
    """Where an other-method source goes among the template's three: websites, organisations, citations."""
    key = f"{source_id} {name}".lower()
    if "citation" in key or "snowball" in key or "reference" in key:
        return "citations_results"
    if "web" in key or "google" in key:
        return "website_results"
    return "organisation_results"


def prisma2020_template(c: PrismaCounts, protocol: Protocol | None = None, lang: str = "en") -> pd.DataFrame:
    """The counts as the PRISMA2020 template table (one row per template row, in its order)."""
    slots: dict[str, list[tuple[str, int]]] = {"website_results": [], "organisation_results": [],
                                               "citations_results": []}
    for sid, n in c.other_sources.items():
        slots[_other_slot(sid, c.source_names.get(sid, sid))].append((source_label(sid, c, lang), n))
    n_of: dict[str, object] = {
        "previous_studies": 0, "previous_reports": 0,
        "database_results": c.identified_databases,
        "database_specific_results": _pairs(c.databases, lambda s: source_label(s, c, lang)),
        "register_results": 0, "register_specific_results": "",
        "duplicates": c.duplicates, "excluded_automatic": 0,
        "excluded_other": sum(c.removed_other.values()),
        "records_screened": c.records_screened, "records_excluded": c.records_excluded,
        "dbr_sought_reports": c.reports_sought, "dbr_notretrieved_reports": c.reports_not_retrieved,
        "other_sought_reports": c.other_reports_sought,
        "other_notretrieved_reports": c.other_reports_not_retrieved,
        "dbr_assessed": c.reports_assessed,
        "dbr_excluded": _pairs(c.reports_excluded_reasons, lambda r: reason_label(r, protocol, lang)),
        "other_assessed": c.other_reports_assessed,
        "other_excluded": _pairs(c.other_reports_excluded_reasons,
                                 lambda r: reason_label(r, protocol, lang)),
        # One report per study: the decision store counts works, not reports.
        "new_studies": c.studies_included, "new_reports": c.studies_included,
        "total_studies": c.studies_included, "total_reports": c.studies_included,
    }
    rows = []
    for data, node, box, description, boxtext, tooltips, url in _ROWS:
        n: object = 0
        if data in slots:
            n = sum(v for _, v in slots[data])
            if slots[data]:
                boxtext = " + ".join(_clean(name) for name, _ in slots[data])
        elif data in n_of:
            n = n_of[data]
        key = _BOXTEXT_KEYS.get(data if data != NA else box)
        if key and lang != "en":
            boxtext = text(key, lang).rstrip(":")
        rows.append([data, node, box, description, boxtext, tooltips, url, n])
    return pd.DataFrame(rows, columns=COLUMNS)
