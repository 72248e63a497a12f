"""`{% load typography %}`: `{% colon %}` after a translated label ("Quand : …" in French).

French puts a narrow no-break space (U+202F) before ":" ";" "!" "?". Sentences carry it in the
French catalogues; a template that joins a translated label and a value with a colon writes the
colon with this tag, so the space is there in French and absent in the other languages."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()

NARROW_NO_BREAK_SPACE = "\u202f"


def punctuation(mark: str) -> str:
    language = (get_language() or "").split("-")[0]
    return NARROW_NO_BREAK_SPACE + mark if language == "fr" else mark


@register.simple_tag
def colon() -> str:
    return punctuation(":")
