"""Live connection tests: proctors offer slots, candidates book and move them, proctors record the outcome.

A booking is an Appointment(kind="connection_test") planned through scheduling, so it passes
the conflict checks of every appointment (the candidate's and the proctor's other appointments),
and its calendar invitation is queued in the same transaction (a candidate who books it
themselves has nobody to press "send"); the proctor may hold several candidates in one slot
(up to capacity). Slots are checked against the proctor's appointments when they are created
and again when they are offered (an interview planned later takes them off the list).

Slots are cut in Brussels wall-clock time, each the stated length in real time: a start that
does not exist (the night the clocks go forward) is skipped and named; on the night they go
back, a start that happens twice gets a slot each time, so the repeated hour is covered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from interviewdesk.core import localtime
from interviewdesk.core.audit import audit_record
from interviewdesk.meetings.selectors import meeting_waits
from interviewdesk.meetings.services import meeting_invite_when_ready
from interviewdesk.messaging.services.invitations import appointments_for_sending, invitation_send_locked
from interviewdesk.procedures.models import Candidate, Procedure
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import (
    SchedulingConflict,
    appointment_plan,
    appointment_set_status,
    find_conflicts,
    staff_busy,
)

from ..models import ConnectionTestBooking, ConnectionTestSlot
from .candidate import overview_touch

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def hours_before_interview() -> int:
    """A test must end at least this many hours before the interview (setting, default 24)."""
    return int(getattr(settings, "PORTAL_CONNECTION_TEST_HOURS_BEFORE", 24))


def _booked_filter() -> Q:
    return Q(bookings__appointment__status__in=Appointment.ACTIVE_STATUSES)


class SlotCounts(TypedDict):
    booked: int


def bookable_slots(candidate: Candidate,
                   interview: Appointment | None) -> QuerySet[WithAnnotations[ConnectionTestSlot, SlotCounts]]:
    """Future slots of the candidate's procedure that still have room and end early enough."""
    slots = (
        ConnectionTestSlot.objects.filter(procedure_id=candidate.procedure_id, starts_at__gt=timezone.now())
        .annotate(booked=Count("bookings", filter=_booked_filter()))
        .order_by("starts_at", "id")
    )
    if interview is not None:
        slots = slots.filter(ends_at__lte=interview.starts_at - dt.timedelta(hours=hours_before_interview()))
    return slots


def _overlaps(start: dt.datetime, end: dt.datetime, periods) -> bool:
    return any(other_start < end and start < other_end for other_start, other_end in periods)


def free_slots(candidate: Candidate, interview: Appointment | None) -> list[WithAnnotations[ConnectionTestSlot, SlotCounts]]:
    """Bookable slots with room left whose proctor is not busy elsewhere meanwhile."""
    slots = [slot for slot in bookable_slots(candidate, interview) if slot.capacity > slot.booked]
    if not slots:
        return []
    busy = staff_busy(user_ids={s.proctor_id for s in slots}, start=min(s.starts_at for s in slots),
                      end=max(s.ends_at for s in slots))
    free = []
    for slot in slots:
        if not _overlaps(slot.starts_at, slot.ends_at, busy[slot.proctor_id]):
            slot.free = slot.capacity - slot.booked
            free.append(slot)
    return free


def _check_slot(slot: ConnectionTestSlot, candidate: Candidate, interview: Appointment | None) -> None:
    if slot.procedure_id != candidate.procedure_id:
        raise ValueError("slot of another procedure")
    if slot.starts_at <= timezone.now():
        raise ValidationError(_("This time has already passed. Choose another one."))
    if interview and slot.ends_at > interview.starts_at - dt.timedelta(hours=hours_before_interview()):
        raise ValidationError(_("The connection test must take place at least %(hours)s hours before your interview.")
                              % {"hours": hours_before_interview()})
    taken = slot.bookings.filter(appointment__status__in=Appointment.ACTIVE_STATUSES).count()
    if taken >= slot.capacity:
        raise ValidationError(_("This time is fully booked. Choose another one."))


@transaction.atomic
def connection_test_book(*, candidate: Candidate, slot: ConnectionTestSlot, interview: Appointment | None,
                         booked_by=None, send: bool = True) -> ConnectionTestBooking:
    """Book a slot; an earlier active booking is cancelled in the same transaction (moving).

    The candidate books for themselves (`booked_by=None`) and gets the invitation at once. The
    officer's applied proposal books in the officer's name with `send=False`: the test then waits,
    like the interview, for "Send all invitations"."""
    by = "" if booked_by else "candidate"
    slot = ConnectionTestSlot.objects.select_for_update().get(pk=slot.pk)  # serialises bookings of one slot
    _check_slot(slot, candidate, interview)
    for old in ConnectionTestBooking.objects.filter(
        candidate=candidate, appointment__status__in=Appointment.ACTIVE_STATUSES
    ).select_related("appointment"):
        if old.slot_id == slot.pk:
            return old
        appointment_set_status(actor=booked_by, actor_label=by, appointment=old.appointment,
                               to=Appointment.Status.CANCELLED, reason="connection test moved")
    try:
        appointment = appointment_plan(actor=booked_by, appointment=Appointment(
            procedure_id=candidate.procedure_id, candidate=candidate, kind=Appointment.Kind.CONNECTION_TEST,
            proctor_id=slot.proctor_id, starts_at=slot.starts_at, ends_at=slot.ends_at, platform=slot.platform,
            join_url=slot.join_url,
        ))
    except SchedulingConflict as exc:
        # (Not the conflict itself: it names staff and their other appointments.)
        raise ValidationError(_("This time is no longer available. Choose another one.")) from exc
    booking = ConnectionTestBooking.objects.create(slot=slot, candidate=candidate, appointment=appointment)
    if send:
        # The candidate's own booking: the invitation goes out now, in this transaction (nobody else will
        # press "send" for it); or, while the slot's meeting is being made (Teams, by the worker), as soon
        # as it exists.
        locked = appointments_for_sending().get(pk=appointment.pk)
        if meeting_waits(locked):
            meeting_invite_when_ready(appointment=locked)
        else:
            invitation_send_locked(appointment=locked)
    overview_touch(candidate.pk)
    audit_record(actor=booked_by, actor_label=by, action="connection_test.booked", obj=booking,
                 procedure_id=candidate.procedure_id, changes={"slot": (None, slot.pk)})
    return booking


@transaction.atomic
def connection_test_record(*, actor, booking: ConnectionTestBooking, outcome: str, notes: str) -> ConnectionTestBooking:
    if outcome not in ConnectionTestBooking.Outcome.values or outcome == ConnectionTestBooking.Outcome.PENDING:
        raise ValidationError(_("Choose passed, problems or no-show."))
    if booking.appointment.starts_at > timezone.now():
        raise ValidationError(_("The connection test has not started yet: record its outcome once it has begun."))
    from_state = booking.outcome
    booking.outcome = outcome
    booking.notes = notes
    booking.recorded_by = actor
    booking.recorded_at = timezone.now()
    booking.save(update_fields=["outcome", "notes", "recorded_by", "recorded_at"])
    audit_record(actor=actor, action="connection_test.outcome", obj=booking,
                 procedure_id=booking.candidate.procedure_id, from_state=from_state, to_state=outcome)
    overview_touch(booking.candidate_id)  # the outcome is part of the candidate's readiness (readiness.py)
    return booking


@dataclass
class SlotsCreated:
    slots: list[ConnectionTestSlot]
    # Wall-clock starts that do not exist that day (the clocks move forward).
    nonexistent: list[dt.time] = field(default_factory=list)
    # Slots left out because the proctor has another appointment then (the conflict, in words).
    busy: list[str] = field(default_factory=list)


def _slot_times(day: dt.date, first_start: dt.time, last_end: dt.time, minutes: int):
    """(instants, non-existent starts): slots on the wall-clock grid first_start, +minutes, …, each
    `minutes` long in real time and ending by last_end; a start that happens twice gives two
    slots, one that does not exist none. A slot that would overlap the one before is left out."""
    if last_end <= first_start:
        raise ValidationError(_("The last slot must end after the first one starts."))
    end_instants = localtime.instants(dt.datetime.combine(day, last_end))
    if not end_instants:
        raise ValidationError(localtime.nonexistent_message(dt.datetime.combine(day, last_end)))
    end_of_day = end_instants[-1]  # (a repeated end time: the later one, so the repeated hour is covered)
    length = dt.timedelta(minutes=minutes)
    starts, nonexistent = [], []
    wall = dt.datetime.combine(day, first_start)
    while wall.date() == day and wall.time() < last_end:
        found = localtime.instants(wall)
        if not found:
            nonexistent.append(wall.time())
        starts += found
        wall += length  # (naive: wall-clock arithmetic, which is what "cut in wall time" means)
    times, previous_end = [], None
    for start in sorted(starts):  # in real time: the repeated hour's second pass comes after the first
        if start + length <= end_of_day and (previous_end is None or start >= previous_end):
            times.append((start, start + length))
            previous_end = start + length
    return times, nonexistent


@transaction.atomic
def slots_create_bulk(*, actor, procedure: Procedure, proctor, day: dt.date, first_start: dt.time,
                      last_end: dt.time, minutes: int, capacity: int, platform: str,
                      join_url: str) -> SlotsCreated:
    """Consecutive slots of `minutes` from first_start until last_end (Brussels time) on one day,
    except where the proctor has another appointment (the conflict checks of every appointment)."""
    localtime.check_date(day)
    times, nonexistent = _slot_times(day, first_start, last_end, minutes)
    result = SlotsCreated(slots=[], nonexistent=nonexistent)
    for start, end in times:
        conflicts = find_conflicts(Appointment(procedure=procedure, kind=Appointment.Kind.CONNECTION_TEST,
                                               proctor=proctor, starts_at=start, ends_at=end))
        if conflicts:
            result.busy.extend(c.message() for c in conflicts if c.message() not in result.busy)
            continue
        result.slots.append(ConnectionTestSlot(procedure=procedure, proctor=proctor, starts_at=start, ends_at=end,
                                               capacity=capacity, platform=platform, join_url=join_url))
    if not result.slots:
        raise ValidationError([_("No slot fits between these times."), *result.busy])
    result.slots = ConnectionTestSlot.objects.bulk_create(result.slots)
    audit_record(actor=actor, action="connection_test.slots_created", obj=procedure, procedure_id=procedure.pk,
                 changes={"count": (None, len(result.slots)), "day": (None, day.isoformat())})
    return result


# ------------------------------------------------- the proctor's one calendar event per slot (messaging)

def slot_group(appointment: Appointment) -> str | None:
    """The slot an appointment was booked in, as messaging names the proctor's one event for it."""
    slot_id = (ConnectionTestBooking.objects.filter(appointment_id=appointment.pk)
               .values_list("slot_id", flat=True).first())
    return None if slot_id is None else f"test_slot:{slot_id}"


def slot_others_sent(group: str, appointment: Appointment, email: str) -> bool:
    """Whether another active booking of the slot was sent to `email` as its proctor."""
    slot_id = int(group.removeprefix("test_slot:"))
    return (ConnectionTestBooking.objects.filter(
        slot_id=slot_id, appointment__status__in=[Appointment.Status.INVITED, Appointment.Status.CONFIRMED],
        appointment__proctor__email__iexact=email)
        .exclude(appointment_id=appointment.pk).exists())
