"""The clock in tests: the TEST_NOW moment, and helpers for scenarios that hold at any moment.

A test must pass whatever the wall clock says (CI runs the suite at several moments, see the
README's "Tests"). "Tomorrow at 10:00" is less than 24 hours away before 10:00, tomorrow may be a
Saturday, a holiday or a daylight-saving night, and a fixed date passes one day. So a test that
depends on the moment either freezes it (the `working_day_morning` fixture, or
`time_machine.move_to(..., tick=False)`) or builds its data from the helpers below, which are
relative to the current (possibly travelled) moment.
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo

from django.utils import timezone

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


class TestNowError(ValueError):
    pass


def read_test_now() -> dt.datetime | None:
    """TEST_NOW as an aware datetime, or None when it is not set."""
    value = os.environ.get("TEST_NOW", "").strip()
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise TestNowError(f"TEST_NOW={value!r} is not an ISO 8601 date and time") from None
    if moment.utcoffset() is None:
        raise TestNowError(f"TEST_NOW={value!r} needs a UTC offset, e.g. 2027-03-27T23:30:00+01:00")
    return moment



def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """That wall-clock time in Brussels on that day."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BRUSSELS)


def is_working_day(day: dt.date) -> bool:
    from interviewdesk.core.workdays import is_working_day as product_is_working_day

    return product_is_working_day(day)


def next_working_day(after: dt.date | None = None, *, then_working: bool = False) -> dt.date:
    """The first working day after `after` (default: today in Brussels). With `then_working`, the
    first one whose next day is a working day too ("the day after" stays a working day)."""
    day = after or timezone.localdate()
    while True:
        day += dt.timedelta(days=1)
        if is_working_day(day) and (not then_working or is_working_day(day + dt.timedelta(days=1))):
            return day


def working_day_at(hour: int, minute: int = 0, *, at_least: dt.timedelta = dt.timedelta(0)) -> dt.datetime:
    """hour:minute in Brussels on the first working day after today that is at least `at_least`
    from now: e.g. `working_day_at(10, at_least=dt.timedelta(hours=25))` is an interview more than a
    day away, on a working day, whatever the clock says."""
    day = next_working_day()
    while local(day, hour, minute) < timezone.now() + at_least:
        day = next_working_day(day)
    return local(day, hour, minute)
