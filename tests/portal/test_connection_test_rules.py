"""Connection-test slots: cut right on the clock-change nights, checked like every appointment,
no outcome before the start, and a self-booked test's invitation sent at once (issues 10 §3, 11)."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from interviewdesk.messaging.models import Message
from interviewdesk.portal.models import ConnectionTestSlot
from interviewdesk.portal.services.connection_tests import (
    connection_test_book,
    connection_test_record,
    free_slots,
    slots_create_bulk,
)
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_plan
from tests.factories import CandidateFactory, staffed_procedure
from tests.portal.conftest import log_in

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
FROZEN = dt.datetime(2027, 2, 15, 9, 0, tzinfo=BRUSSELS)  # (both clock-change nights of 2027 ahead)
DAY = dt.date(2027, 3, 3)  # an ordinary Wednesday


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(FROZEN, tick=False)


@pytest.fixture
def staff():
    return staffed_procedure(language="nl")


def create(staff, day, first, last, minutes):
    return slots_create_bulk(actor=staff.officer, procedure=staff.procedure, proctor=staff.proctor, day=day,
                             first_start=first, last_end=last, minutes=minutes, capacity=1, platform="teams",
                             join_url="https://teams.example.org/t")


def local(slots) -> list[str]:
    return [timezone.localtime(s.starts_at).strftime("%H:%M %Z") for s in slots]


def test_slots_over_the_spring_forward_night_skip_the_missing_hour_and_say_so(staff, client):
    created = create(staff, dt.date(2027, 3, 28), dt.time(1), dt.time(4), 30)
    assert local(created.slots) == ["01:00 CET", "01:30 CET", "03:00 CEST", "03:30 CEST"]
    assert {s.ends_at - s.starts_at for s in created.slots} == {dt.timedelta(minutes=30)}
    assert created.nonexistent == [dt.time(2), dt.time(2, 30)]
    ConnectionTestSlot.objects.all().delete()
    client.force_login(staff.officer)
    response = client.post(reverse("portal:test_slots", args=[staff.procedure.pk]), {
        "proctor": staff.proctor.pk, "day": "2027-03-28", "first_start": "01:00", "last_end": "04:00",
        "minutes": 30, "capacity": 1, "platform": "teams", "join_url": ""}, follow=True)
    assert response.status_code == 200
    assert "No slot at 02:00, 02:30: that time does not exist" in response.content.decode()
    assert ConnectionTestSlot.objects.count() == 4


def test_slots_over_the_fall_back_night_cover_the_repeated_hour(staff):
    created = create(staff, dt.date(2027, 10, 31), dt.time(1, 30), dt.time(3, 30), 30)
    assert local(created.slots) == ["01:30 CEST", "02:00 CEST", "02:30 CEST", "02:00 CET", "02:30 CET", "03:00 CET"]
    starts = [s.starts_at for s in created.slots]
    assert {s.ends_at - s.starts_at for s in created.slots} == {dt.timedelta(minutes=30)}
    assert all(b - a == dt.timedelta(minutes=30) for a, b in itertools.pairwise(starts))  # no gap


def interview_of(staff, start: dt.datetime) -> Appointment:
    return appointment_plan(actor=None, appointment=Appointment(
        procedure=staff.procedure, candidate=CandidateFactory(procedure=staff.procedure), jury=staff.jury,
        proctor=staff.proctor, starts_at=start, ends_at=start + dt.timedelta(minutes=45)))


def test_no_slot_is_created_while_the_proctor_is_in_an_interview_and_the_page_says_so(staff, client):
    interview_of(staff, dt.datetime.combine(DAY, dt.time(11, 15), tzinfo=BRUSSELS))
    created = create(staff, DAY, dt.time(11), dt.time(12, 30), 15)
    assert local(created.slots) == ["11:00 CET", "12:00 CET", "12:15 CET"]
    assert len(created.busy) == 1 and staff.proctor.get_full_name() in created.busy[0]
    client.force_login(staff.officer)
    ConnectionTestSlot.objects.all().delete()
    page = client.post(reverse("portal:test_slots", args=[staff.procedure.pk]), {
        "proctor": staff.proctor.pk, "day": DAY.isoformat(), "first_start": "11:00", "last_end": "12:30",
        "minutes": 15, "capacity": 1, "platform": "teams", "join_url": ""}, follow=True).content.decode()
    assert "No slot then:" in page and "11:15" in page


def test_a_slot_the_proctor_became_busy_in_is_no_longer_offered_nor_bookable(staff, client):
    created = create(staff, DAY, dt.time(11), dt.time(12), 60)
    slot = created.slots[0]
    candidate = CandidateFactory(procedure=staff.procedure, language="nl")
    assert [s.pk for s in free_slots(candidate, None)] == [slot.pk]
    interview_of(staff, dt.datetime.combine(DAY, dt.time(11, 15), tzinfo=BRUSSELS))  # planned afterwards
    assert free_slots(candidate, None) == []
    with pytest.raises(ValidationError, match="no longer available"):
        connection_test_book(candidate=candidate, slot=slot, interview=None)
    log_in(client, candidate)
    assert "11:00" not in client.get("/portal/connection-test/").content.decode()


def test_an_outcome_cannot_be_recorded_before_the_test_started(staff, client, time_machine):
    slot = create(staff, DAY, dt.time(14), dt.time(14, 30), 30).slots[0]
    booking = connection_test_book(candidate=CandidateFactory(procedure=staff.procedure), slot=slot, interview=None)
    with pytest.raises(ValidationError, match="not started yet"):
        connection_test_record(actor=staff.proctor, booking=booking, outcome="passed", notes="")
    client.force_login(staff.proctor)
    url = reverse("portal:test_outcome", args=[staff.procedure.pk, booking.pk])
    page = client.post(url, {"outcome": "no_show", "notes": ""}, follow=True).content.decode()
    assert "has not started yet" in page
    booking.refresh_from_db()
    assert booking.outcome == "pending"
    time_machine.move_to(slot.starts_at + dt.timedelta(minutes=1), tick=False)
    connection_test_record(actor=staff.proctor, booking=booking, outcome="passed", notes="")
    booking.refresh_from_db()
    assert booking.outcome == "passed"


def test_a_self_booked_tests_invitation_is_queued_with_the_booking(staff):
    slot = create(staff, DAY, dt.time(14), dt.time(14, 30), 30).slots[0]
    candidate = CandidateFactory(procedure=staff.procedure, language="nl")
    booking = connection_test_book(candidate=candidate, slot=slot, interview=None)
    booking.appointment.refresh_from_db()
    assert booking.appointment.status == Appointment.Status.INVITED
    message = Message.objects.get(appointment=booking.appointment, kind="invitation")
    assert message.recipient_email == candidate.email and message.state == Message.State.QUEUED
    event = next(iter(Calendar.from_ical(message.ics).walk("VEVENT")))
    assert event.decoded("dtstart") == slot.starts_at
    # One transaction: a booking that rolls back leaves no invitation behind.
    other = CandidateFactory(procedure=staff.procedure)
    second = create(staff, DAY, dt.time(15), dt.time(15, 30), 30).slots[0]
    with pytest.raises(RuntimeError), transaction.atomic():
        connection_test_book(candidate=other, slot=second, interview=None)
        raise RuntimeError("the request failed after the booking")
    assert not Message.objects.filter(candidate=other).exists()
