"""What `plan` returns: a proposal (not appointments), its figures and its reasons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .instance import TestSlot


@dataclass(frozen=True)
class Reason:
    """Why a candidate got this slot, or none. `code` + `params` so the product can translate it."""

    code: str
    params: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Placement:
    """A solver's decision before proctors, rooms and tests are assigned."""

    candidate: int
    jury: int
    day: dt.date
    start: int


@dataclass(frozen=True)
class Item:
    candidate: int
    jury: int
    day: dt.date
    start: int  # the interview
    end: int
    case_start: int | None  # the case (same proctor), if the procedure has one
    case_end: int | None
    proctor: int | None
    room: int | None
    test: TestSlot | None
    pinned: bool = False
    moved: bool = False  # it had another slot before this plan
    why: Reason | None = None

    @property
    def block_start(self) -> int:
        return self.case_start if self.case_start is not None else self.start


@dataclass
class Stage:
    objective: str
    value: int
    bound: int | None  # the solver's bound on this objective (None: shared solve, not proven)
    status: str
    seconds: float


@dataclass
class Figures:
    candidates: int = 0
    planned: int = 0
    plannable_bound: int = 0  # max-flow upper bound on coverage
    last_day: dt.date | None = None
    jury_days: int = 0
    jury_days_bound: int | None = None  # the solver's or the capacity bound (given coverage and the objectives before it)
    idle_minutes: int = 0
    preferred_met: int = 0
    preferred_asked: int = 0
    max_load: int = 0
    moves: int = 0
    lost_to_tests: int = 0  # placed by the solver, then left out: no connection-test group fitted
    seconds: float = 0.0
    method: str = ""
    stages: list[Stage] = field(default_factory=list)

    @property
    def jury_days_gap(self) -> float | None:
        if self.jury_days_bound is None or not self.jury_days:
            return None
        return (self.jury_days - self.jury_days_bound) / self.jury_days


@dataclass
class Proposal:
    items: list[Item]
    unplanned: dict[int, Reason]
    figures: Figures

    def item_for(self, candidate_id: int) -> Item | None:
        return next((i for i in self.items if i.candidate == candidate_id), None)
