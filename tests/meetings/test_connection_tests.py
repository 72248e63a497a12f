"""Connection tests get their meeting through the same path as interviews: one meeting per
connection-test slot (its proctor and time), shared by the candidates who booked it; each candidate
gets an attendee link, staff a moderator link (Jitsi); a Teams meeting is made by the worker and the
booking's invitation waits until it exists (docs/meetings.md, "Connection tests")."""

from __future__ import annotations

import datetime as dt

import pytest

from interviewdesk.meetings.models import TEST_SLOT, Meeting
from interviewdesk.meetings.selectors import links_for
from interviewdesk.meetings.services import meeting_work, meetings_retry
from interviewdesk.messaging.models import Message
from interviewdesk.portal.models import ConnectionTestSlot
from interviewdesk.portal.services.connection_tests import connection_test_book
from interviewdesk.procedures.models import Role
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_cancel
from tests.factories import CandidateFactory, ProcedureFactory, member
from tests.meetings.conftest import JITSI_SECRET, use_jitsi, use_teams
from tests.meetings.fake_graph import ORGANIZER
from tests.meetings.test_jitsi import claims, room

pytestmark = pytest.mark.django_db


def slot(procedure, start, proctor=None, capacity=3) -> ConnectionTestSlot:
    return ConnectionTestSlot.objects.create(procedure=procedure, proctor=proctor or member(procedure, Role.PROCTOR),
                                             starts_at=start, ends_at=start + dt.timedelta(minutes=15),
                                             capacity=capacity, join_url="")


def book(the_slot, n: int) -> list[Appointment]:
    return [connection_test_book(candidate=CandidateFactory(procedure=the_slot.procedure), slot=the_slot,
                                 interview=None).appointment for _ in range(n)]


def mails_to(appointment, email):
    return Message.objects.filter(appointment=appointment, recipient_email=email).order_by("id")


@pytest.fixture
def tomorrow_afternoon(working_day_morning):
    return working_day_morning + dt.timedelta(days=1, hours=5)


def test_the_candidates_of_a_jitsi_slot_share_one_meeting_with_attendee_links_and_staff_moderate(
        jitsi_settings, tomorrow_afternoon):
    procedure = ProcedureFactory()
    use_jitsi(procedure)
    group = slot(procedure, tomorrow_afternoon)
    tests = book(group, 3)
    meeting, = Meeting.objects.filter(links__appointment__in=tests).distinct()
    assert meeting.scope == TEST_SLOT and meeting.state == Meeting.State.READY
    assert (meeting.starts_at, meeting.ends_at) == (group.starts_at, group.ends_at)
    for test in tests:
        test.refresh_from_db()
        links = links_for(test)
        candidate, staff = claims(links.candidate), claims(links.staff)
        assert room(links.candidate) == room(links.staff) == meeting.external_id
        assert candidate["moderator"] is False and staff["moderator"] is True
        assert candidate["exp"] == int((group.ends_at + dt.timedelta(minutes=60)).timestamp())
        # Booked by the candidate: the invitation went out at once, with the candidate's own link only.
        assert test.status == Appointment.Status.INVITED
        mail = mails_to(test, test.candidate.email).get()
        assert links.candidate in mail.body_text and links.staff not in mail.body_text
    # The proctor: one event for the slot (issue 13), with the staff link only.
    proctor_mail = Message.objects.get(recipient_email=group.proctor.email)
    links = links_for(proctor_mail.appointment)
    assert links.staff in proctor_mail.body_text and links.candidate not in proctor_mail.body_text

    # Another slot of the same proctor (another time) is another meeting.
    later = book(slot(procedure, tomorrow_afternoon + dt.timedelta(minutes=30), proctor=group.proctor), 1)[0]
    other = Meeting.objects.get(links__appointment=later)
    assert other != meeting and other.external_id != meeting.external_id


def test_a_teams_slot_gets_one_meeting_and_the_bookings_invitations_wait_for_it(graph, tomorrow_afternoon):
    procedure = ProcedureFactory()
    use_teams(procedure)
    group = slot(procedure, tomorrow_afternoon)
    tests = book(group, 2)
    meeting = Meeting.objects.get(links__appointment=tests[0])
    assert Meeting.objects.get(links__appointment=tests[1]) == meeting and meeting.state == Meeting.State.PENDING
    for test in tests:  # nothing sent yet: the link does not exist
        test.refresh_from_db()
        assert test.status == Appointment.Status.PLANNED and not mails_to(test, test.candidate.email).exists()

    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.READY
    create, = graph.graph_calls("POST")
    upns = [a["upn"] for a in create.body["participants"]["attendees"]]
    assert upns == [group.proctor.email.lower()]  # the proctor admits the candidates from the lobby
    assert create.body["startDateTime"].startswith(group.starts_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M"))
    for test in tests:
        assert test.candidate.last_name not in create.body["subject"]
    meeting.refresh_from_db()
    for test in tests:
        test.refresh_from_db()
        assert test.status == Appointment.Status.INVITED
        mail = mails_to(test, test.candidate.email).get()
        assert mail.kind == "invitation" and meeting.join_url in mail.body_text
    assert len(graph.meetings) == 1


def test_a_third_booking_after_the_meeting_exists_is_invited_at_once_and_the_last_cancellation_deletes_it(
        graph, tomorrow_afternoon):
    procedure = ProcedureFactory()
    use_teams(procedure, organizer=ORGANIZER)
    group = slot(procedure, tomorrow_afternoon)
    first, = book(group, 1)
    meeting = Meeting.objects.get(links__appointment=first)
    meeting_work(meeting_id=meeting.pk)
    second, = book(group, 1)
    second.refresh_from_db()
    assert Meeting.objects.get(links__appointment=second) == meeting
    assert second.status == Appointment.Status.INVITED  # the meeting and its link already exist
    meeting.refresh_from_db()
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.READY  # (the people sent again: a PATCH)
    assert len(graph.graph_calls("POST")) == 1

    appointment_cancel(actor=None, appointment=first)
    meeting.refresh_from_db()
    assert not meeting.delete_wanted  # the second candidate still uses it
    appointment_cancel(actor=None, appointment=second)
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.DELETED
    assert graph.meetings == {}


def test_a_jitsi_meeting_that_failed_sends_the_held_invitation_once_it_is_made_again(settings, tomorrow_afternoon):
    settings.MEETINGS_JITSI_APP_SECRET = ""  # forgotten: the meeting cannot be made
    procedure = ProcedureFactory()
    use_jitsi(procedure)
    test, = book(slot(procedure, tomorrow_afternoon), 1)
    meeting = Meeting.objects.get(links__appointment=test)
    test.refresh_from_db()
    assert meeting.state == Meeting.State.FAILED and test.status == Appointment.Status.PLANNED
    assert not mails_to(test, test.candidate.email).exists()

    settings.MEETINGS_JITSI_APP_SECRET = JITSI_SECRET  # the administrator fixes it; the officer retries
    officer = member(procedure, Role.SELECTION_OFFICER)
    assert meetings_retry(procedure=procedure, actor=officer) == 1
    meeting.refresh_from_db()
    test.refresh_from_db()
    assert meeting.state == Meeting.State.READY and test.status == Appointment.Status.INVITED
    assert links_for(test).candidate in mails_to(test, test.candidate.email).get().body_text
