"""Dates written out the way each language writes them.

Django's `date` filter takes one format for every language, so "l j F Y" gave German readers
"Donnerstag 10 Dezember 2026"; German writes "Donnerstag, 10. Dezember 2026" and "10. Dezember
2026". Pages, e-mails and PDFs write long dates through these two functions (or the `long_date`
filter of `{% load dates %}`), in the active language.
"""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import get_language

WITH_WEEKDAY = {"de": "l, j. F Y"}
WITHOUT_WEEKDAY = {"de": "j. F Y"}


def long_date(value: dt.date | dt.datetime | None, *, weekday: bool = True) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    language = (get_language() or "en").split("-")[0]
    formats_by_language = WITH_WEEKDAY if weekday else WITHOUT_WEEKDAY
    return formats.date_format(value, formats_by_language.get(language, "l j F Y" if weekday else "j F Y"))


def long_datetime(value: dt.datetime | None, *, weekday: bool = False, seconds: bool = False) -> str:
    """"10. Dezember 2026, 14:00 CET": the long date in the active language, the Brussels time and its
    zone name (never empty, unlike Django's "T" for a time in the repeated autumn hour)."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    clock = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    zone = local.tzname() or ""
    return f"{long_date(local, weekday=weekday)}, {clock} {zone}".rstrip()
