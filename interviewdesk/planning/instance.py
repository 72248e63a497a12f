"""The planning problem as plain data (no ORM): what a selector builds and `plan` reads.

Times are minutes after local midnight; days are `datetime.date`. A half-day is
`(date, 0)` for the morning (window start → lunch) or `(date, 1)` for the afternoon
(lunch end → window end).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

HalfDay = tuple[dt.date, int]
MORNING, AFTERNOON = 0, 1


@dataclass(frozen=True)
class DayWindow:
    start: int = 9 * 60
    lunch_start: int = 12 * 60 + 30
    lunch_end: int = 13 * 60 + 30
    end: int = 17 * 60
    grid: int = 15  # interviews start on this grid (plus the start of any kept or pinned one)

    def bounds(self, half: int) -> tuple[int, int]:
        return (self.start, self.lunch_start) if half == MORNING else (self.lunch_end, self.end)

    def half_of(self, minute: int) -> int:
        return MORNING if minute < self.lunch_start else AFTERNOON


@dataclass(frozen=True)
class Slot:
    """Where an interview is (or was) held. Proctor and room are kept when they still fit."""

    jury: int
    day: dt.date
    start: int
    proctor: int | None = field(default=None, compare=False)
    room: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class TestSlot:
    """A group connection test: one proctor, several candidates at once."""

    proctor: int
    day: dt.date
    start: int
    end: int


@dataclass(frozen=True)
class Candidate:
    id: int
    language: str
    unavailable: frozenset[HalfDay] = frozenset()
    preferred: frozenset[HalfDay] = frozenset()  # empty: no preference
    extra_minutes: int = 0  # approved extra time: on the case if there is one, else on the interview
    # Approved extra time on the interview itself when there is a case (docs/planning.md, "Extra time");
    # without a case it lengthens the interview like `extra_minutes`.
    interview_extra_minutes: int = 0
    needs_room: bool = False  # takes part from a room the service provides
    # The room the officer assigned when approving the request (it has what the candidate asked
    # for): only that one. None: any room free then.
    room: int | None = None
    # Re-planning: the interview they hold now (kept unless moving it lets more candidates in),
    # or one the officer pinned (never moves).
    current: Slot | None = None
    pinned: Slot | None = None
    test: TestSlot | None = None  # a connection test already planned (kept)


@dataclass(frozen=True)
class Jury:
    id: int
    languages: frozenset[str]
    available: frozenset[HalfDay]
    max_per_day: int = 6
    name: str = ""


@dataclass(frozen=True)
class Proctor:
    id: int
    available: frozenset[HalfDay]
    group_size: int = 6  # candidates at once in a connection test


@dataclass(frozen=True)
class Room:
    id: int
    free: frozenset[HalfDay]  # the half-days it is free


@dataclass(frozen=True)
class Busy:
    """Time someone already spends on other appointments (kept out of the plan)."""

    day: dt.date
    start: int
    end: int


@dataclass(frozen=True)
class Instance:
    days: tuple[dt.date, ...]  # the planning window's interview days, in order
    candidates: tuple[Candidate, ...]
    juries: tuple[Jury, ...]
    proctors: tuple[Proctor, ...] = ()
    rooms: tuple[Room, ...] = ()
    window: DayWindow = field(default_factory=DayWindow)
    interview_minutes: int = 60
    buffer_minutes: int = 15  # the jury scores after each interview
    case_minutes: int = 0  # 0: no case; otherwise held just before the interview, same proctor
    case_gap_minutes: int = 0  # between the case's end and the interview
    test_minutes: int = 0  # 0: no connection test
    test_min_days_before: int = 2
    test_max_days_before: int = 14
    test_days: tuple[dt.date, ...] = ()  # days a connection test may be held
    # Per interview day, the days its connection test may be on (e.g. "2 working days before");
    # when absent, any test day from `test_max_days_before` to `test_min_days_before` calendar days before.
    test_days_by_interview_day: dict[dt.date, tuple[dt.date, ...]] | None = None
    proctor_busy: dict[int, tuple[Busy, ...]] = field(default_factory=dict)
    jury_busy: dict[int, tuple[Busy, ...]] = field(default_factory=dict)
    room_busy: dict[int, tuple[Busy, ...]] = field(default_factory=dict)
    needs_proctor: bool = True  # a proctor welcomes every candidate (and supervises the case)

    def test_days_for(self, interview_day: dt.date) -> list[dt.date]:
        """The days a connection test may be held for an interview on `interview_day`, latest first."""
        if self.test_days_by_interview_day is not None:
            days: Iterable[dt.date] = self.test_days_by_interview_day.get(interview_day, ())
        else:
            days = [td for td in self.test_days
                    if self.test_min_days_before <= (interview_day - td).days <= self.test_max_days_before]
        return sorted(days, reverse=True)

    def jury(self, jury_id: int) -> Jury:
        return next(j for j in self.juries if j.id == jury_id)


OBJECTIVES = ("finish_early", "jury_days", "idle", "preferences", "even_load")
DEFAULT_ORDER = OBJECTIVES
