"""Opening a session page writes nothing (issue 15, "reads never write"): before the first move the
page shows the attempt as "scheduled" without creating it; the first move creates it in its own
transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from interviewdesk.core.models import AuditEntry
from interviewdesk.live import services
from interviewdesk.live.models import LiveSession, SessionEvent, State
from interviewdesk.scheduling.models import Appointment
from tests.gets import get_writing_nothing
from tests.live.conftest import bring_to

pytestmark = pytest.mark.django_db


def page(setup, name="live:session"):
    return reverse(name, kwargs={"appointment_id": setup.appointment.pk})


def test_the_session_page_of_an_interview_not_started_creates_no_attempt(client, setup):
    client.force_login(setup.proctor)
    response = get_writing_nothing(client, page(setup), LiveSession, SessionEvent, AuditEntry)
    assert response.status_code == 200
    assert response.context["session"].state == State.SCHEDULED
    assert "The candidate is in the lobby" in response.content.decode()  # the first move is offered
    assert not LiveSession.objects.filter(appointment=setup.appointment).exists()


def test_the_polled_status_creates_no_attempt(client, setup):
    client.force_login(setup.chair)
    response = get_writing_nothing(client, page(setup, "live:session_status"), LiveSession)
    assert response.status_code == 200
    version = response.context["version"]
    assert get_writing_nothing(client, page(setup, "live:session_status") + f"?v={version}",
                               LiveSession).status_code == 204


def test_the_first_move_creates_the_attempt_with_its_transition(client, setup):
    client.force_login(setup.proctor)
    client.get(page(setup))
    response = client.post(reverse("live:session_action", kwargs={"appointment_id": setup.appointment.pk,
                                                                 "action": "checkin"}))
    assert response.status_code == 302
    session = LiveSession.objects.get(appointment=setup.appointment)
    assert (session.attempt, session.state) == (1, State.CANDIDATE_WAITING)


def test_an_invalid_form_on_a_session_not_started_creates_nothing(client, setup):
    client.force_login(setup.officer)
    response = client.post(reverse("live:session_extra_time", kwargs={"appointment_id": setup.appointment.pk}),
                           {"minutes": "-5"})
    assert response.status_code == 400
    assert not LiveSession.objects.filter(appointment=setup.appointment).exists()


def test_the_page_of_a_stopped_session_at_a_new_time_shows_the_next_attempt_without_creating_it(client, setup):
    session = bring_to(setup, State.CANDIDATE_WAITING)
    services.session_stop(actor=setup.proctor, session=session, reason="No eID")
    # The state the page meets when the new time's attempt does not exist yet (the move to a new
    # time creates it; here the appointment is put back past the services, to reach the page's branch).
    Appointment.objects.filter(pk=setup.appointment.pk).update(status=Appointment.Status.PLANNED)
    LiveSession.objects.filter(pk=session.pk).update(planned_start=session.planned_start - dt.timedelta(days=1))
    client.force_login(setup.proctor)
    response = get_writing_nothing(client, page(setup), LiveSession)
    assert response.status_code == 200
    assert (response.context["session"].attempt, response.context["session"].state) == (2, State.SCHEDULED)
    assert list(LiveSession.objects.filter(appointment=setup.appointment).values_list("attempt", flat=True)) == [1]
