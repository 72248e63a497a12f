"""`{% load dates %}`: `{{ value|long_date }}` ("Donnerstag, 10. Dezember 2026") and
`{{ value|long_date:"no weekday" }}` ("10. Dezember 2026"), in the active language."""

from __future__ import annotations

from django import template

from interviewdesk.core import dates

register = template.Library()


@register.filter
def long_date(value, arg: str = "") -> str:
    return dates.long_date(value, weekday=arg != "no weekday")
