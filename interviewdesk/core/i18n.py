"""Text stored in several languages as {"nl": ..., "fr": ..., "de": ..., "en": ...}."""

from __future__ import annotations

from django.utils.translation import get_language

FALLBACK_ORDER = ("en", "nl", "fr", "de")


def pick(texts: dict[str, str] | None, language: str | None = None) -> str:
    """The text in `language` (default: the active one), else the first available fallback."""
    if not texts:
        return ""
    lang = (language or get_language() or "en")[:2]
    if texts.get(lang):
        return texts[lang]
    for code in FALLBACK_ORDER:
        if texts.get(code):
            return texts[code]
    return next(iter(texts.values()), "")
