"""The proctor's one calendar event per connection-test slot (issue 13).

Each candidate of a slot has an appointment and their own invitation; the proctor, invited to every
one of those appointments, gets ONE event for the slot: its own UID (SharedStaffEvent.uid), a REQUEST
when the first booking of the slot is sent, a REQUEST with SEQUENCE + 1 only when what the proctor's
copy shows changes (times, staff link, place: ical.staff_version), and a CANCEL only when the slot has
no active booking sent to them any more. The proctor's Invitation rows per appointment are kept (who
is invited to what, their answers); they record the slot event's SEQUENCE. See docs/messaging.md.
"""

from __future__ import annotations

from django.utils import translation

from interviewdesk.scheduling.models import Appointment

from .. import ical
from ..content import staff_context
from ..groups import group_finder
from ..models import Message, SharedStaffEvent
from .outbox import Recipient, message_queue


def _locked(group: str, email: str) -> SharedStaffEvent:
    """The group's event for this person, locked: two bulk groups with bookings of one slot wait for each other."""
    event, _created = SharedStaffEvent.objects.get_or_create(group=group, email=email.lower())
    return SharedStaffEvent.objects.select_for_update().get(pk=event.pk)


def shared_events_lock(appointments: list[Appointment]) -> None:
    """Lock (making them if needed) the slot events these appointments' proctors hold, in one order.
    A bulk send calls it first: two groups of candidates with bookings in the same two slots would
    otherwise lock the two events in opposite orders and deadlock."""
    finder = group_finder()
    if finder is None:
        return
    keys = set()
    for appointment in appointments:
        proctor = appointment.proctor
        if appointment.kind == Appointment.Kind.CONNECTION_TEST and proctor is not None and proctor.email:
            group = finder.group_of(appointment)
            if group is not None:
                keys.add((group, proctor.email.lower()))
    for group, email in sorted(keys):
        _locked(group, email)


def _queue(event: SharedStaffEvent, appointment: Appointment, *, to: Recipient, role_label: str, method: str,
           sequence: int, is_update: bool, bulk_send=None) -> Message:
    ics = ical.appointment_ics(appointment, to.email, method, attendee_name=to.name, language=to.language,
                               for_candidate=False, sequence=sequence, uid=event.uid).decode()
    with translation.override(to.language):
        context = staff_context(appointment, role_label)
        context.update(is_update=is_update, method=method, shared_event=True)
    kind = "staff_" + ("cancellation" if method == ical.CANCEL else "invitation")
    # No candidate: the message is about the slot, not about one of its candidates.
    return message_queue(
        kind=kind, to=to, template="staff_invitation", context=context, procedure=appointment.procedure,
        appointment=appointment, ics=ics, ics_method=method, ics_sequence=sequence, bulk_send=bulk_send,
        enqueue=False, dedupe_key=f"ics:shared:{event.uid}:{method}:{sequence}",
    )


def shared_request(*, group: str, appointment: Appointment, to: Recipient, role_label: str,
                   bulk_send=None) -> tuple[int, Message | None]:
    """Bring the person's slot event to what `appointment` shows. Returns (the event's SEQUENCE, the
    message queued or None when their calendar already shows it)."""
    event = _locked(group, to.email)
    version = ical.staff_version(appointment)
    if event.last_sequence_sent is not None and not event.cancelled and event.version == version:
        return event.last_sequence_sent, None
    is_update = event.last_sequence_sent is not None and not event.cancelled
    sequence = 0 if event.last_sequence_sent is None else event.last_sequence_sent + 1
    message = _queue(event, appointment, to=to, role_label=role_label, method=ical.REQUEST, sequence=sequence,
                     is_update=is_update, bulk_send=bulk_send)
    event.last_sequence_sent, event.version, event.cancelled, event.appointment = sequence, version, False, appointment
    event.save()
    return sequence, message


def shared_cancel(*, group: str, appointment: Appointment, to: Recipient, role_label: str,
                  others_sent: bool) -> tuple[int | None, Message | None]:
    """The person leaves `appointment`: their slot event is cancelled only if `others_sent` is False
    (no other active booking of the slot was sent to them). Returns (SEQUENCE, message or None)."""
    event = _locked(group, to.email)
    if event.last_sequence_sent is None or event.cancelled or others_sent:
        return event.last_sequence_sent, None
    sequence = event.last_sequence_sent + 1
    message = _queue(event, appointment, to=to, role_label=role_label, method=ical.CANCEL, sequence=sequence,
                     is_update=True)
    event.last_sequence_sent, event.cancelled = sequence, True
    event.save()
    return sequence, message
