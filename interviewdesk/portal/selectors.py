"""Read queries for the candidate's pages. The overview runs a fixed number of queries,
whatever the number of appointments or requests the candidate has."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F, FilteredRelation, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interviewdesk.assessment.selectors import published_result
from interviewdesk.core.text import LazyText
from interviewdesk.core.workdays import room_request_deadline
from interviewdesk.live.selectors import candidate_in_preparation
from interviewdesk.messaging.content import CONNECTION_TEST_HOURS_BEFORE, interview_course, minutes_of
from interviewdesk.procedures.models import Candidate
from interviewdesk.scheduling.models import Appointment

from .models import ConnectionTestBooking, DeviceCheck, Readiness, RoomRequest
from .readiness import FactColumns, Facts, is_ready, item_states, with_facts

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations
from .services import request_is_late

TEST_HOURS_BEFORE_INTERVIEW = CONNECTION_TEST_HOURS_BEFORE


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    url: str
    state: str  # "done", "todo", "late", "optional", "warning", "failed"
    state_label: LazyText
    due: dt.date | None = None
    detail: str = ""


STATE_LABELS = {
    "done": _("done"),
    "todo": _("to do"),
    "late": _("overdue"),
    "optional": _("only if needed"),
    "warning": _("done, with warnings"),
    "failed": _("failed: please try again"),
    "requested": _("requested"),
    "closed": _("no longer possible"),
}


def candidate_appointments(candidate: Candidate) -> list[Appointment]:
    """Active appointments, each with `candidate_answer`: the candidate's calendar answer (a
    "maybe" makes the page ask them to confirm), read through messaging's reverse relation."""
    current_copy = FilteredRelation("invitations", condition=Q(invitations__role="candidate",
                                                               invitations__cancelled=False))
    return list(
        Appointment.objects.filter(candidate=candidate, status__in=Appointment.ACTIVE_STATUSES)
        .select_related("room", "meeting_link__meeting")
        .annotate(candidate_copy=current_copy, candidate_answer=F("candidate_copy__partstat"))
        .order_by("starts_at", "id")
    )


def main_interview(appointments: list[Appointment]) -> Appointment | None:
    return next((a for a in appointments if a.kind == Appointment.Kind.INTERVIEW), None)


def current_booking(candidate: Candidate) -> ConnectionTestBooking | None:
    return (
        ConnectionTestBooking.objects.filter(candidate=candidate, appointment__status__in=Appointment.ACTIVE_STATUSES)
        .select_related("appointment", "slot")
        .first()
    )


def latest_device_check(candidate: Candidate) -> DeviceCheck | None:
    return DeviceCheck.objects.filter(candidate=candidate).first()


def _step(code, label, url, state, due=None, detail="") -> Step:
    """A due day that has passed is not shown: a step still to do then says "as soon as possible"."""
    if due is not None and due < timezone.localdate():
        due = None
        if state in ("todo", "late") and not detail:
            detail = _("as soon as possible")
    return Step(code, label, reverse(url), state, STATE_LABELS[state], due, detail)


# The connection-test step's state for each state of the item (readiness.item_states).
TEST_STEP = {"no": "todo", "booked": "done", "passed": "done", "problems": "failed", "no_show": "todo"}


def _todo_or_done(done: bool) -> str:
    """A step whose day has passed is still to do (at once): an invitation sent the day before or on
    the day itself leaves no earlier moment, and the page never shows a day in the past."""
    return "done" if done else "todo"


def _candidate_state(candidate: Candidate) -> WithAnnotations[Candidate, FactColumns]:
    """One query for everything the checklist needs besides the appointments."""
    return with_facts(Candidate.objects.filter(pk=candidate.pk)).get()


def overview(candidate: Candidate, appointments: list[Appointment]) -> dict:
    """`candidate` comes from the session with its readiness already loaded (select_related)."""
    interview = main_interview(appointments)
    state = _candidate_state(candidate)
    readiness = getattr(candidate, "readiness", None) or Readiness(candidate=candidate)
    before_interview = timezone.localdate(interview.starts_at) - dt.timedelta(days=1) if interview else None
    room_deadline = room_request_deadline(interview.starts_at) if interview else None
    test_due = (timezone.localdate(interview.starts_at - dt.timedelta(hours=TEST_HOURS_BEFORE_INTERVIEW))
                if interview else None)

    # Whether the candidate is ready, and the state of each item, follow the one rule the staff
    # readiness table follows (readiness.py); this page only words the steps.
    states = item_states(Facts(
        interview_status=interview.status if interview else None,
        interview_starts_at=interview.starts_at if interview else None,
        readiness=readiness if readiness.pk else None, house_rules_version=candidate.procedure.house_rules_version,
        check_verdict=state.check_verdict, test_outcome=state.test_outcome, room_status=state.room_status,
        room_late=bool(state.room_late), has_adjustments=state.has_adjustments,
    ))
    steps = [
        _step("phone", _("Confirm your phone number"), "portal:phone",
              _todo_or_done(bool(readiness.phone_confirmed_at)),
              before_interview),
        _step("equipment", _("Declare your equipment"), "portal:equipment",
              _todo_or_done(bool(readiness.equipment_declared_at)), room_deadline),
    ]
    if state.check_verdict is None:
        check_state = _todo_or_done(False)
    else:
        check_state = {"ok": "done", "warning": "warning", "fail": "failed"}[state.check_verdict]
    steps.append(_step("device_check", _("Check your device and connection"), "portal:device_check",
                       check_state, before_interview))
    if states["connection_test"] != "closed":
        steps.append(_step("connection_test", _("Book a live connection test"), "portal:connection_test",
                           TEST_STEP[states["connection_test"]], test_due))
    else:  # too close to the interview: no live test is promised, the device check stands in for it
        steps.append(_step("connection_test", _("Live connection test"), "portal:device_check", "closed",
                           detail=_("Your interview is too close for a live test: check your device yourself "
                                    "and open the join link a few minutes early.")))
    needs_room = bool(readiness.equipment_missing)
    room_late = request_is_late(room_deadline)
    if state.room_status:
        room_state = "done" if state.room_status == RoomRequest.Status.APPROVED else "requested"
    elif needs_room:
        room_state = "late" if room_late else "todo"
    else:
        room_state = "optional"
    steps.append(_step("room", _("Ask for a room and equipment"), "portal:room", room_state,
                       room_deadline,
                       _("The usual deadline has passed: contact your contact person right away.")
                       if room_late and room_state in ("late", "optional") else ""))
    steps.append(_step("adjustments", _("Ask for reasonable adjustments"), "portal:adjustments",
                       "requested" if state.has_adjustments else "optional", room_deadline))
    rules_accepted = states["rules"] == "yes"
    steps.append(_step("rules", _("Read and accept the rules"), "portal:rules", _todo_or_done(rules_accepted),
                       before_interview, _("The house rules have changed: please accept them again.")
                       if readiness.rules_acknowledged_at and not rules_accepted else ""))
    return {
        "appointments": appointments,
        "interview": interview,
        "steps": steps,
        "ready": is_ready(states),
        "course": interview_course(candidate.procedure, minutes=minutes_of(interview) if interview else None),
    }


def assessment_and_live(candidate: Candidate, token) -> dict:
    """The published result and whether a preparation runs. The session's token query already says
    whether there is anything to load (`result_published`, `live_changed`), so a candidate with
    neither costs no query here."""
    result = published_result(candidate) if token.result_published is not None else None
    return {
        "result": result,
        "feedback_url": reverse("portal:feedback_pdf") if result else "",
        "preparation_running": token.live_changed is not None and candidate_in_preparation(candidate),
    }


def interview_over(candidate: Candidate) -> bool:
    """The candidate's interview has taken place: the page then leads with the result, not the checklist."""
    return Appointment.objects.filter(candidate=candidate, kind=Appointment.Kind.INTERVIEW,
                                      status=Appointment.Status.DONE).exists()
