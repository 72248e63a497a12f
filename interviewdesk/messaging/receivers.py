"""Reactions to scheduling changes, run inside the scheduling transaction (so the messages
commit or roll back with the change).

- updated: an appointment already sent gets its update (same UID, the SEQUENCE scheduling
  raised); jury or proctor changes invite the newcomers and cancel for those removed. A
  stopped or missed interview that got a new time is sent again and becomes "invited".
- cancelled: everybody who has a copy gets METHOD:CANCEL.
- status "confirmed": the candidate accepted (portal button or calendar reply).
- planned: nothing; the selection officer sends (single or bulk).
"""

from __future__ import annotations

from interviewdesk.scheduling.models import Appointment

from .invitations import invitation_record_answer, invitation_sync
from .models import Invitation


def on_appointment_changed(sender, *, appointment: Appointment, change: str, actor=None, fields=(), **kwargs) -> None:
    if change == "planned" or (change == "status" and appointment.status != Appointment.Status.CONFIRMED):
        return  # (checked first: "invited" is set once per invitation sent, thousands of times in a bulk send)
    sent = appointment.invitations.filter(last_sequence_sent__isnull=False)
    if change in ("updated", "cancelled"):
        if not sent.exists():
            return
        invitation_sync(appointment=appointment, actor=actor)
        if change == "updated" and appointment.status == Appointment.Status.PLANNED:
            from interviewdesk.scheduling.services import appointment_set_status

            appointment_set_status(actor=actor, appointment=appointment, to=Appointment.Status.INVITED,
                                   actor_label="" if actor else "system")
        return
    if change == "status" and appointment.status == Appointment.Status.CONFIRMED:
        invitation = sent.filter(role=Invitation.Role.CANDIDATE).select_related("appointment").first()
        if invitation is not None:
            invitation_record_answer(invitation=invitation, partstat=Invitation.PartStat.ACCEPTED, actor=actor,
                                     actor_label="" if actor else "candidate")
