import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from interviewdesk.portal.models import ConnectionTestBooking, ConnectionTestSlot
from interviewdesk.portal.services.connection_tests import connection_test_book, free_slots, slots_create_bulk
from interviewdesk.procedures.models import Role
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, CandidateFactory, ProcedureFactory, jury_with_members, member
from tests.portal.conftest import log_in

pytestmark = pytest.mark.django_db


def slot_in(procedure, days, capacity=1, hour=14):
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=days), dt.time(hour)))
    return ConnectionTestSlot.objects.create(procedure=procedure, proctor=member(procedure, Role.PROCTOR),
                                             starts_at=start, ends_at=start + dt.timedelta(minutes=15),
                                             capacity=capacity, join_url="https://teams.example.org/test")


def interview_in(candidate, days):
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=days), dt.time(10)))
    return AppointmentFactory(candidate=candidate, procedure=candidate.procedure, starts_at=start,
                              ends_at=start + dt.timedelta(hours=1), jury=jury_with_members(candidate.procedure))


def test_booking_creates_a_connection_test_appointment_with_the_slots_proctor_and_link():
    candidate = CandidateFactory()
    slot = slot_in(candidate.procedure, 3)
    booking = connection_test_book(candidate=candidate, slot=slot, interview=None)
    appointment = booking.appointment
    assert (appointment.kind, appointment.proctor_id, appointment.starts_at, appointment.join_url) == (
        "connection_test", slot.proctor_id, slot.starts_at, "https://teams.example.org/test")


def test_a_full_slot_is_refused_and_no_longer_offered():
    procedure = ProcedureFactory()
    slot = slot_in(procedure, 3, capacity=2)
    first, second, third = (CandidateFactory(procedure=procedure) for _ in range(3))
    connection_test_book(candidate=first, slot=slot, interview=None)
    assert [s.free for s in free_slots(third, None)] == [1]
    connection_test_book(candidate=second, slot=slot, interview=None)  # a group test: same proctor, same time
    assert free_slots(third, None) == []
    with pytest.raises(ValidationError, match="fully booked"):
        connection_test_book(candidate=third, slot=slot, interview=None)


def test_only_slots_ending_enough_hours_before_the_interview_are_offered(settings):
    settings.PORTAL_CONNECTION_TEST_HOURS_BEFORE = 24
    candidate = CandidateFactory()
    interview = interview_in(candidate, 5)
    early = slot_in(candidate.procedure, 3)
    too_late = slot_in(candidate.procedure, 4, hour=14)  # ends 19h45 before the interview
    after = slot_in(candidate.procedure, 6)
    assert [s.pk for s in free_slots(candidate, interview)] == [early.pk]
    for slot in (too_late, after):
        with pytest.raises(ValidationError, match="at least 24 hours"):
            connection_test_book(candidate=candidate, slot=slot, interview=interview)


def test_moving_cancels_the_old_appointment_and_books_the_new_one():
    candidate = CandidateFactory()
    old_slot, new_slot = slot_in(candidate.procedure, 3), slot_in(candidate.procedure, 4)
    old = connection_test_book(candidate=candidate, slot=old_slot, interview=None)
    new = connection_test_book(candidate=candidate, slot=new_slot, interview=None)
    old.appointment.refresh_from_db()
    assert old.appointment.status == Appointment.Status.CANCELLED
    assert new.appointment.status == Appointment.Status.PLANNED
    assert [s.free for s in free_slots(candidate, None)] == [1]  # the old slot is free again
    assert ConnectionTestBooking.objects.filter(candidate=candidate).count() == 2


def test_candidate_books_through_the_page_and_cannot_book_another_procedures_slot(client):
    candidate = CandidateFactory()
    slot = slot_in(candidate.procedure, 3)
    other = slot_in(ProcedureFactory(), 3)
    log_in(client, candidate)
    assert client.post("/portal/connection-test/", {"slot": other.pk}).status_code == 404
    assert client.post("/portal/connection-test/", {"slot": slot.pk}).status_code == 302
    assert ConnectionTestBooking.objects.get(candidate=candidate).slot == slot
    page = client.get("/portal/connection-test/").content.decode()
    assert "https://teams.example.org/test" in page


def test_bulk_creation_makes_consecutive_slots_in_brussels_time():
    procedure = ProcedureFactory()
    officer = member(procedure, Role.SELECTION_OFFICER)
    proctor = member(procedure, Role.PROCTOR)
    day = timezone.localdate() + dt.timedelta(days=30)
    slots = slots_create_bulk(actor=officer, procedure=procedure, proctor=proctor, day=day,
                              first_start=dt.time(9), last_end=dt.time(10, 10), minutes=20, capacity=3,
                              platform="teams", join_url="").slots
    assert [timezone.localtime(s.starts_at).strftime("%H:%M") for s in slots] == ["09:00", "09:20", "09:40"]
    assert {s.capacity for s in slots} == {3}


def test_staff_create_slots_in_bulk_and_proctors_record_outcomes(client, time_machine):
    procedure = ProcedureFactory()
    officer = member(procedure, Role.SELECTION_OFFICER)
    proctor = member(procedure, Role.PROCTOR)
    client.force_login(officer)
    day = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(f"/procedures/{procedure.pk}/connection-tests/", {
        "proctor": proctor.pk, "day": day, "first_start": "09:00", "last_end": "10:00", "minutes": 15,
        "capacity": 2, "platform": "teams", "join_url": "https://teams.example.org/t"})
    assert response.status_code == 302
    assert ConnectionTestSlot.objects.filter(procedure=procedure).count() == 4
    candidate = CandidateFactory(procedure=procedure)
    booking = connection_test_book(candidate=candidate, slot=ConnectionTestSlot.objects.first(), interview=None)
    client.force_login(member(procedure, Role.JURY_CHAIR))
    # A jury chair may see the slots but neither create them nor offer any.
    assert client.post(f"/procedures/{procedure.pk}/connection-tests/", {}).status_code == 404
    time_machine.move_to(booking.appointment.starts_at, tick=False)  # (no outcome before the test started)
    client.force_login(proctor)
    url = f"/procedures/{procedure.pk}/connection-tests/bookings/{booking.pk}/outcome/"
    assert client.post(url, {"outcome": "problems", "notes": "Echo on the microphone"}).status_code == 302
    booking.refresh_from_db()
    assert (booking.outcome, booking.notes, booking.recorded_by_id) == ("problems", "Echo on the microphone", proctor.pk)


def test_slot_pages_are_closed_to_jury_members_other_procedures_and_anonymous(client):
    procedure = ProcedureFactory()
    url = f"/procedures/{procedure.pk}/connection-tests/"
    assert client.get(url).status_code == 302
    client.force_login(member(procedure, Role.ASSESSOR))
    assert client.get(url).status_code == 404
    client.force_login(member(ProcedureFactory(), Role.PROCTOR))
    assert client.get(url).status_code == 404
    client.force_login(member(procedure, Role.PROCTOR))
    assert client.get(url).status_code == 200


def test_slot_page_query_count_does_not_grow_with_slots(client):
    procedure = ProcedureFactory()
    officer = member(procedure, Role.SELECTION_OFFICER)
    client.force_login(officer)
    slot = slot_in(procedure, 3, capacity=5)
    connection_test_book(candidate=CandidateFactory(procedure=procedure), slot=slot, interview=None)
    with CaptureQueriesContext(connection) as one:
        client.get(f"/procedures/{procedure.pk}/connection-tests/")
    for day in (4, 5, 6):
        s = slot_in(procedure, day, capacity=5)
        connection_test_book(candidate=CandidateFactory(procedure=procedure), slot=s, interview=None)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/procedures/{procedure.pk}/connection-tests/")
    assert len(many) == len(one)


def test_a_proctor_offers_slots_for_themselves_only(client):
    procedure = ProcedureFactory()
    proctor, colleague = member(procedure, Role.PROCTOR), member(procedure, Role.PROCTOR)
    client.force_login(proctor)
    day = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    data = {"day": day, "first_start": "14:00", "last_end": "14:30", "minutes": 15, "capacity": 1,
            "platform": "jitsi", "join_url": ""}
    assert client.post(f"/procedures/{procedure.pk}/connection-tests/", {**data, "proctor": colleague.pk}).status_code == 200
    assert client.post(f"/procedures/{procedure.pk}/connection-tests/", {**data, "proctor": proctor.pk}).status_code == 302
    assert list(ConnectionTestSlot.objects.values_list("proctor_id", flat=True)) == [proctor.pk, proctor.pk]
