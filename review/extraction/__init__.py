"""Stage 3: the extraction form, one file per included study, validation, dual-extraction
comparison, the extraction table and its descriptive summary."""
from .compare import agreement_by_field, compare_extractors
from .form import Form, load_form
from .link import link_studies
from .studies import Study, load_studies
from .summary import compare_with_published, load_published, summarise
from .table import extraction_columns, extraction_table, publication_table
from .validate import Problem, check, problems_frame, read_included, validate

__all__ = ["Form", "Problem", "Study", "agreement_by_field", "check", "compare_extractors",
           "compare_with_published", "extraction_columns", "extraction_table", "link_studies",
           "load_form", "load_published", "load_studies", "problems_frame", "publication_table",
           "read_included", "summarise", "validate"]
