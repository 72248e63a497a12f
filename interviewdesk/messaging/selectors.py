"""Read queries for the mail log, the invitation states and the at-risk list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from interviewdesk.core.phones import is_valid_phone
from interviewdesk.meetings.selectors import meeting_problems
from interviewdesk.procedures.models import Procedure
from interviewdesk.scheduling.models import Appointment

from .models import Invitation, Message, ReplyReview

LOG_FIELDS = ("id", "kind", "recipient_name", "recipient_email", "language", "subject", "state", "attempts",
              "last_error", "created_at", "sent_at", "ics_method", "ics_sequence", "candidate_id", "appointment_id")
CANDIDATE_KINDS = ("invitation", "update")


def messages_of_procedure(procedure, state: str = "", search: str = "") -> QuerySet[Message]:
    """The procedure's messages, optionally in one state and to a recipient whose name or address
    contains every word of `search`."""
    messages = Message.objects.filter(procedure=procedure).only(*LOG_FIELDS)
    for word in search.split():
        messages = messages.filter(Q(recipient_name__icontains=word) | Q(recipient_email__icontains=word))
    return messages.filter(state=state) if state in Message.State.values else messages


def messages_of_candidate(procedure, candidate) -> QuerySet[Message]:
    return Message.objects.filter(procedure=procedure, candidate=candidate).only(*LOG_FIELDS)


def appointments_with_invitations(procedure, candidate) -> list[Appointment]:
    return list(Appointment.objects.filter(procedure=procedure, candidate=candidate)
                .prefetch_related("invitations").order_by("starts_at"))


@dataclass
class AtRisk:
    appointment: Appointment
    reasons: list[str] = field(default_factory=list)


def at_risk(procedure, now: dt.datetime | None = None, hours: int = 24) -> list[AtRisk]:
    """Appointments starting within `hours` whose candidate may not be there: invitation not sent,
    failed or bounced, not delivered yet, declined, "maybe" or not accepted (also: not accepted
    again after a move), no valid phone number, or its meeting failed or is still being made."""
    return at_risk_in(Procedure.objects.filter(pk=procedure.pk), now, hours)


def at_risk_in(procedures: QuerySet, now: dt.datetime | None = None, hours: int = 24) -> list[AtRisk]:
    """`at_risk` over several procedures at once (the dashboard): four queries in all."""
    now = now or timezone.now()
    appointments = list(
        Appointment.objects.filter(procedure__in=procedures, status__in=Appointment.ACTIVE_STATUSES,
                                   starts_at__gt=now, starts_at__lte=now + dt.timedelta(hours=hours))
        .select_related("candidate", "procedure").order_by("starts_at", "id")
    )
    ids = [a.pk for a in appointments]
    latest: dict[int, Message] = {}
    for message in (Message.objects.filter(appointment_id__in=ids, kind__in=CANDIDATE_KINDS)
                    .only("id", "appointment_id", "state", "last_error").order_by("created_at", "id")):
        if message.appointment_id is not None:
            latest[message.appointment_id] = message
    # (cancelled=False: after a corrected address, the copy at the old address no longer counts)
    answers = dict(Invitation.objects.filter(appointment_id__in=ids, role=Invitation.Role.CANDIDATE, cancelled=False)
                   .values_list("appointment_id", "partstat"))
    meetings = meeting_problems(ids)
    result = []
    for appointment in appointments:
        reasons = []
        newest = latest.get(appointment.pk)
        if appointment.status == Appointment.Status.PLANNED or newest is None:
            reasons.append(_("invitation not sent"))
        elif newest.state == Message.State.FAILED:
            if newest.last_error == "bounced":
                reasons.append(_("invitation bounced"))
            else:
                reasons.append(_("invitation failed: %(error)s") % {"error": newest.last_error[:120]})
        elif newest.state != Message.State.SENT:
            reasons.append(_("invitation not delivered yet"))
        if answers.get(appointment.pk) == Invitation.PartStat.DECLINED:
            reasons.append(_("declined"))
        elif answers.get(appointment.pk) == Invitation.PartStat.TENTATIVE:
            reasons.append(_("answered maybe (tentative)"))
        elif appointment.status == Appointment.Status.INVITED:
            reasons.append(_("not accepted"))
        if not is_valid_phone(appointment.candidate.phone):
            reasons.append(_("no valid phone number"))
        if appointment.pk in meetings:
            reasons.append(meetings[appointment.pk])
        if reasons:
            result.append(AtRisk(appointment, reasons))
    return result


def reply_reviews(procedure) -> QuerySet:
    """Calendar answers for the contact person to check: open ones first, then the latest handled."""
    return (ReplyReview.objects.filter(procedure=procedure)
            .select_related("appointment__candidate", "invitation", "handled_by")
            .order_by(F("handled_at").desc(nulls_first=True), "-received_at", "-id"))


def open_reply_reviews(procedure) -> int:
    return ReplyReview.objects.filter(procedure=procedure, handled_at__isnull=True).count()
