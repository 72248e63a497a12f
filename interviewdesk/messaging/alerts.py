"""Alerts to the procedure's contact person: a message that could not be delivered, a declined appointment."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from .content import kind_label, when
from .models import Invitation, Message
from .services import Recipient, message_queue


def _contact(procedure) -> Recipient:
    """The contact person, addressed in the procedure's language."""
    return Recipient(email=procedure.contact_email, name=procedure.contact_name, language=procedure.language)


def alert_delivery_failed(*, message: Message) -> Message | None:
    """Tell the contact person; never about an alert itself (no loop when their own address fails)."""
    procedure = message.procedure
    if procedure is None or message.kind == "alert":
        return None
    to = _contact(procedure)
    link = settings.SITE_URL + reverse("messaging:message", kwargs={"pk": procedure.pk, "mid": message.pk})
    with translation.override(to.language):
        context = {"reason": "failed", "procedure": procedure, "who": message.recipient_name or message.recipient_email,
                   "error": message.last_error[:300], "link": link}
    return message_queue(kind="alert", to=to, template="alert", context=context, procedure=procedure,
                         candidate=message.candidate, appointment=message.appointment,
                         dedupe_key=f"alert:failed:{message.pk}")


def alert_declined(*, invitation: Invitation, sequence: int) -> Message:
    appointment = invitation.appointment
    procedure = appointment.procedure
    to = _contact(procedure)
    link = settings.SITE_URL + reverse("messaging:candidate", kwargs={"pk": procedure.pk,
                                                                      "cid": appointment.candidate_id})
    with translation.override(to.language):
        context = {"reason": "declined", "procedure": procedure, "who": invitation.name or invitation.email,
                   "kind_label": kind_label(appointment), "when": when(appointment), "link": link}
    return message_queue(kind="alert", to=to, template="alert", context=context, procedure=procedure,
                         candidate=appointment.candidate, appointment=appointment,
                         dedupe_key=f"alert:declined:{invitation.pk}:{sequence}")
