"""What "ready for the interview" means: one rule for the candidate's checklist (selectors.overview)
and the staff readiness table and its export (staff_selectors.readiness_rows).

Both pages read the same facts with `with_facts` (one subquery per fact, one query per list); this
module turns them into one state per item, in the staff table's words, and says whether the candidate is ready. The
candidate's page words its steps itself (todo, done, requested…) but takes "ready" from here, so the
two never disagree (tests/portal/test_one_readiness_rule.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from interviewdesk.messaging.content import CONNECTION_TEST_HOURS_BEFORE
from interviewdesk.procedures.models import Candidate
from interviewdesk.scheduling.models import Appointment

from .models import AdjustmentRequest, ConnectionTestBooking, DeviceCheck, Readiness, RoomRequest

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# The states of each item that count as ready; every other state is something still to do or to fix.
READY_STATES: dict[str, frozenset[str]] = {
    "accepted": frozenset({"yes"}),  # the interview is confirmed (in the portal or by the calendar answer)
    "phone": frozenset({"yes"}),
    "equipment": frozenset({"yes", "missing"}),  # declared; what is missing is the room item's matter
    "device_check": frozenset({"ok", "warning"}),
    # a live test booked or passed, or no longer possible before the interview (the device check stands in)
    "connection_test": frozenset({"booked", "passed", "closed"}),
    # a room is not needed, or the officer decided (refused: the candidate uses their own set-up)
    "room": frozenset({"none", "approved", "refused"}),
    "adjustments": frozenset({"none", "requested"}),  # asking is optional
    "rules": frozenset({"yes"}),  # the house rules in force now (docs/setup.md)
}


@dataclass(frozen=True)
class Facts:
    """What each page reads about one candidate."""

    interview_status: str | None  # of the main interview (an active one), None before there is one
    interview_starts_at: dt.datetime | None
    readiness: Readiness | None
    house_rules_version: int  # the procedure's
    check_verdict: str | None  # the latest device check's: ok, warning, fail
    test_outcome: str | None  # the active connection-test booking's: pending, passed, problems, no_show
    room_status: str | None  # the latest room request's: open, approved, refused
    room_late: bool  # that request came after the deadline
    has_adjustments: bool


class FactColumns(TypedDict):
    """What `with_facts` adds to each candidate (the Facts below that come from other tables)."""

    check_verdict: str | None
    test_outcome: str | None
    room_status: str | None
    room_late: bool | None
    has_adjustments: bool


def _latest(model, field: str) -> Subquery:
    return Subquery(model.objects.filter(candidate=OuterRef("pk")).order_by("-created_at", "-id").values(field)[:1])


def with_facts(candidates: QuerySet[Candidate]) -> QuerySet[WithAnnotations[Candidate, FactColumns]]:
    """`candidates` with the facts both pages read: the latest device check's verdict, the active
    connection-test booking's outcome, the latest room request's status and lateness, whether any
    adjustment was asked for."""
    active_booking = ConnectionTestBooking.objects.filter(
        candidate=OuterRef("pk"), appointment__status__in=Appointment.ACTIVE_STATUSES).order_by("-created_at")
    return candidates.annotate(
        check_verdict=_latest(DeviceCheck, "verdict"),
        test_outcome=Subquery(active_booking.values("outcome")[:1]),
        room_status=_latest(RoomRequest, "status"),
        room_late=_latest(RoomRequest, "late"),
        has_adjustments=Exists(AdjustmentRequest.objects.filter(candidate=OuterRef("pk"))),
    )


def live_test_possible(interview_starts_at: dt.datetime | None, now: dt.datetime | None = None) -> bool:
    """A live connection test can still be held before the interview."""
    now = now or timezone.now()
    return interview_starts_at is None or now + dt.timedelta(hours=CONNECTION_TEST_HOURS_BEFORE) <= interview_starts_at


def rules_accepted(readiness: Readiness | None, house_rules_version: int) -> bool:
    """An acceptance of house rules that changed since counts as not accepted."""
    return bool(readiness and readiness.rules_acknowledged_at
                and (readiness.rules_version or 1) == house_rules_version)


def item_states(facts: Facts, now: dt.datetime | None = None) -> dict[str, str]:
    """One state per item, in the order of the staff table's columns."""
    readiness = facts.readiness
    equipment = "no"
    if readiness and readiness.equipment_declared_at:
        equipment = "missing" if readiness.equipment_missing else "yes"
    if facts.room_status:
        room = "late" if facts.room_status == "open" and facts.room_late else facts.room_status
    else:
        room = "open" if equipment == "missing" else "none"
    if facts.test_outcome:
        test = "booked" if facts.test_outcome == "pending" else facts.test_outcome
    else:
        test = "no" if live_test_possible(facts.interview_starts_at, now) else "closed"
    return {
        "accepted": "yes" if facts.interview_status == Appointment.Status.CONFIRMED else "no",
        "phone": "yes" if readiness and readiness.phone_confirmed_at else "no",
        "equipment": equipment,
        "device_check": facts.check_verdict or "no",
        "connection_test": test,
        "room": room,
        "adjustments": "requested" if facts.has_adjustments else "none",
        "rules": "yes" if rules_accepted(readiness, facts.house_rules_version) else "no",
    }


def is_ready(states: dict[str, str]) -> bool:
    return all(state in READY_STATES[item] for item, state in states.items())
