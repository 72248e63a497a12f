"""What the planner must know about each candidate, from the portal: the selector
`candidate_planning_needs(procedure=…)`.

Approved adjustments (extra minutes per kind of step) and approved room requests (on site,
with the assigned room and what they need) come from the portal's decisions; the half-days
a candidate cannot come, and those they prefer, come from procedures.availability. Reasons and certificates never
leave the portal: the planner gets minutes, a yes/no and the room, not why.
Four queries, whatever the number of candidates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from interviewdesk.procedures.availability import (
    candidate_preferred_half_days,
    candidate_unavailable_half_days,
)
from interviewdesk.procedures.models import Procedure

from .models import AdjustmentDecision, RoomRequest


@dataclass
class CandidatePlanningNeeds:
    """One candidate's constraints for planning. Defaults: nothing special."""

    candidate_id: int
    extra_minutes: dict[str, int] = field(default_factory=dict)  # appointment kind → approved extra minutes
    needs_room: bool = False  # an approved room request: take part on site, in a room we provide
    room_id: int | None = None  # the room the officer assigned when approving, if any
    room_needs: str = ""  # what the candidate asked for (equipment), for the officer's eye
    unavailable: set[tuple[dt.date, str]] = field(default_factory=set)  # (date, "am"/"pm")
    preferred: set[tuple[dt.date, str]] = field(default_factory=set)  # half-days they would rather come

    def extra_for(self, kind: str) -> int:
        return self.extra_minutes.get(kind, 0)


def candidate_planning_needs(*, procedure: Procedure) -> dict[int, CandidatePlanningNeeds]:
    """candidate id → CandidatePlanningNeeds, for every candidate of the procedure that has any.

    A candidate missing from the result has no needs: plan with the procedure's durations,
    from home, on any half-day.
    """
    needs: dict[int, CandidatePlanningNeeds] = {}

    def of(candidate_id: int) -> CandidatePlanningNeeds:
        return needs.setdefault(candidate_id, CandidatePlanningNeeds(candidate_id=candidate_id))

    # Per kind of step: the decisions on the candidate's appointments of that kind, else the one
    # made ahead of planning (a decision on an appointment is the later, more precise one; a
    # refusal there counts as 0 minutes and so also wins).
    on_steps: dict[tuple[int, str], int] = {}
    ahead: dict[tuple[int, str], int] = {}
    decisions = AdjustmentDecision.objects.filter(request__candidate__procedure=procedure).values_list(
        "request__candidate_id", "step", "appointment_id", "approved", "extra_minutes")
    for candidate_id, kind, appointment_id, approved, minutes in decisions:
        into = ahead if appointment_id is None else on_steps
        into[(candidate_id, kind)] = max(into.get((candidate_id, kind), 0), minutes if approved else 0)
    for (candidate_id, kind), minutes in {**ahead, **on_steps}.items():
        if minutes:
            of(candidate_id).extra_minutes[kind] = minutes

    rooms = RoomRequest.objects.filter(candidate__procedure=procedure, status=RoomRequest.Status.APPROVED) \
        .order_by("created_at", "id").values_list("candidate_id", "room_id", "needs")
    for candidate_id, room_id, wanted in rooms:
        entry = of(candidate_id)
        entry.needs_room = True
        entry.room_id = room_id or entry.room_id
        entry.room_needs = wanted or entry.room_needs

    for candidate_id, half_days in candidate_unavailable_half_days(procedure=procedure).items():
        of(candidate_id).unavailable = half_days
    for candidate_id, half_days in candidate_preferred_half_days(procedure=procedure).items():
        of(candidate_id).preferred = half_days
    return needs
