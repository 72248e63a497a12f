"""Belgian working days: Monday to Friday minus public holidays and the service's closure days.

Public holidays come from the `holidays` library (never hand-written Easter); the
federal civil-service days and announced bridge days are data (core.ClosureDay).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.core.cache import caches
from django.utils import timezone

from .models import ClosureDay

# A room (and equipment) can be asked for until this many working days before the interview.
ROOM_REQUEST_WORKING_DAYS = 2

# Closed every year for federal civil servants on top of the legal holidays.
FEDERAL_DAYS = ((11, 2), (11, 15), (12, 26))


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("BE", years=year).keys())


def closed_days(years: set[int]) -> set[dt.date]:
    days: set[dt.date] = set()
    for year in years:
        days |= _public_holidays(year)
        days |= {dt.date(year, month, day) for month, day in FEDERAL_DAYS}
    days |= set(ClosureDay.objects.filter(date__year__in=years).values_list("date", flat=True))
    return days


def is_working_day(day: dt.date, closed: set[dt.date] | None = None) -> bool:
    if closed is None:
        closed = closed_days({day.year})
    return day.weekday() < 5 and day not in closed


def working_days_before(day: dt.date, n: int) -> dt.date:
    """The date that lies `n` working days before `day` (day itself not counted).

    "At the latest 2 working days before a Wednesday interview" is the Monday.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    closed = closed_days({day.year, day.year - 1})
    current = day
    remaining = n
    while remaining:
        current -= dt.timedelta(days=1)
        if current.year < day.year - 1:
            closed |= closed_days({current.year})
        if is_working_day(current, closed):
            remaining -= 1
    return current


def room_request_deadline(interview_start: dt.datetime) -> dt.date:
    """The last day (Brussels) on which a room request is on time: 2 working days before the interview.

    Cached for 5 minutes per interview day in the process's memory: the candidate's overview shows
    it on every load and a bulk send of invitations asks thousands of times, and closure days
    (bridge days) are announced long in advance."""
    day = timezone.localdate(interview_start)
    key = f"room-deadline:{day.isoformat()}"
    deadline = caches["local"].get(key)
    if deadline is None:
        deadline = working_days_before(day, ROOM_REQUEST_WORKING_DAYS)
        caches["local"].set(key, deadline, 300)
    return deadline
