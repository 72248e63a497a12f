"""`{% load dates %}`: `{{ value|long_date }}` ("Donnerstag, 10. Dezember 2026"),
`{{ value|long_date:"no weekday" }}` ("10. Dezember 2026") and `{{ value|long_datetime }}`
("10. Dezember 2026, 14:00 CET"; arguments "weekday", "seconds"), in the active language."""

from __future__ import annotations

from django import template

from interviewdesk.core import dates

register = template.Library()


@register.filter
def long_date(value, arg: str = "") -> str:
    return dates.long_date(value, weekday=arg != "no weekday")


@register.filter
def long_datetime(value, arg: str = "") -> str:
    return dates.long_datetime(value, weekday="weekday" in arg, seconds="seconds" in arg)
