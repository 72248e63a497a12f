"""A meeting that failed, or is still being made, shows where staff look: the procedure's
appointment rows, the appointment's page and the at-risk lists (issue 14, "a permanent error shows
on the appointment and in the at-risk list with the reason")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from interviewdesk.meetings.models import Meeting
from interviewdesk.meetings.selectors import meeting_problems
from interviewdesk.meetings.services import meeting_work
from interviewdesk.messaging.selectors import at_risk
from interviewdesk.scheduling.services import appointment_cancel
from tests.factories import staffed_procedure
from tests.meetings.conftest import use_teams
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db

POLICY = "application access policy"


@pytest.fixture
def world(graph, working_day_morning):
    world = staffed_procedure()
    use_teams(world.procedure)
    start = working_day_morning + dt.timedelta(hours=3)  # within the at-risk list's 24 hours
    world.appointment = planned_interview(procedure=world.procedure, starts_at=start,
                                          ends_at=start + dt.timedelta(hours=1))
    world.meeting = Meeting.objects.get(links__appointment=world.appointment)
    return world


def fail(world, graph):
    graph.policies.clear()
    assert meeting_work(meeting_id=world.meeting.pk) == Meeting.State.FAILED


def pages(client, world) -> dict[str, str]:
    client.force_login(world.officer)
    addresses = {
        "procedure": reverse("procedure_detail", args=[world.procedure.pk]),
        "candidate": reverse("candidate_detail", args=[world.procedure.pk, world.appointment.candidate_id]),
        "appointment": reverse("appointment_edit", args=[world.appointment.pk]),
        "at risk": reverse("messaging:at_risk", args=[world.procedure.pk]),
        "dashboard": reverse("dashboard"),
    }
    bodies = {}
    for name, url in addresses.items():
        response = client.get(url)
        assert response.status_code == 200, name
        bodies[name] = response.content.decode()
    return bodies


def test_a_failed_meeting_shows_its_reason_on_the_appointment_and_in_the_at_risk_lists(client, world, graph):
    fail(world, graph)
    for name, body in pages(client, world).items():
        assert "meeting failed:" in body and POLICY in body, name
    [row] = at_risk(world.procedure)
    assert any(reason.startswith("meeting failed:") and POLICY in reason for reason in row.reasons)


def test_a_meeting_still_being_made_says_so_and_a_ready_one_says_nothing(client, world, graph):
    for name, body in pages(client, world).items():
        assert "meeting being made" in body and "meeting failed" not in body, name
    assert meeting_work(meeting_id=world.meeting.pk) == Meeting.State.READY
    for name, body in pages(client, world).items():
        assert "meeting being made" not in body and "meeting failed" not in body, name


def test_a_cancelled_appointment_no_longer_reports_its_meeting(world, graph):
    fail(world, graph)
    assert POLICY in meeting_problems([world.appointment.pk])[world.appointment.pk]
    appointment_cancel(actor=None, appointment=world.appointment, reason="Withdrawn")
    assert meeting_problems([world.appointment.pk]) == {}
    assert at_risk(world.procedure) == []


def test_the_procedure_page_reads_the_meetings_of_all_its_rows_in_one_query(client, world, graph,
                                                                            django_assert_num_queries,
                                                                            django_assert_max_num_queries):
    client.force_login(world.officer)
    url = reverse("procedure_detail", args=[world.procedure.pk])
    client.get(url)
    with django_assert_max_num_queries(60) as one:
        client.get(url)
    for hours in (5, 6, 7):
        start = world.appointment.starts_at + dt.timedelta(hours=hours)
        planned_interview(procedure=world.procedure, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)
