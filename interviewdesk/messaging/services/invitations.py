"""Invitations: bringing every attendee's calendar to the appointment's current version.

The candidate, the jury chair, the assessors and the proctor each have an Invitation row.
`invitation_sync` compares each row with the appointment and queues what is missing:
a REQUEST for someone who has no copy or an older version, a CANCEL for someone no longer on
the appointment (or for everybody when it is cancelled). Every queued message carries a
dedupe key (appointment, person, SEQUENCE, METHOD), so repeating a send — a double click, a
bulk run resumed after a crash — never queues the same calendar version twice.

The candidate's personal link: every REQUEST to the candidate (first invitation or update)
carries the candidate's one link, which lasts across changes (portal.services.access); the row holds a
placeholder and delivery puts the link in (messaging.links). Cancellations carry none. See
docs/messaging.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from interviewdesk.core.audit import audit_record
from interviewdesk.core.batching import insert
from interviewdesk.meetings.selectors import meeting_waits
from interviewdesk.meetings.services import meeting_invite_when_ready
from interviewdesk.procedures.models import JuryMember
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_set_status

from .. import ical
from ..alerts import alert_declined
from ..content import candidate_context, staff_context
from ..groups import group_finder
from ..links import personal_links_ensure
from ..models import Invitation, Message
from ..signals import invitation_answered
from .outbox import Recipient, message_queue
from .shared_events import shared_cancel, shared_request


@dataclass(frozen=True)
class Attendee:
    role: str
    email: str
    name: str
    language: str
    user_id: int | None = None


def _seats(jury):
    """The jury's seats with their users: prefetched by `appointments_for_sending()`, else one query."""
    if "members" in getattr(jury, "_prefetched_objects_cache", {}):
        return jury.members.all()
    return jury.members.select_related("user")


def attendees(appointment: Appointment) -> list[Attendee]:
    """Everybody the appointment invites: the candidate first, then the jury, then the proctor."""
    candidate = appointment.candidate
    people = [Attendee(Invitation.Role.CANDIDATE, candidate.email, candidate.full_name, candidate.language)]
    if appointment.jury is not None:
        for seat in _seats(appointment.jury):
            role = Invitation.Role.CHAIR if seat.role == "chair" else Invitation.Role.ASSESSOR
            if seat.user.email:
                people.append(Attendee(role, seat.user.email, str(seat.user), seat.user.language, seat.user_id))
    proctor = appointment.proctor
    if proctor is not None and proctor.email:
        people.append(Attendee(Invitation.Role.PROCTOR, proctor.email, str(proctor), proctor.language, proctor.pk))
    seen: set[str] = set()
    unique = []
    for person in people:  # one copy per address, the first role wins
        key = person.email.lower()
        if key not in seen:
            seen.add(key)
            unique.append(person)
    return unique


def _role_label(role: str) -> str:
    labels: dict[str, str] = {Invitation.Role.CHAIR: _("jury chair"), Invitation.Role.ASSESSOR: _("assessor"),
              Invitation.Role.PROCTOR: _("proctor")}
    return str(labels.get(role, ""))


def _queue(invitation: Invitation, appointment: Appointment, *, method: str, sequence: int, is_update: bool,
           personal_link: str = "", bulk_send=None, enqueue: bool = True) -> Message:
    is_candidate = invitation.role == Invitation.Role.CANDIDATE
    to = Recipient(email=invitation.email, name=invitation.name, language=invitation.language)
    ics = ical.appointment_ics(appointment, invitation.email, method, attendee_name=invitation.name,
                               language=to.language, personal_link=personal_link, for_candidate=is_candidate,
                               sequence=sequence).decode()
    with translation.override(to.language):
        if is_candidate:
            context = candidate_context(appointment, personal_link=personal_link)
        else:
            context = staff_context(appointment, _role_label(invitation.role))
        context.update(is_update=is_update, method=method)
    if is_candidate:
        template = "invitation" if method == ical.REQUEST else "cancellation"
        kind = {ical.REQUEST: "update" if is_update else "invitation", ical.CANCEL: "cancellation"}[method]
    else:
        template, kind = "staff_invitation", "staff_" + ("cancellation" if method == ical.CANCEL else "invitation")
    return message_queue(
        kind=kind, to=to, template=template, context=context, procedure=appointment.procedure,
        candidate=appointment.candidate, appointment=appointment, ics=ics, ics_method=method,
        ics_sequence=sequence, bulk_send=bulk_send, enqueue=enqueue, personal_link=bool(personal_link),
        dedupe_key=f"ics:{appointment.pk}:{invitation.email.lower()}:{method}:{sequence}",
        # A calendar message is only ever queued together with its Invitation row, and invitations
        # are never deleted (only with their appointment, whose id is not reused): a person
        # without a row has no message with this key yet.
        dedupe_lookup=invitation.pk is not None,
    )


def _next_sequence(invitation: Invitation, appointment: Appointment) -> int:
    if invitation.last_sequence_sent is None:
        return appointment.sequence
    return max(appointment.sequence, invitation.last_sequence_sent + 1)


def _is_current(invitation: Invitation, appointment: Appointment) -> bool:
    """The person already has the appointment's current version in their calendar."""
    return (invitation.pk is not None and invitation.last_sequence_sent is not None and not invitation.cancelled
            and invitation.appointment_sequence == appointment.sequence)


def _never_arrived(invitation: Invitation, appointment: Appointment) -> bool:
    """The person's last calendar message failed (an unknown address, say): there is nothing in
    their calendar to cancel."""
    key = f"ics:{appointment.pk}:{invitation.email.lower()}:{ical.REQUEST}:{invitation.last_sequence_sent}"
    return Message.objects.filter(dedupe_key=key, state=Message.State.FAILED).exists()


def candidate_request_due(appointment: Appointment) -> bool:
    """Whether `invitation_sync` will send the candidate a REQUEST (and so needs a fresh personal
    link). Reads the appointment's prefetched invitations."""
    email = appointment.candidate.email.lower()
    copy = next((inv for inv in appointment.invitations.all() if inv.email.lower() == email), None)
    return appointment.status != Appointment.Status.CANCELLED and (copy is None or not _is_current(copy, appointment))


def _cancel_floor(invitations) -> int | None:
    """The highest SEQUENCE of a CANCEL this appointment's UID went out with, if any."""
    cancels = [inv.last_sequence_sent for inv in invitations if inv.cancelled and inv.last_sequence_sent is not None]
    return max(cancels, default=None)


def _answer_reset(invitation: Invitation, actor) -> None:
    """The appointment moved (date, time, mode or place): the earlier answer no longer holds."""
    if invitation.partstat == Invitation.PartStat.NEEDS_ACTION:
        return
    audit_record(actor=actor, action="invitation.answer", obj=invitation, procedure_id=invitation.appointment.procedure_id,
                 from_state=invitation.partstat, to_state=Invitation.PartStat.NEEDS_ACTION,
                 actor_label="" if actor else "system", reason="the appointment changed: asked again")
    invitation.partstat = Invitation.PartStat.NEEDS_ACTION


def _record_sent(invitation: Invitation, appointment: Appointment, sequence: int) -> None:
    invitation.last_sequence_sent, invitation.appointment_sequence, invitation.cancelled = (
        sequence, appointment.sequence, False)
    invitation.version_sent_at = timezone.now()
    if invitation.pk is None:
        insert(invitation)  # in a bulk send: written with the group's other new rows
    else:
        invitation.save()


def _recipient(invitation: Invitation) -> Recipient:
    return Recipient(email=invitation.email, name=invitation.name, language=invitation.language)


def _in_slot_event(invitation: Invitation, appointment: Appointment) -> bool:
    """The proctor of a connection-test slot holds the slot's one event (services.shared_events),
    unless this appointment already went to them as an event of its own (sent before the slot
    events existed): that one keeps its own UID until it ends."""
    if invitation.role != Invitation.Role.PROCTOR:
        return False
    if invitation.last_sequence_sent is None:
        return True
    own = f"ics:{appointment.pk}:{invitation.email.lower()}:{ical.REQUEST}:{invitation.last_sequence_sent}"
    return not Message.objects.filter(dedupe_key=own).exists()


def _leave_slot_event(invitation: Invitation, appointment: Appointment, group: str) -> list[Message]:
    """The proctor leaves this booking (cancelled, or another proctor): their slot event is cancelled
    only when no other active booking of the slot was sent to them."""
    finder = group_finder()
    assert finder is not None  # (a group comes from the finder)
    sequence, message = shared_cancel(group=group, appointment=appointment, to=_recipient(invitation),
                                      role_label=_role_label(invitation.role),
                                      others_sent=finder.others_sent(group, appointment, invitation.email))
    if sequence is not None:
        invitation.last_sequence_sent = sequence
    invitation.appointment_sequence, invitation.cancelled = appointment.sequence, True
    invitation.save(update_fields=["last_sequence_sent", "appointment_sequence", "cancelled"])
    return [message] if message else []


def invitation_sync(*, appointment: Appointment, actor=None, bulk_send=None,
                    personal_link: Callable[[], str] | None = None, enqueue: bool = True,
                    reset_answers: bool = False) -> list[Message]:
    """Queue whatever brings each attendee to the current version. Call inside a transaction.

    CANCELs first, and every REQUEST carries a SEQUENCE above every CANCEL this UID ever went out
    with: when one person's two addresses feed one calendar (a corrected address: a CANCEL to the
    old one, a REQUEST to the new one), the calendar ends with the event whatever order the two
    arrive in, as a calendar applies a message only if its SEQUENCE is not lower than what it has
    (RFC 5546 §2.1.5). `reset_answers`: the change asks everybody to answer again (a new date,
    time, mode or place), so their answers go back to "no answer yet".

    With `enqueue`, one delivery task for all the messages queued here (written in this same
    transaction), not one per message: they go out over one SMTP connection."""
    from .. import tasks  # (tasks imports this module: imported when used)

    cancelled = appointment.status == Appointment.Status.CANCELLED
    finder = group_finder()
    group = finder.group_of(appointment) if finder and appointment.kind == Appointment.Kind.CONNECTION_TEST else None
    wanted = {} if cancelled else {a.email.lower(): a for a in attendees(appointment)}
    existing = {inv.email.lower(): inv for inv in appointment.invitations.all()}
    queued: list[Message] = []
    for key, inv in existing.items():
        if key in wanted or inv.last_sequence_sent is None or inv.cancelled:
            continue
        if group is not None and _in_slot_event(inv, appointment):
            queued.extend(_leave_slot_event(inv, appointment, group))
            continue
        if _never_arrived(inv, appointment):  # (a corrected address: the old one bounced)
            inv.appointment_sequence, inv.cancelled = appointment.sequence, True
            inv.save(update_fields=["appointment_sequence", "cancelled"])
            continue
        sequence = _next_sequence(inv, appointment)
        queued.append(_queue(inv, appointment, method=ical.CANCEL, sequence=sequence, is_update=True,
                             enqueue=False))
        inv.last_sequence_sent, inv.appointment_sequence, inv.cancelled = sequence, appointment.sequence, True
        inv.save(update_fields=["last_sequence_sent", "appointment_sequence", "cancelled"])
    floor = _cancel_floor(existing.values())
    for key, person in wanted.items():
        inv = existing.get(key) or Invitation(appointment=appointment, email=person.email)
        inv.role, inv.name, inv.language, inv.user_id = person.role, person.name, person.language, person.user_id
        if _is_current(inv, appointment):
            inv.save(update_fields=["role", "name", "language", "user"])
            continue
        is_update = inv.last_sequence_sent is not None and not inv.cancelled
        if inv.cancelled:
            inv.partstat = Invitation.PartStat.NEEDS_ACTION
        elif reset_answers and is_update:
            _answer_reset(inv, actor)
        if group is not None and _in_slot_event(inv, appointment):
            sequence, message = shared_request(group=group, appointment=appointment, to=_recipient(inv),
                                               role_label=_role_label(inv.role), bulk_send=bulk_send)
            queued.extend([message] if message else [])
            _record_sent(inv, appointment, sequence)
            continue
        sequence = _next_sequence(inv, appointment)
        if floor is not None and sequence <= floor:
            sequence = floor + 1
        link = ""
        if person.role == Invitation.Role.CANDIDATE:
            link = personal_link() if personal_link else personal_links_ensure(
                candidates=[appointment.candidate], needed_until={appointment.candidate_id: appointment.ends_at},
                actor=actor)
        queued.append(_queue(inv, appointment, method=ical.REQUEST, sequence=sequence, is_update=is_update,
                             personal_link=link, bulk_send=bulk_send, enqueue=False))
        _record_sent(inv, appointment, sequence)
    if enqueue:
        tasks.enqueue_batch([m.pk for m in queued if m.state == Message.State.QUEUED])
    return queued


def appointments_for_sending():
    """Appointments locked and read with everything a send needs (call inside a transaction)."""
    return (Appointment.objects.select_for_update(of=("self",))
            .select_related("procedure", "candidate", "room", "jury", "proctor", "meeting_link__meeting")
            .prefetch_related("invitations",
                              Prefetch("jury__members", queryset=JuryMember.objects.select_related("user"))))


def sending_refusal(appointment: Appointment, *, meeting: bool = True) -> str | None:
    """Why the first invitations of this (locked, fresh) appointment cannot be sent, or None.
    `meeting=False`: leave out the meeting still being made (`invitation_send_or_hold` holds those)."""
    if appointment.status != Appointment.Status.PLANNED:
        return _("Only a planned appointment can be sent; this one is %(status)s.") % {
            "status": appointment.get_status_display()}
    if appointment.starts_at <= timezone.now():
        return _("This appointment has already started; choose a new time first.")
    if meeting and meeting_waits(appointment):
        return _("Its online meeting is not made yet (or could not be made): the invitation goes out once it "
                 "exists. See the procedure's meetings.")
    return None


@transaction.atomic
def invitation_send_or_hold(*, appointment: Appointment, actor=None) -> list[Message] | None:
    """The officer's send of one appointment: `invitation_send`, except that an appointment whose
    meeting is not made yet (or failed) is held, audited, and goes out when the meeting is ready
    (meetings' invite_when_ready, read by on_meeting_ready). Returns the messages queued, or None
    when held."""
    locked = appointments_for_sending().get(pk=appointment.pk)
    refusal = sending_refusal(locked, meeting=False)
    if refusal:
        raise ValidationError(refusal)
    if meeting_waits(locked):
        meeting_invite_when_ready(appointment=locked)
        audit_record(actor=actor, action="invitation.held", obj=locked, procedure_id=locked.procedure_id,
                     reason="waiting for its online meeting")
        return None
    return invitation_send_locked(appointment=locked, actor=actor)


@transaction.atomic
def invitation_send(*, appointment: Appointment, actor=None) -> list[Message]:
    """Send the first invitations of a planned appointment; it becomes "invited"."""
    locked = appointments_for_sending().get(pk=appointment.pk)
    refusal = sending_refusal(locked)
    if refusal:
        raise ValidationError(refusal)
    return invitation_send_locked(appointment=locked, actor=actor)


def invitation_send_locked(*, appointment: Appointment, actor=None, bulk_send=None,
                           personal_link: Callable[[], str] | None = None, enqueue: bool = True) -> list[Message]:
    """`invitation_send` for an appointment the caller read with `appointments_for_sending()` in its
    open transaction and found sendable (`sending_refusal` is None). A bulk send locks and checks a
    whole group in one query, then calls this per appointment inside `deferred_inserts()`, with
    `enqueue=False` (it hands the group's messages to one delivery task)."""
    messages = invitation_sync(appointment=appointment, actor=actor, bulk_send=bulk_send,
                               personal_link=personal_link, enqueue=enqueue)
    appointment_set_status(actor=actor, appointment=appointment, to=Appointment.Status.INVITED,
                           actor_label="" if actor else "system", locked=True)
    audit_record(actor=actor, action="invitation.sent", obj=appointment, procedure_id=appointment.procedure_id,
                 changes={"messages": (None, len(messages))})
    return messages


def invitation_record_answer(*, invitation: Invitation, partstat: str, actor=None, actor_label: str = "",
                             sequence: int | None = None) -> bool:
    """Record an attendee's answer. A decline alerts the contact person. Returns whether anything changed."""
    if invitation.partstat == partstat:
        return False
    before = invitation.partstat
    invitation.partstat = partstat
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["partstat", "responded_at"])
    audit_record(actor=actor, action="invitation.answer", obj=invitation,
                 procedure_id=invitation.appointment.procedure_id, from_state=before, to_state=partstat,
                 actor_label=actor_label)
    invitation_answered.send(sender=Invitation, invitation=invitation)
    if partstat == Invitation.PartStat.DECLINED:
        alert_declined(invitation=invitation, sequence=invitation.last_sequence_sent or 0 if sequence is None else sequence)
    return True
