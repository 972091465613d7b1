"""The two languages of the report and figures: Norwegian (nb, the default) and English (en)."""
from __future__ import annotations


def lang_key(lang: str | None) -> str:
    """"en" for English; anything else means Norwegian, the flagship's language."""
    return "en" if lang == "en" else "nb"


def pick(texts: dict, lang: str | None):
    """The entry of ``{"nb": ..., "en": ...}`` for ``lang``."""
    return texts[lang_key(lang)]
