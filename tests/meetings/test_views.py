"""The officer's meetings page: settings, counts, retry; who may open it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from interviewdesk.core.models import AuditEntry
from interviewdesk.meetings.models import Meeting, MeetingSettings
from interviewdesk.meetings.services import meeting_work
from tests.factories import staffed_procedure
from tests.meetings.conftest import use_teams
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return staffed_procedure()


def urls(world):
    pk = world.procedure.pk
    return reverse("meetings:overview", args=[pk]), reverse("meetings:retry", args=[pk])


def test_the_officer_sees_the_page_and_chooses_jitsi(client, world, jitsi_settings):
    page, _retry = urls(world)
    client.force_login(world.officer)
    response = client.get(page)
    assert response.status_code == 200 and "Skype for Business" in response.content.decode()
    response = client.post(page, {"provider": "jitsi", "scope": "jury_day", "jitsi_base_url": "https://meet.example.org",
                                  "jitsi_app_id": "desk", "teams_organizer": ""})
    assert response.status_code == 302
    conf = MeetingSettings.objects.get(procedure=world.procedure)
    assert (conf.provider, conf.scope, conf.jitsi_base_url) == ("jitsi", "jury_day", "https://meet.example.org")
    assert AuditEntry.objects.filter(action="meetings.settings", procedure_id=world.procedure.pk).exists()


def test_teams_without_an_organizer_is_refused_with_a_message(client, world):
    page, _retry = urls(world)
    client.force_login(world.officer)
    response = client.post(page, {"provider": "teams", "scope": "appointment"})
    assert response.status_code == 400 and "Teams account" in response.content.decode()
    assert not MeetingSettings.objects.filter(procedure=world.procedure).exists()


def test_the_retry_button_makes_failed_meetings_again_and_is_audited(client, world, graph, working_day_morning):
    use_teams(world.procedure)
    graph.policies.clear()
    appointment = planned_interview(procedure=world.procedure)
    meeting = Meeting.objects.get(links__appointment=appointment)
    meeting_work(meeting_id=meeting.pk)
    page, retry = urls(world)
    client.force_login(world.officer)
    body = client.get(page).content.decode()
    assert "application access policy" in body and appointment.candidate.last_name not in body
    assert client.post(retry).status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.PENDING
    assert AuditEntry.objects.filter(action="meeting.retried", actor=world.officer).count() == 1


@pytest.mark.parametrize("who", ["proctor", "chair", "assessor", "outsider"])
def test_other_roles_and_other_procedures_get_404(client, world, who):
    page, retry = urls(world)
    client.force_login(getattr(world, who))
    assert client.get(page).status_code == 404
    assert client.post(retry).status_code == 404
    assert client.post(page, {"provider": "manual", "scope": "appointment"}).status_code == 404
    assert not MeetingSettings.objects.exists()


def test_anonymous_visitors_go_to_the_login_page(client, world):
    page, retry = urls(world)
    for response in (client.get(page), client.post(retry)):
        assert response.status_code == 302 and "login" in response["Location"]


def test_a_get_on_the_retry_address_changes_nothing(client, world):
    _page, retry = urls(world)
    client.force_login(world.officer)
    assert client.get(retry).status_code == 405
    assert not AuditEntry.objects.filter(action="meeting.retried").exists()
