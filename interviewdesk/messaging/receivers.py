"""Reactions to scheduling changes, run inside the scheduling transaction (so the messages
commit or roll back with the change).

- updated: an appointment already sent gets its update (same UID, the SEQUENCE scheduling
  raised); a new date, time, mode or place resets everybody's answer to "no answer yet" (the
  REQUEST asks again; scheduling already took a confirmed appointment back to invited); jury or
  proctor changes invite the newcomers and cancel for those removed. A
  stopped or missed interview that got a new time is sent again and becomes "invited".
- cancelled: everybody who has a copy gets METHOD:CANCEL.
- status "confirmed": the candidate accepted (portal button or calendar reply).
- planned: nothing; the selection officer sends (single or bulk).
- a meeting made by the product is ready (meetings.signals.meeting_ready): what waited for it goes
  out: the update of an appointment already sent (answers reset when the date, time, place or link
  changed meanwhile), and the first invitation of one that a bulk send (or a candidate's booking
  of a connection test) asked for while its meeting was being made.
- a jury's members changed (set-up): for the jury's coming appointments already sent, the newcomers
  are invited and those who left get a CANCEL, as when one appointment's jury changes.
- a candidate's e-mail address corrected: the personal link sent to the old address is switched
  off; every coming appointment already sent goes to the new address (a REQUEST, with one new
  personal link for all of them); the old address gets a CANCEL only if the invitation ever
  reached it (`invitation_sync`).
"""

from __future__ import annotations

from django.utils import timezone

from interviewdesk.meetings.selectors import meeting_link, meeting_waits
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import REANSWER_FIELDS, appointment_set_status

from .links import link_keeper, personal_links_ensure
from .models import BulkSend, Invitation
from .services.invitations import (
    appointments_for_sending,
    candidate_request_due,
    invitation_record_answer,
    invitation_send_locked,
    invitation_sync,
    sending_refusal,
)


def on_appointment_changed(sender, *, appointment: Appointment, change: str, actor=None, fields=(), **kwargs) -> None:
    if change == "planned" or (change == "status" and appointment.status != Appointment.Status.CONFIRMED):
        return  # (checked first: "invited" is set once per invitation sent, thousands of times in a bulk send)
    sent = appointment.invitations.filter(last_sequence_sent__isnull=False)
    if change in ("updated", "cancelled"):
        if not sent.exists():
            return
        if change == "updated" and meeting_waits(appointment):
            return  # held until its meeting is made: on_meeting_ready sends it
        invitation_sync(appointment=appointment, actor=actor,
                        reset_answers=change == "updated" and bool(set(fields) & set(REANSWER_FIELDS)))
        if change == "updated" and appointment.status == Appointment.Status.PLANNED:
            appointment_set_status(actor=actor, appointment=appointment, to=Appointment.Status.INVITED,
                                   actor_label="" if actor else "system")
        return
    if change == "status" and appointment.status == Appointment.Status.CONFIRMED:
        invitation = (sent.filter(role=Invitation.Role.CANDIDATE, cancelled=False)  # (not a corrected old address)
                      .select_related("appointment").first())
        if invitation is not None:
            invitation_record_answer(invitation=invitation, partstat=Invitation.PartStat.ACCEPTED, actor=actor,
                                     actor_label="" if actor else "candidate")


def on_candidate_changed(sender, *, candidate, actor=None, fields=(), **kwargs) -> None:
    if "email" not in fields:
        return
    # Whoever reads the old mailbox must not keep a way into the candidate's page.
    link_keeper().revoke(candidate=candidate, actor=actor, reason="e-mail address changed")
    coming = list(appointments_for_sending().filter(
        candidate=candidate, status__in=[Appointment.Status.INVITED, Appointment.Status.CONFIRMED],
        starts_at__gt=timezone.now()).order_by("starts_at"))
    # As a bulk send does: one new link for all of them, made only if a REQUEST goes out.
    due = [a for a in coming if candidate_request_due(a)]
    mark = personal_links_ensure(candidates=[candidate], needed_until={candidate.pk: max(a.ends_at for a in due)},
                                 actor=actor) if due else ""
    for appointment in coming:
        invitation_sync(appointment=appointment, actor=actor, personal_link=lambda: mark)


def on_jury_changed(sender, *, jury, actor=None, **kwargs) -> None:
    coming = appointments_for_sending().filter(
        jury=jury, status__in=[Appointment.Status.INVITED, Appointment.Status.CONFIRMED],
        starts_at__gt=timezone.now()).order_by("starts_at", "pk")
    for appointment in coming:
        if meeting_waits(appointment):
            continue  # held until its meeting is made: on_meeting_ready brings everybody up to date
        invitation_sync(appointment=appointment, actor=actor)


def _moved_since_sent(appointment: Appointment) -> bool:
    """A held update: whether the calendar's copy is behind (scheduling raised the SEQUENCE for a new
    date, time, mode, place or link; meetings for another jury-day meeting), so the answers given to
    what was sent no longer hold, as when the update goes out at once (REANSWER_FIELDS)."""
    return any(inv.last_sequence_sent is not None and not inv.cancelled and inv.appointment_sequence is not None
               and inv.appointment_sequence < appointment.sequence for inv in appointment.invitations.all())


def _asked_when_ready(appointment: Appointment) -> bool:
    link = meeting_link(appointment)
    return link is not None and link.invite_when_ready


def on_meeting_ready(sender, *, meeting, appointment_ids=(), **kwargs) -> None:
    """Send what waited for the meeting (inside the transaction that records it)."""
    for appointment in appointments_for_sending().filter(pk__in=list(appointment_ids)).order_by("pk"):
        if any(inv.last_sequence_sent is not None for inv in appointment.invitations.all()):
            moved = _moved_since_sent(appointment)
            invitation_sync(appointment=appointment, reset_answers=moved)
            if moved and appointment.status == Appointment.Status.CONFIRMED:  # (another jury-day meeting's link)
                appointment_set_status(actor=None, appointment=appointment, to=Appointment.Status.INVITED,
                                       actor_label="system")
            if appointment.status == Appointment.Status.PLANNED:  # (a stopped interview with its new time)
                appointment_set_status(actor=None, appointment=appointment, to=Appointment.Status.INVITED,
                                       actor_label="system", locked=True)
        elif sending_refusal(appointment) is None and (_asked_when_ready(appointment) or BulkSend.objects.filter(
                procedure_id=appointment.procedure_id, created_at__gte=appointment.created_at).exists()):
            # Booked while its meeting was being made, or "Send all pending invitations" was asked after
            # it was planned: it waited only for its meeting.
            invitation_send_locked(appointment=appointment)
