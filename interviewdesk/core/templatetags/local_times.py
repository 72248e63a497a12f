"""Times of an appointment or slot in Brussels time, right on the nights the clocks change.

Django's `time:"T"` prints no zone for a time that happens twice (it cannot tell which one is
meant), so a 02:30 appointment on the night the clocks go back read "02:30–02:30" with no zone.
These filters take the instant, so the abbreviation is always known: a span whose start and end
have different offsets names both ("02:30 CEST–02:30 CET").
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


def zone_abbreviation(value: dt.datetime) -> str:
    return timezone.localtime(value).tzname() or ""


@register.filter
def zone_name(value: dt.datetime | None) -> str:
    """"CET" or "CEST" for the instant."""
    return zone_abbreviation(value) if value else ""


def time_span(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.utcoffset() != end.utcoffset():
        return f"{start:%H:%M} {start.tzname()}–{end:%H:%M} {end.tzname()}"
    return f"{start:%H:%M}–{end:%H:%M} {end.tzname()}"


@register.filter
def local_span(item) -> str:
    """"09:00–10:00 CET" for anything with `starts_at` and `ends_at`."""
    return time_span(item.starts_at, item.ends_at)


@register.filter
def one_offset(item) -> bool:
    """Whether start and end have the same UTC offset (almost always: not across a clock change)."""
    return timezone.localtime(item.starts_at).utcoffset() == timezone.localtime(item.ends_at).utcoffset()


@register.filter
def local_hours(item) -> str:
    """"09:00–10:00" without the zone; use with `one_offset` (else `local_span` names both zones)."""
    return f"{timezone.localtime(item.starts_at):%H:%M}–{timezone.localtime(item.ends_at):%H:%M}"
