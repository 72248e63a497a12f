"""Live connection tests: proctors offer slots, candidates book and move them, proctors record the outcome.

A booking is an Appointment(kind="connection_test") planned through scheduling, so the
candidate's other appointments are checked for overlap and the invitation follows from
scheduling's signal; the proctor may hold several candidates in one slot (up to capacity).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from interviewdesk.core.audit import audit_record
from interviewdesk.procedures.models import Candidate, Procedure
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_plan, appointment_set_status

from .models import ConnectionTestBooking, ConnectionTestSlot
from .services import overview_touch


def hours_before_interview() -> int:
    """A test must end at least this many hours before the interview (setting, default 24)."""
    return int(getattr(settings, "PORTAL_CONNECTION_TEST_HOURS_BEFORE", 24))


def _booked_filter() -> Q:
    return Q(bookings__appointment__status__in=Appointment.ACTIVE_STATUSES)


def bookable_slots(candidate: Candidate, interview: Appointment | None) -> QuerySet[ConnectionTestSlot]:
    """Future slots of the candidate's procedure that still have room and end early enough."""
    slots = (
        ConnectionTestSlot.objects.filter(procedure_id=candidate.procedure_id, starts_at__gt=timezone.now())
        .annotate(booked=Count("bookings", filter=_booked_filter()))
        .order_by("starts_at", "id")
    )
    if interview is not None:
        slots = slots.filter(ends_at__lte=interview.starts_at - dt.timedelta(hours=hours_before_interview()))
    return slots


def free_slots(candidate: Candidate, interview: Appointment | None) -> list[ConnectionTestSlot]:
    slots = []
    for slot in bookable_slots(candidate, interview):
        slot.free = slot.capacity - slot.booked
        if slot.free > 0:
            slots.append(slot)
    return slots


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
def connection_test_book(*, candidate: Candidate, slot: ConnectionTestSlot,
                         interview: Appointment | None) -> ConnectionTestBooking:
    """Book a slot; an earlier active booking is cancelled in the same transaction (moving)."""
    slot = ConnectionTestSlot.objects.select_for_update().get(pk=slot.pk)  # serialises bookings of one slot
    _check_slot(slot, candidate, interview)
    for old in ConnectionTestBooking.objects.filter(
        candidate=candidate, appointment__status__in=Appointment.ACTIVE_STATUSES
    ).select_related("appointment"):
        if old.slot_id == slot.pk:
            return old
        appointment_set_status(actor=None, actor_label="candidate", appointment=old.appointment,
                               to=Appointment.Status.CANCELLED, reason="connection test moved by the candidate")
    appointment = appointment_plan(actor=None, appointment=Appointment(
        procedure_id=candidate.procedure_id, candidate=candidate, kind=Appointment.Kind.CONNECTION_TEST,
        proctor_id=slot.proctor_id, starts_at=slot.starts_at, ends_at=slot.ends_at, platform=slot.platform,
        join_url=slot.join_url,
    ))
    booking = ConnectionTestBooking.objects.create(slot=slot, candidate=candidate, appointment=appointment)
    overview_touch(candidate.pk)
    audit_record(actor_label="candidate", action="connection_test.booked", obj=booking,
                 procedure_id=candidate.procedure_id, changes={"slot": (None, slot.pk)})
    return booking


@transaction.atomic
def connection_test_record(*, actor, booking: ConnectionTestBooking, outcome: str, notes: str) -> ConnectionTestBooking:
    if outcome not in ConnectionTestBooking.Outcome.values or outcome == ConnectionTestBooking.Outcome.PENDING:
        raise ValidationError(_("Choose passed, problems or no-show."))
    from_state = booking.outcome
    booking.outcome = outcome
    booking.notes = notes
    booking.recorded_by = actor
    booking.recorded_at = timezone.now()
    booking.save(update_fields=["outcome", "notes", "recorded_by", "recorded_at"])
    audit_record(actor=actor, action="connection_test.outcome", obj=booking,
                 procedure_id=booking.candidate.procedure_id, from_state=from_state, to_state=outcome)
    return booking


@transaction.atomic
def slots_create_bulk(*, actor, procedure: Procedure, proctor, day: dt.date, first_start: dt.time,
                      last_end: dt.time, minutes: int, capacity: int, platform: str,
                      join_url: str) -> list[ConnectionTestSlot]:
    """Consecutive slots of `minutes` from first_start until last_end (Brussels time) on one day."""
    start = timezone.make_aware(dt.datetime.combine(day, first_start))
    end_of_day = timezone.make_aware(dt.datetime.combine(day, last_end))
    step = dt.timedelta(minutes=minutes)
    slots = []
    while start + step <= end_of_day:
        slots.append(ConnectionTestSlot(procedure=procedure, proctor=proctor, starts_at=start, ends_at=start + step,
                                        capacity=capacity, platform=platform, join_url=join_url))
        start += step
    if not slots:
        raise ValidationError(_("No slot fits between these times."))
    created = ConnectionTestSlot.objects.bulk_create(slots)
    audit_record(actor=actor, action="connection_test.slots_created", obj=procedure, procedure_id=procedure.pk,
                 changes={"count": (None, len(created)), "day": (None, day.isoformat())})
    return created
