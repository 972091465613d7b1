"""Stage 1, identification: read exports, log the search, render search strings, pre-filter."""
from .imports import ImportResult, read_file, read_sources
from .records import RECORD_COLUMNS
from .screening_pool import prefilter
from .searchlog import SEARCH_LOG_COLUMNS, search_log

__all__ = ["ImportResult", "RECORD_COLUMNS", "SEARCH_LOG_COLUMNS", "prefilter", "read_file", "read_sources",
           "search_log"]
