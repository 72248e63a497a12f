"""What the candidate changes on their page: acceptance, phone, equipment, rules, problems, room requests.

Actions taken by the candidate are audited with actor=None and actor_label="candidate".
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from interviewdesk.core.audit import audit_record
from interviewdesk.core.workdays import room_request_deadline
from interviewdesk.messaging.services import Recipient, message_queue
from interviewdesk.procedures.house_rules import house_rules_digest, house_rules_shown
from interviewdesk.procedures.models import Candidate, Room
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_set_status, appointment_update

from ..models import EQUIPMENT_ITEMS, ProblemReport, Readiness, RoomRequest
from .access import access_link_issue

CANDIDATE = "candidate"


def readiness_of(candidate: Candidate) -> Readiness:
    readiness, _created = Readiness.objects.get_or_create(candidate=candidate)
    return readiness


def overview_touch(candidate_id: int) -> None:
    """Raise the version the overview's cache key includes: call after any change the overview shows."""
    if not Readiness.objects.filter(candidate_id=candidate_id).update(version=F("version") + 1):
        Readiness.objects.get_or_create(candidate_id=candidate_id, defaults={"version": 1})


def appointment_accept(*, candidate: Candidate, appointment: Appointment) -> Appointment:
    """The candidate accepts an invitation. Only an invited appointment can be accepted."""
    if appointment.candidate_id != candidate.pk:
        raise ValueError("appointment of another candidate")
    if appointment.status == Appointment.Status.CONFIRMED:
        raise ValidationError(_("You have already accepted this appointment."))
    if appointment.status != Appointment.Status.INVITED:
        raise ValidationError(_("This appointment cannot be accepted now. If you have a question, contact your "
                                "contact person."))
    return appointment_set_status(actor=None, actor_label=CANDIDATE, appointment=appointment,
                                  to=Appointment.Status.CONFIRMED)


@transaction.atomic
def phone_confirm(*, candidate: Candidate, phone: str) -> Candidate:
    """`phone` is already E.164 (the form normalises it)."""
    old = candidate.phone
    if phone != old:
        candidate.phone = phone
        candidate.save(update_fields=["phone"])
    readiness = readiness_of(candidate)
    readiness.phone_confirmed_at = timezone.now()
    readiness.save(update_fields=["phone_confirmed_at"])
    overview_touch(candidate.pk)
    audit_record(actor_label=CANDIDATE, action="candidate.phone_confirmed", obj=candidate,
                 procedure_id=candidate.procedure_id, changes={"phone_changed": (None, phone != old)})
    return candidate


@transaction.atomic
def equipment_declare(*, candidate: Candidate, answers: dict[str, bool]) -> Readiness:
    readiness = readiness_of(candidate)
    readiness.equipment = {code: bool(answers[code]) for code, _label in EQUIPMENT_ITEMS}
    readiness.equipment_declared_at = timezone.now()
    readiness.save(update_fields=["equipment", "equipment_declared_at"])
    overview_touch(candidate.pk)
    audit_record(actor_label=CANDIDATE, action="candidate.equipment_declared", obj=readiness,
                 procedure_id=candidate.procedure_id, changes={"missing": (None, ",".join(readiness.equipment_missing))})
    return readiness


@transaction.atomic
def rules_acknowledge(*, candidate: Candidate, language: str, version: int | None = None) -> Readiness:
    """The candidate accepts the session rules and the house rules of their procedure as shown in
    `language`. `version` is the house rules version the page showed; a page older than the current
    text is refused, so an acceptance always names the text the candidate read."""
    procedure = candidate.procedure
    if version is not None and version != procedure.house_rules_version:
        raise ValidationError(_("The house rules changed while you were reading them. Please read them again."))
    lines = house_rules_shown(procedure, language)  # the rules and the link to the full rules, if any
    readiness = readiness_of(candidate)
    readiness.rules_acknowledged_at = timezone.now()
    readiness.rules_language = language
    readiness.rules_version = procedure.house_rules_version
    readiness.rules_digest = house_rules_digest(lines)
    readiness.save(update_fields=["rules_acknowledged_at", "rules_language", "rules_version", "rules_digest"])
    overview_touch(candidate.pk)
    audit_record(actor_label=CANDIDATE, action="candidate.rules_acknowledged", obj=readiness,
                 procedure_id=candidate.procedure_id,
                 changes={"language": (None, language), "house_rules_version": (None, readiness.rules_version),
                          "house_rules_digest": (None, readiness.rules_digest)})
    return readiness


def contact_recipient(candidate: Candidate) -> Recipient:
    procedure = candidate.procedure
    return Recipient(procedure.contact_email, procedure.contact_name, procedure.language)


@transaction.atomic
def problem_report(*, candidate: Candidate, text: str) -> ProblemReport:
    """Stored for the staff pages and mailed to the contact person, in one transaction."""
    report = ProblemReport.objects.create(candidate=candidate, text=text)
    message_queue(kind="problem_report", to=contact_recipient(candidate), template="portal_problem_report",
                  context={"candidate": candidate, "report": report, "procedure": candidate.procedure},
                  procedure=candidate.procedure, candidate=candidate)
    audit_record(actor_label=CANDIDATE, action="candidate.problem_reported", obj=report,
                 procedure_id=candidate.procedure_id)
    return report


@transaction.atomic
def problem_resolve(*, actor, report: ProblemReport) -> ProblemReport:
    if report.resolved_at is None:
        report.resolved_at = timezone.now()
        report.resolved_by = actor
        report.save(update_fields=["resolved_at", "resolved_by"])
        audit_record(actor=actor, action="problem_report.resolved", obj=report,
                     procedure_id=report.candidate.procedure_id, from_state="open", to_state="resolved")
    return report


# Room and equipment requests ---------------------------------------------------------------

def request_is_late(deadline: dt.date | None, now: dt.datetime | None = None) -> bool:
    return deadline is not None and timezone.localdate(now or timezone.now()) > deadline


@transaction.atomic
def room_request_create(*, candidate: Candidate, reason: str, needs: str,
                        interview: Appointment | None) -> RoomRequest:
    """Always recorded; after the deadline it is marked late and the contact person is told."""
    deadline = room_request_deadline(interview.starts_at) if interview else None
    late = request_is_late(deadline)
    request = RoomRequest.objects.create(candidate=candidate, appointment=interview, reason=reason, needs=needs,
                                         deadline=deadline, late=late)
    overview_touch(candidate.pk)
    audit_record(actor_label=CANDIDATE, action="room_request.created", obj=request,
                 procedure_id=candidate.procedure_id, to_state=request.status, changes={"late": (None, late)})
    if late:
        message_queue(kind="room_request_late", to=contact_recipient(candidate), template="portal_room_request_late",
                      context={"candidate": candidate, "room_request": request, "procedure": candidate.procedure},
                      procedure=candidate.procedure, candidate=candidate)
    return request


def _room_request_transition(request: RoomRequest, to: str) -> str:
    if to not in RoomRequest.TRANSITIONS[request.status]:
        raise ValidationError(_("A request that is %(from)s cannot become %(to)s.")
                              % {"from": request.get_status_display(), "to": RoomRequest.Status(to).label})
    from_state = request.status
    request.status = to
    return from_state


def _room_request_record(request: RoomRequest, *, actor, from_state: str, note: str,
                         changes: dict | None = None) -> RoomRequest:
    """Save a staff decision on a room request, refresh the candidate's page and audit it."""
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save()
    overview_touch(request.candidate_id)
    audit_record(actor=actor, action="room_request.status", obj=request, procedure_id=request.candidate.procedure_id,
                 from_state=from_state, to_state=request.status, changes=changes, reason=note)
    return request


@transaction.atomic
def room_request_approve(*, actor, request: RoomRequest, room: Room, appointment: Appointment,
                         note: str = "") -> RoomRequest:
    """Assign the room to the interview. scheduling refuses a room that is already taken
    (SchedulingConflict) and raises the calendar SEQUENCE; the invitation update follows from its signal."""
    request = RoomRequest.objects.select_for_update().get(pk=request.pk)
    if appointment.candidate_id != request.candidate_id:
        raise ValueError("appointment of another candidate")
    from_state = _room_request_transition(request, RoomRequest.Status.APPROVED)
    appointment_update(actor=actor, appointment=appointment, mode=Appointment.Mode.PROVIDED_ROOM, room_id=room.pk,
                       reason="room request approved")
    request.room = room
    request.appointment = appointment
    return _room_request_record(request, actor=actor, from_state=from_state, note=note,
                                changes={"room": (None, room.pk)})


@transaction.atomic
def room_request_refuse(*, actor, request: RoomRequest, note: str = "") -> RoomRequest:
    request = RoomRequest.objects.select_for_update().get(pk=request.pk)
    from_state = _room_request_transition(request, RoomRequest.Status.REFUSED)
    return _room_request_record(request, actor=actor, from_state=from_state, note=note)


@transaction.atomic
def access_link_reissue(*, candidate: Candidate, actor) -> None:
    """Staff switch the candidate's links off and mail a new one. The outbox row holds a placeholder;
    the worker puts the link in when it sends the mail (messaging.links)."""
    access_link_issue(candidate=candidate, actor=actor)
    message_queue(kind="personal_link", to=Recipient(candidate.email, candidate.full_name, candidate.language),
                  template="portal_personal_link", context={"candidate": candidate, "procedure": candidate.procedure},
                  procedure=candidate.procedure, candidate=candidate, personal_link=True)
