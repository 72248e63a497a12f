"""`{% load dates %}`: `{{ value|long_date }}` ("Donnerstag, 10. Dezember 2026"),
`{{ value|long_date:"no weekday" }}` ("10. Dezember 2026") and `{{ value|long_datetime }}`
("10. Dezember 2026, 14:00 CET"; arguments "weekday", "seconds"), in the active language.
Staff tables use the short forms: `{{ value|short_date }}` ("10. Dez. 2026"; arguments "weekday",
"no year") and `{{ value|short_datetime }}` ("10. Dez. 2026, 14:00 CET"; arguments "weekday",
"no year", "no zone", "seconds"). Never `|date:"j M Y"`: one format for every language
(tests/core/test_short_dates.py keeps such formats out of the templates)."""

from __future__ import annotations

import datetime as dt

from django import template

from interviewdesk.core import dates

register = template.Library()


@register.filter
def long_date(value, arg: str = "") -> str:
    return dates.long_date(value, weekday=arg != "no weekday")


@register.filter
def long_datetime(value, arg: str = "") -> str:
    return dates.long_datetime(value, weekday="weekday" in arg, seconds="seconds" in arg)


@register.filter
def short_date(value, arg: str = "") -> str:
    return dates.short_date(value, weekday="weekday" in arg, year="no year" not in arg)


@register.filter
def short_datetime(value, arg: str = "") -> str:
    return dates.short_datetime(value, weekday="weekday" in arg, year="no year" not in arg,
                                zone="no zone" not in arg, seconds="seconds" in arg)


@register.filter
def readable(value):
    """Any value of a data export as a reader expects it: a moment in local time with its zone, a
    date in words, anything else as it is (the JSON keeps ISO 8601)."""
    if isinstance(value, dt.datetime):
        return dates.long_datetime(value)
    if isinstance(value, dt.date):
        return dates.long_date(value, weekday=False)
    return value
