"""Dates written out the way each language writes them.

Django's `date` filter takes one format for every language, so "l j F Y" gave German readers
"Donnerstag 10 Dezember 2026"; German writes "Donnerstag, 10. Dezember 2026" and "10. Dezember
2026". Pages, e-mails and PDFs write long dates through these functions (or the `long_date`
filter of `{% load dates %}`), in the active language.

Staff tables want the short form ("10. Dez. 2026"). Django's "M" cannot give it: it writes French
"Jui" for both juin and juillet, "Déc" with a capital, and no abbreviation dots anywhere, and "j M Y"
puts the German day without its dot. The short forms below carry each language's own abbreviations
(as the Unicode CLDR lists them), in each language's order.
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


# Abbreviated month and weekday names (Monday first), as each language abbreviates them.
SHORT_MONTHS = {
    "de": ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."),
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
    "nl": ("jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
SHORT_WEEKDAYS = {
    "de": ("Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."),
    "fr": ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."),
    "nl": ("ma", "di", "wo", "do", "vr", "za", "zo"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def _language() -> str:
    language = (get_language() or "en").split("-")[0]
    return language if language in SHORT_MONTHS else "en"


def _local(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def short_date(value: dt.date | dt.datetime | None, *, weekday: bool = False, year: bool = True) -> str:
    """"10. Dez. 2026" (de), "10 déc. 2026" (fr), "10 dec. 2026" (nl); with the weekday "Do., 10. Dez.
    2026", "jeu. 10 déc. 2026", "do 10 dec. 2026"; without the year "10. Dez.", in the active language."""
    if value is None:
        return ""
    value = _local(value)
    language = _language()
    month = SHORT_MONTHS[language][value.month - 1]
    day = f"{value.day}. {month}" if language == "de" else f"{value.day} {month}"
    if year:
        day = f"{day} {value.year}"
    if not weekday:
        return day
    name = SHORT_WEEKDAYS[language][value.weekday()]
    return f"{name}, {day}" if language == "de" else f"{name} {day}"


def short_datetime(value: dt.datetime | None, *, weekday: bool = False, year: bool = True, zone: bool = True,
                   seconds: bool = False) -> str:
    """"10. Dez. 2026, 14:00 CET": the short date, the Brussels time and (unless `zone` is false, for a
    span whose end names it) its zone name."""
    if value is None:
        return ""
    local = _local(value)
    clock = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    zone_name = (local.tzname() or "") if zone else ""
    return f"{short_date(local, weekday=weekday, year=year)}, {clock} {zone_name}".rstrip()


def long_datetime(value: dt.datetime | None, *, weekday: bool = False, seconds: bool = False) -> str:
    """"10. Dezember 2026, 14:00 CET": the long date in the active language, the Brussels time and its
    zone name (never empty, unlike Django's "T" for a time in the repeated autumn hour)."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    clock = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    zone = local.tzname() or ""
    return f"{long_date(local, weekday=weekday)}, {clock} {zone}".rstrip()
