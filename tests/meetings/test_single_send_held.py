"""The officer's single send of an appointment whose Teams meeting is still being made (or failed):
the refusal used to say "the invitation goes out once it exists", but nothing remembered the request.
Now the send is held (audited) and goes out when the worker has made the meeting."""

from __future__ import annotations

import pytest
from django.urls import reverse

from interviewdesk.core.models import AuditEntry
from interviewdesk.meetings.models import Meeting
from interviewdesk.meetings.services import meeting_work, meetings_retry
from interviewdesk.messaging.models import Message
from interviewdesk.procedures.models import Role
from interviewdesk.scheduling.models import Appointment
from tests.factories import ProcedureFactory, member
from tests.meetings.conftest import use_teams
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(graph, working_day_morning):
    procedure = ProcedureFactory()
    use_teams(procedure)
    appointment = planned_interview(procedure=procedure)
    return appointment, member(procedure, Role.SELECTION_OFFICER)


def send(client, appointment):
    return client.post(reverse("messaging:send", args=[appointment.procedure_id, appointment.pk]), follow=True)


def test_a_single_send_waits_for_the_meeting_and_goes_out_when_it_is_made(client, waiting):
    appointment, officer = waiting
    client.force_login(officer)
    response = send(client, appointment)
    assert "the invitations go out as soon as it exists" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.PLANNED and not Message.objects.filter(appointment=appointment)
    assert AuditEntry.objects.filter(action="invitation.held", actor=officer).exists()

    meeting = Meeting.objects.get(links__appointment=appointment)
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.READY
    appointment.refresh_from_db()
    meeting.refresh_from_db()
    assert appointment.status == Appointment.Status.INVITED
    mail = Message.objects.get(appointment=appointment, recipient_email=appointment.candidate.email)
    assert meeting.join_url in mail.body_text


def test_a_held_send_of_a_failed_meeting_goes_out_after_the_retry(client, graph, waiting):
    appointment, officer = waiting
    graph.policies.clear()  # no application access policy: the meeting fails
    meeting = Meeting.objects.get(links__appointment=appointment)
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.FAILED
    client.force_login(officer)
    send(client, appointment)
    assert not Message.objects.filter(appointment=appointment).exists()

    graph.policies.add(meeting.organizer)  # the administrator grants the policy; the officer retries
    meetings_retry(procedure=appointment.procedure, actor=officer)
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.READY
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.INVITED
    assert Message.objects.filter(appointment=appointment, recipient_email=appointment.candidate.email).count() == 1


def test_an_appointment_that_cannot_be_sent_for_another_reason_is_still_refused(client, waiting):
    appointment, officer = waiting
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.CANCELLED)
    client.force_login(officer)
    response = send(client, appointment)
    assert "Only a planned appointment can be sent" in response.content.decode()
    assert not AuditEntry.objects.filter(action="invitation.held").exists()
