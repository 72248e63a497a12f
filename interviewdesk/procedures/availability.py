"""Who and what is free when, per half-day: the planner's view of availability.

These are the read functions the planner (and the availability pages) call. A half-day is a
`(date, HalfDay)` pair. Every function runs one query, whatever the size of the procedure.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from interviewdesk.core.workdays import closed_days, is_working_day

from .models import (
    CandidatePreference,
    CandidateUnavailability,
    HalfDay,
    Procedure,
    RoomFreeDay,
    StaffAvailability,
)

HalfDaySlot = tuple[dt.date, str]
HALF_DAYS = (HalfDay.MORNING, HalfDay.AFTERNOON)


def planning_half_days(procedure: Procedure) -> list[HalfDaySlot]:
    """Every half-day of the planning window, in order (weekends included; callers filter)."""
    return [(day, part) for day in procedure.planning_days() for part in HALF_DAYS]


def staff_available_half_days(*, procedure: Procedure) -> dict[int, set[HalfDaySlot]]:
    """user id → the half-days that staff member said they are available for this procedure.

    Only explicit "available" answers count: a half-day nobody answered is not in the set.
    """
    result: dict[int, set[HalfDaySlot]] = defaultdict(set)
    rows = StaffAvailability.objects.filter(procedure=procedure, available=True).values_list("user_id", "date", "part")
    for user_id, day, part in rows:
        result[user_id].add((day, part))
    return dict(result)


def candidate_unavailable_half_days(*, procedure: Procedure) -> dict[int, set[HalfDaySlot]]:
    """candidate id → the half-days the candidate said they cannot come (reasons are not returned)."""
    result: dict[int, set[HalfDaySlot]] = defaultdict(set)
    rows = CandidateUnavailability.objects.filter(candidate__procedure=procedure).values_list(
        "candidate_id", "date", "part")
    for candidate_id, day, part in rows:
        result[candidate_id].add((day, part))
    return dict(result)


def candidate_preferred_half_days(*, procedure: Procedure) -> dict[int, set[HalfDaySlot]]:
    """candidate id → the half-days the candidate would rather come."""
    result: dict[int, set[HalfDaySlot]] = defaultdict(set)
    rows = CandidatePreference.objects.filter(candidate__procedure=procedure).values_list("candidate_id", "date", "part")
    for candidate_id, day, part in rows:
        result[candidate_id].add((day, part))
    return dict(result)


def room_free_half_days(*, first: dt.date | None = None, last: dt.date | None = None) -> dict[int, set[HalfDaySlot]]:
    """room id → the half-days the room is free, optionally limited to [first, last]."""
    rows = RoomFreeDay.objects.all()
    if first:
        rows = rows.filter(date__gte=first)
    if last:
        rows = rows.filter(date__lte=last)
    result: dict[int, set[HalfDaySlot]] = defaultdict(set)
    for room_id, day, part in rows.values_list("room_id", "date", "part"):
        result[room_id].add((day, part))
    return dict(result)


def working_days(days: list[dt.date]) -> list[dt.date]:
    """The working days among `days` (weekends, public holidays and closure days left out)."""
    closed = closed_days({day.year for day in days})
    return [day for day in days if is_working_day(day, closed)]


def slot_key(day: dt.date, part: str) -> str:
    """The form field name of one half-day, e.g. "hd-2031-03-03-am"."""
    return f"hd-{day.isoformat()}-{part}"


def grid_rows(days: list[dt.date]) -> list[tuple[dt.date, list[tuple[str, str]]]]:
    """For templates: each day with its (part, field name) pairs, morning first."""
    return [(day, [(part, slot_key(day, part)) for part in HALF_DAYS]) for day in days]
