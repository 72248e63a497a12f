import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from interviewdesk.core.models import ClosureDay
from interviewdesk.core.workdays import room_request_deadline
from interviewdesk.messaging.models import Message
from interviewdesk.portal.models import RoomRequest
from interviewdesk.portal.services import room_request_approve
from interviewdesk.procedures.models import Role
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import SchedulingConflict
from tests.factories import AppointmentFactory, CandidateFactory, RoomFactory, jury_with_members, member
from tests.portal.conftest import log_in

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=10):
    return timezone.make_aware(dt.datetime(year, month, day, hour, 0))


def interview_at(candidate, start, jury=None):
    return AppointmentFactory(candidate=candidate, procedure=candidate.procedure, starts_at=start,
                              ends_at=start + dt.timedelta(hours=1), status=Appointment.Status.INVITED,
                              jury=jury or jury_with_members(candidate.procedure))


@pytest.mark.parametrize(("interview", "last_day"), [
    (at(2027, 3, 30), dt.date(2027, 3, 25)),   # Tuesday after Easter Monday → the Thursday before
    (at(2026, 11, 12), dt.date(2026, 11, 9)),  # Thursday after 11 November (a Wednesday) → Monday
    (at(2027, 1, 4), dt.date(2026, 12, 30)),   # Monday 4 January: 1 January and the weekend skipped
    (at(2027, 1, 6), dt.date(2027, 1, 4)),     # Wednesday 6 January → Monday
    (at(2026, 12, 1, 9), dt.date(2026, 11, 27)),  # Tuesday → previous Friday
])
def test_last_day_for_a_room_request_is_two_belgian_working_days_before(interview, last_day):
    assert room_request_deadline(interview) == last_day


def test_an_announced_bridge_day_moves_the_last_day():
    ClosureDay.objects.create(date=dt.date(2027, 3, 26), kind=ClosureDay.Kind.BRIDGE)
    assert room_request_deadline(at(2027, 3, 30)) == dt.date(2027, 3, 24)


def test_a_request_on_the_last_day_is_on_time(client, time_machine):
    time_machine.move_to(at(2027, 3, 25, 22), tick=False)
    candidate = CandidateFactory()
    interview_at(candidate, at(2027, 3, 30))
    log_in(client, candidate)
    page = client.get("/portal/room/").content.decode()
    assert "25 maart 2027" in page
    client.post("/portal/room/", {"reason": "No webcam", "needs": "A laptop"})
    request = RoomRequest.objects.get(candidate=candidate)
    assert (request.late, request.deadline, request.status) == (False, dt.date(2027, 3, 25), "open")
    assert not Message.objects.filter(kind="room_request_late").exists()


def test_a_request_after_the_last_day_is_recorded_as_late_and_the_contact_person_is_told(client, time_machine):
    time_machine.move_to(at(2027, 3, 26, 8), tick=False)
    candidate = CandidateFactory(procedure__contact_name="Marie Dubois")
    interview_at(candidate, at(2027, 3, 30))
    log_in(client, candidate)
    page = client.get("/portal/room/").content.decode()
    assert "Marie Dubois" in page
    client.post("/portal/room/", {"reason": "My laptop broke", "needs": ""})
    request = RoomRequest.objects.get(candidate=candidate)
    assert request.late is True
    message = Message.objects.get(kind="room_request_late")
    assert message.recipient_email == candidate.procedure.contact_email
    assert "My laptop broke" in message.body_text


def test_approving_assigns_the_room_and_changes_the_interview_mode_and_sequence():
    candidate = CandidateFactory()
    interview = interview_at(candidate, timezone.now() + dt.timedelta(days=10))
    officer = member(candidate.procedure, Role.SELECTION_OFFICER)
    room = RoomFactory()
    request = RoomRequest.objects.create(candidate=candidate, appointment=interview, reason="No webcam")
    room_request_approve(actor=officer, request=request, room=room, appointment=interview)
    interview.refresh_from_db()
    request.refresh_from_db()
    assert (interview.mode, interview.room_id, interview.sequence) == ("provided_room", room.pk, 1)
    assert (request.status, request.room_id, request.decided_by_id) == ("approved", room.pk, officer.pk)


def test_a_room_is_never_double_booked():
    first = CandidateFactory()
    second = CandidateFactory(procedure=first.procedure)
    start = timezone.now() + dt.timedelta(days=10)
    one = interview_at(first, start)
    two = interview_at(second, start + dt.timedelta(minutes=30))
    officer = member(first.procedure, Role.SELECTION_OFFICER)
    room = RoomFactory()
    room_request_approve(actor=officer, request=RoomRequest.objects.create(candidate=first, reason="x"), room=room,
                         appointment=one)
    second_request = RoomRequest.objects.create(candidate=second, reason="y")
    with pytest.raises(SchedulingConflict):
        room_request_approve(actor=officer, request=second_request, room=room, appointment=two)
    second_request.refresh_from_db()
    two.refresh_from_db()
    assert (second_request.status, two.room_id, two.mode) == ("open", None, "home")


def test_a_decided_request_cannot_be_decided_again():
    candidate = CandidateFactory()
    interview = interview_at(candidate, timezone.now() + dt.timedelta(days=10))
    officer = member(candidate.procedure, Role.SELECTION_OFFICER)
    request = RoomRequest.objects.create(candidate=candidate, reason="x")
    room_request_approve(actor=officer, request=request, room=RoomFactory(), appointment=interview)
    with pytest.raises(ValidationError):
        room_request_approve(actor=officer, request=request, room=RoomFactory(), appointment=interview)


def test_staff_double_booking_through_the_page_shows_the_conflict(client):
    first = CandidateFactory()
    second = CandidateFactory(procedure=first.procedure)
    start = timezone.now() + dt.timedelta(days=10)
    one = interview_at(first, start)
    two = interview_at(second, start + dt.timedelta(minutes=10))  # another jury, the same hour
    room = RoomFactory()
    officer = member(first.procedure, Role.SELECTION_OFFICER)
    r1 = RoomRequest.objects.create(candidate=first, appointment=one, reason="x")
    r2 = RoomRequest.objects.create(candidate=second, appointment=two, reason="y")
    client.force_login(officer)
    url = f"/procedures/{first.procedure_id}/room-requests/"
    assert client.post(f"{url}{r1.pk}/decide/", {"decision": "approve", "room": room.pk, "appointment": one.pk}).status_code == 302
    response = client.post(f"{url}{r2.pk}/decide/", {"decision": "approve", "room": room.pk, "appointment": two.pk},
                           follow=True)
    assert "Room" in response.content.decode() and "already has" in response.content.decode()
    r2.refresh_from_db()
    assert r2.status == "open"
