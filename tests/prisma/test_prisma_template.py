"""The PRISMA2020 R package / Shiny app template: same columns and rows, our counts in ``n``."""
import re

from review.prisma import compute_counts, prisma2020_template
from review.prisma.template import COLUMNS

# The template's data ids, in its order (inst/extdata/PRISMA.csv of prisma-flowdiagram/PRISMA2020).
TEMPLATE_DATA = [
    "NA", "previous_studies", "previous_reports", "NA", "database_results", "database_specific_results",
    "register_results", "register_specific_results", "NA", "website_results", "organisation_results",
    "citations_results", "duplicates", "excluded_automatic", "excluded_other", "records_screened",
    "records_excluded", "dbr_sought_reports", "dbr_notretrieved_reports", "other_sought_reports",
    "other_notretrieved_reports", "dbr_assessed", "dbr_excluded", "other_assessed", "other_excluded",
    "new_studies", "new_reports", "total_studies", "total_reports", "identification", "screening",
    "included",
]


def _parse_reasons(value: str) -> dict[str, int]:
    """Split as PRISMA2020's PRISMA_parse_reasons_ does: at ';', reason before the first ','."""
    out = {}
    for part in re.split(r";\s?", value):
        reason = re.sub(r",.*$", "", part)
        number = re.sub(r"[^0-9]", "", part[len(reason):])
        out[reason] = int(number)
    return out


def test_template_has_the_package_columns_and_rows(tables, protocol):
    t = prisma2020_template(compute_counts(tables, protocol), protocol)
    assert list(t.columns) == COLUMNS == ["data", "node", "box", "description", "boxtext", "tooltips",
                                          "url", "n"]
    assert t.data.tolist() == TEMPLATE_DATA


def test_template_numbers_are_the_computed_counts(tables, protocol):
    c = compute_counts(tables, protocol)
    t = prisma2020_template(c, protocol).set_index("data")
    n = t["n"]
    assert n["database_results"] == c.identified_databases
    dbs = _parse_reasons(n["database_specific_results"])
    assert sum(dbs.values()) == c.identified_databases and dbs["PubMed"] == c.databases["pubmed"]
    assert n["duplicates"] == c.duplicates
    assert n["records_screened"] == c.records_screened
    assert n["dbr_assessed"] == c.reports_assessed
    reasons = _parse_reasons(n["dbr_excluded"])
    assert sum(reasons.values()) == c.reports_excluded
    # The label had commas ("leaders, caseworkers or providers"); the package would cut it there.
    assert "No experiences of leaders caseworkers or providers" in reasons
    assert n["citations_results"] == c.other_sources["citation_search"]
    assert n["organisation_results"] == c.other_sources["team_knowledge"]
    assert t.loc["organisation_results", "boxtext"] == "The research group's own knowledge"
    assert n["total_studies"] == c.studies_included


def test_norwegian_box_texts(tables, protocol):
    t = prisma2020_template(compute_counts(tables, protocol), protocol, lang="nb").set_index("data")
    assert t.loc["records_screened", "boxtext"].startswith("Poster screenet")
    assert t.loc["citations_results", "boxtext"] == "Siteringssøk"


def test_unused_reasons_are_left_out(tables, protocol):
    t = prisma2020_template(compute_counts(tables, protocol), protocol).set_index("data")
    assert "Norway" not in t.loc["dbr_excluded", "n"]
