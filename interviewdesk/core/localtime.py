"""Brussels wall-clock times and the instants they stand for.

A wall-clock time on the night the clocks go forward may not exist (02:30 on the last Sunday
of March), and on the night they go back it may happen twice (02:30 on the last Sunday of
October, first at UTC+02:00, then at UTC+01:00). Python's zoneinfo silently picks one
(`fold=0`), which turned a non-existent 02:30 into 03:30 and an ambiguous 02:30 into a
one-hour slot that ends at "02:30". Everything that turns what a person typed into an instant
goes through here, and so do the checks on dates people type (a sensible range, no
OverflowError on year 1 or 9999).

Arithmetic is done in UTC: adding 30 minutes to a zoned datetime adds 30 minutes of wall time.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# How far back and ahead a date typed by staff may be (docs/architecture.md "Dates and times").
YEARS_BACK = 1
YEARS_AHEAD = 3


def zone() -> zoneinfo.ZoneInfo:
    return timezone.get_default_timezone()


def offset_label(offset: dt.timedelta | None) -> str:
    """"UTC+02:00" for a UTC offset (`utcoffset()` of an aware time; a naive one has none)."""
    if offset is None:
        raise ValueError("a naive time has no UTC offset")
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def instants(wall: dt.datetime) -> list[dt.datetime]:
    """The UTC instants a naive Brussels wall-clock time stands for: none (it does not exist),
    one, or two (it happens twice; earlier first)."""
    return _instants_in(wall, zone())


def is_ambiguous(wall: dt.datetime) -> bool:
    return len(instants(wall)) == 2


def nonexistent_message(wall: dt.datetime) -> str:
    return _("%(time)s does not exist on %(day)s: the clocks move forward that night. Choose another time.") % {
        "time": wall.strftime("%H:%M"), "day": date_format(wall.date(), "DATE_FORMAT")}


def ambiguous_message(wall: dt.datetime) -> str:
    first, second = instants(wall)
    return _("%(time)s happens twice on %(day)s (the clocks go back that night): choose the first, at "
             "%(first)s (summer time), or the second, at %(second)s (winter time).") % {
        "time": wall.strftime("%H:%M"), "day": date_format(wall.date(), "DATE_FORMAT"),
        "first": offset_label(first.astimezone(zone()).utcoffset()),
        "second": offset_label(second.astimezone(zone()).utcoffset())}


def wall_to_instant(day: dt.date, time: dt.time, *, offset: str = "") -> dt.datetime:
    """The UTC instant of a Brussels wall-clock time. A time that does not exist raises
    ValidationError; one that happens twice needs `offset` ("+02:00" or "+01:00") to say which."""
    wall = dt.datetime.combine(day, time.replace(tzinfo=None))
    found = instants(wall)
    if not found:
        raise ValidationError(nonexistent_message(wall), code="nonexistent_time")
    if len(found) == 1:
        return found[0]
    for instant in found:
        if offset and offset_label(instant.astimezone(zone()).utcoffset()) == f"UTC{offset}":
            return instant
    raise ValidationError(ambiguous_message(wall), code="ambiguous_time")


def check_zoned(value: dt.datetime) -> None:
    """Refuse a datetime in a zone with daylight saving whose wall-clock time does not exist or
    happens twice: which instant was meant cannot be told. Callers that know pass an instant in
    UTC or with a fixed offset (the forms do, after the person chose)."""
    if not isinstance(value.tzinfo, zoneinfo.ZoneInfo) or value.tzinfo.key == "UTC":
        return
    wall = value.replace(tzinfo=None, fold=0)
    found = _instants_in(wall, value.tzinfo)
    if not found:
        raise ValidationError(nonexistent_message(wall), code="nonexistent_time")
    if len(found) == 2:
        raise ValidationError(ambiguous_message(wall), code="ambiguous_time")


def _instants_in(wall: dt.datetime, tz: zoneinfo.ZoneInfo) -> list[dt.datetime]:
    found = []
    for fold in (0, 1):
        instant = wall.replace(tzinfo=tz, fold=fold).astimezone(dt.UTC)
        if instant.astimezone(tz).replace(tzinfo=None) == wall and instant not in found:
            found.append(instant)
    return sorted(found)


def date_range() -> tuple[dt.date, dt.date]:
    """The dates staff may type: from a year back to three years ahead of today (Brussels)."""
    today = timezone.localdate()
    return _shift_years(today, -YEARS_BACK), _shift_years(today, YEARS_AHEAD)


def _shift_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check_date(day: dt.date) -> None:
    """A ValidationError (in the user's language) for a date outside `date_range()`."""
    first, last = date_range()
    if not first <= day <= last:
        raise ValidationError(
            _("Choose a date between %(first)s and %(last)s.") % {
                "first": date_format(first, "DATE_FORMAT"), "last": date_format(last, "DATE_FORMAT")},
            code="date_out_of_range")
