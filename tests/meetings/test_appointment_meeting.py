"""'Meeting for this appointment' (issue 14: a per-appointment override of the procedure's choice):
the officer picks the procedure's choice, a typed link, Teams or Jitsi for one appointment, from the
Meetings page; audited, in one transaction, the meeting planned again; who may open it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from interviewdesk.core.models import AuditEntry
from interviewdesk.meetings.models import AppointmentMeeting, Meeting
from interviewdesk.meetings.selectors import links_for
from interviewdesk.meetings.services import meeting_override_set, meeting_work
from interviewdesk.messaging.models import Message
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_plan
from tests.factories import AppointmentFactory, staffed_procedure
from tests.meetings.conftest import use_jitsi
from tests.meetings.fake_graph import ORGANIZER
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(working_day_morning, jitsi_settings):
    world = staffed_procedure()
    use_jitsi(world.procedure)
    world.appointment = planned_interview(procedure=world.procedure)
    return world


def url(world, appointment=None):
    return reverse("meetings:appointment", args=[world.procedure.pk, (appointment or world.appointment).pk])


def candidate_mails(appointment):
    return Message.objects.filter(appointment=appointment, recipient_email=appointment.candidate.email).order_by("id")


def test_the_meetings_page_lists_coming_appointments_with_a_link_to_their_meeting(client, world):
    client.force_login(world.officer)
    body = client.get(reverse("meetings:overview", args=[world.procedure.pk])).content.decode()
    assert url(world) in body and "Jitsi meeting ready" in body


def test_a_typed_link_for_one_appointment_replaces_its_jitsi_meeting_and_goes_to_the_candidate(client, world):
    invitation_send(appointment=world.appointment)
    jitsi = Meeting.objects.get(links__appointment=world.appointment)
    sent = candidate_mails(world.appointment).count()
    client.force_login(world.officer)
    assert client.get(url(world)).status_code == 200
    response = client.post(url(world), {"provider": "manual", "join_url": "https://skype.example.org/meet/x1",
                                        "reason": "The candidate's firm allows only this"})
    assert response.status_code == 302
    appointment = Appointment.objects.get(pk=world.appointment.pk)
    assert links_for(appointment).candidate == "https://skype.example.org/meet/x1"
    assert appointment.sequence == world.appointment.sequence + 1
    mails = candidate_mails(appointment)
    assert mails.count() == sent + 1 and "https://skype.example.org/meet/x1" in mails.last().body_text
    jitsi.refresh_from_db()
    assert jitsi.state == Meeting.State.DELETED  # no appointment uses it any more
    entry = AuditEntry.objects.get(action="meeting.override", actor=world.officer)
    assert entry.reason == "The candidate's firm allows only this"


def test_teams_for_one_appointment_of_a_jitsi_procedure_makes_its_own_meeting_and_back(world, graph, settings):
    settings.MEETINGS_TEAMS_ORGANIZER = ORGANIZER  # the service's organizer; the procedure stays on Jitsi
    jitsi = Meeting.objects.get(links__appointment=world.appointment)
    link = meeting_override_set(appointment=world.appointment, actor=world.officer, provider="teams")
    teams = link.meeting
    assert (teams.provider, teams.organizer, link.provider) == ("teams", ORGANIZER, "teams")
    jitsi.refresh_from_db()
    assert jitsi.state == Meeting.State.DELETED
    assert meeting_work(meeting_id=teams.pk) == Meeting.State.READY
    assert graph.graph_calls("POST")
    link = meeting_override_set(appointment=world.appointment, actor=world.officer, provider="")
    assert link.meeting.provider == "jitsi" and not link.provider
    teams.refresh_from_db()
    assert teams.delete_wanted


def test_a_typed_link_is_required_when_the_appointment_has_none(client, world):
    Appointment.objects.filter(pk=world.appointment.pk).update(join_url="")
    client.force_login(world.officer)
    response = client.post(url(world), {"provider": "manual", "join_url": ""})
    assert response.status_code == 400 and "Give the link of the meeting." in response.content.decode()
    assert not AppointmentMeeting.objects.filter(appointment=world.appointment, manual=True).exists()
    assert not AuditEntry.objects.filter(action="meeting.override").exists()


@pytest.mark.parametrize("who", ["proctor", "chair", "assessor", "outsider"])
def test_other_roles_and_other_procedures_get_404(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(url(world)).status_code == 404
    assert client.post(url(world), {"provider": "manual", "join_url": "https://x.example.org"}).status_code == 404
    assert not AuditEntry.objects.filter(action="meeting.override").exists()


def test_an_appointment_of_another_procedure_is_404_even_for_an_officer(client, world):
    other = staffed_procedure()
    foreign = planned_interview(procedure=other.procedure)
    client.force_login(world.officer)
    assert client.get(url(world, foreign)).status_code == 404
    assert client.post(url(world, foreign), {"provider": "manual", "join_url": "https://x.example.org"}).status_code == 404


def test_anonymous_visitors_go_to_the_login_page(client, world):
    for response in (client.get(url(world)), client.post(url(world), {"provider": ""})):
        assert response.status_code == 302 and "login" in response["Location"]


def test_a_get_writes_nothing(client, world):
    client.force_login(world.officer)
    before = (AuditEntry.objects.count(), AppointmentMeeting.objects.count(), Meeting.objects.count())
    client.get(url(world))
    assert (AuditEntry.objects.count(), AppointmentMeeting.objects.count(), Meeting.objects.count()) == before


# --- reachable from the product: the appointment's session page and its change form (officer only) ---

def session_url(appointment):
    return reverse("live:session", args=[appointment.pk])


def edit_url(appointment):
    return reverse("appointment_edit", args=[appointment.pk])


def test_the_officer_finds_the_meeting_of_an_appointment_on_its_page_and_its_change_form(client, world):
    client.force_login(world.officer)
    for page in (session_url(world.appointment), edit_url(world.appointment)):
        response = client.get(page)
        assert response.status_code == 200
        assert f'href="{url(world)}"' in response.content.decode(), page
    assert client.get(url(world)).status_code == 200  # and the link leads somewhere he may go


@pytest.mark.parametrize("who", ["proctor", "chair", "assessor"])
def test_proctors_and_jury_see_the_appointments_page_without_the_meeting_link(client, world, who):
    # The session's own proctor and jury (need-to-know, issue 12: another jury's or proctor's
    # session answers 404); planned_interview gives the appointment a jury and proctor of its own.
    own = {"proctor": world.appointment.proctor, "chair": world.appointment.jury.chair,
           "assessor": world.appointment.jury.members.filter(role="assessor").order_by("id").first().user}
    client.force_login(own[who])
    response = client.get(session_url(world.appointment))
    assert response.status_code == 200
    assert url(world) not in response.content.decode()
    assert client.get(url(world)).status_code == 404  # typing the address does not help either


def test_a_connection_test_has_no_meeting_link_on_its_change_form(client, world):
    test = appointment_plan(actor=None, appointment=AppointmentFactory.build(
        procedure=world.procedure, candidate=world.appointment.candidate, kind=Appointment.Kind.CONNECTION_TEST,
        jury=None, proctor=world.proctor, starts_at=world.appointment.starts_at - dt.timedelta(days=1, hours=1),
        ends_at=world.appointment.starts_at - dt.timedelta(days=1, minutes=45)))
    client.force_login(world.officer)
    response = client.get(edit_url(test))
    assert response.status_code == 200
    assert url(world, test) not in response.content.decode()
    assert client.get(url(world, test)).status_code == 404


def test_an_outsider_and_an_anonymous_visitor_do_not_reach_the_pages_with_the_link(client, world):
    client.force_login(world.outsider)
    for page in (session_url(world.appointment), edit_url(world.appointment), url(world)):
        assert client.get(page).status_code == 404, page
    client.logout()
    for page in (session_url(world.appointment), edit_url(world.appointment), url(world)):
        response = client.get(page)
        assert response.status_code == 302 and "login" in response["Location"], page
