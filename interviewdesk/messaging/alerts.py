"""Alerts to the procedure's contact person: a message that could not be delivered, a declined appointment,
a calendar answer that proposes a delegate or another time."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from .content import kind_label, when
from .models import Invitation, Message, ReplyReview
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


def alert_reply_review(*, review: ReplyReview) -> Message:
    """A delegation or another time proposed: the contact person decides (nothing changed by itself)."""
    appointment = review.appointment
    if appointment is None:  # reviews are made for replies that matched an appointment (replies._review)
        raise ValueError("a reply review without its appointment")
    procedure = appointment.procedure
    to = _contact(procedure)
    link = settings.SITE_URL + reverse("messaging:reply_reviews", kwargs={"pk": procedure.pk})
    invitation = review.invitation
    proposed = review.proposal
    with translation.override(to.language):
        context = {"reason": review.reason, "procedure": procedure,
                   "who": (invitation.name or invitation.email) if invitation else review.sender,
                   "kind_label": kind_label(appointment), "when": when(appointment), "link": link,
                   "delegate": proposed.get("delegated_to", ""), "comment": proposed.get("comment", ""),
                   "proposed": _proposed_time(proposed)}
    return message_queue(kind="alert", to=to, template="alert", context=context, procedure=procedure,
                         candidate=appointment.candidate, appointment=appointment,
                         dedupe_key=f"alert:reply:{review.pk}")


def _proposed_time(proposal: dict) -> dict | None:
    """The proposed start and end, as `when()` writes an appointment's (call inside the language)."""
    if "starts_at" not in proposal:
        return None
    start = dt.datetime.fromisoformat(proposal["starts_at"])
    end = dt.datetime.fromisoformat(proposal.get("ends_at") or proposal["starts_at"])
    return when(SimpleNamespace(starts_at=start, ends_at=end))
