"""Reminders to the candidate, by default 3 days and 1 day before (settings.REMINDER_DAYS_BEFORE).

A reminder is queued when its moment has come, only for an appointment the candidate has
the current version of (invited or confirmed), only if that version was sent before the
moment, and only once per (appointment, offset, SEQUENCE). When it is about to be sent, delivery
checks the appointment again: a reminder of an appointment cancelled or moved in the meantime is
not sent (delivery.is_obsolete). A reminder carries the candidate's personal link (put in at
delivery, messaging.links).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from interviewdesk.scheduling.models import Appointment

from ..content import candidate_context
from ..links import personal_links_ensure
from ..models import Invitation, Message
from .outbox import Recipient, message_queue


def reminder_offsets() -> list[int]:
    return sorted(getattr(settings, "REMINDER_DAYS_BEFORE", [3, 1]), reverse=True)


def _due_offset(invitation: Invitation, now: dt.datetime) -> int | None:
    """The smallest offset whose moment has passed, if the candidate's current version was sent
    before that moment: a reminder whose moment passed before a change (the appointment moved to
    two days ahead: "3 days before" is already over) is not sent, the update mail said it all."""
    starts_at = invitation.appointment.starts_at
    version_since = invitation.version_sent_at or invitation.created_at
    due = None
    for days in reminder_offsets():
        moment = starts_at - dt.timedelta(days=days)
        if moment <= now and version_since <= moment:
            due = days
    return due


def reminders_queue(now: dt.datetime | None = None) -> list[Message]:
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=max(reminder_offsets(), default=0))
    invitations = (
        Invitation.objects.filter(
            role=Invitation.Role.CANDIDATE, cancelled=False, last_sequence_sent__isnull=False,
            appointment_sequence=F("appointment__sequence"),
            appointment__status__in=[Appointment.Status.INVITED, Appointment.Status.CONFIRMED],
            appointment__starts_at__gt=now, appointment__starts_at__lte=horizon,
        )
        .select_related("appointment__procedure", "appointment__candidate", "appointment__room")
    )
    queued = []
    for invitation in invitations:
        days = _due_offset(invitation, now)
        if days is None:
            continue
        appointment = invitation.appointment
        key = f"reminder:{appointment.pk}:{days}:{appointment.sequence}"
        if Message.objects.filter(dedupe_key=key).exists():
            continue
        to = Recipient(email=invitation.email, name=invitation.name, language=invitation.language)
        with translation.override(to.language), transaction.atomic():
            personal_links_ensure(candidates=[appointment.candidate],
                                  needed_until={appointment.candidate_id: appointment.ends_at})
            queued.append(message_queue(
                kind="reminder", to=to, template="reminder", context=candidate_context(appointment),
                procedure=appointment.procedure, candidate=appointment.candidate, appointment=appointment,
                ics_sequence=appointment.sequence, dedupe_key=key, personal_link=True,
            ))
    return queued
