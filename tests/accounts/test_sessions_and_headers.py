"""Session lifetimes (staff idle and absolute, candidate idle) and the privacy headers."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from interviewdesk.procedures.models import Role
from tests.factories import CandidateFactory, ProcedureFactory, member
from tests.portal.conftest import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_limits(settings):
    # tests/conftest.py stretches the limits for tests that jump ahead in time; these check them.
    settings.STAFF_SESSION_IDLE_SECONDS = 30 * 60
    settings.STAFF_SESSION_MAX_SECONDS = 10 * 3600
    settings.PORTAL_SESSION_IDLE_SECONDS = 15 * 60
    settings.PORTAL_SESSION_MAX_SECONDS = 10 * 3600


@pytest.fixture
def officer():
    return member(ProcedureFactory(), Role.SELECTION_OFFICER, username="officer")


def test_a_staff_session_ends_after_30_idle_minutes(client, officer, real_limits):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(officer)
        assert client.get("/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert client.get("/").status_code == 200  # still within the idle period: it starts again
    with time_machine.travel(start + dt.timedelta(minutes=58), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=89), tick=False):
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert "_auth_user_id" not in client.session


def test_a_staff_session_in_use_ends_after_ten_hours(client, officer, real_limits):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(officer)
    for minutes in range(20, 10 * 60, 20):  # a request every 20 minutes, all day
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            assert client.get("/").status_code == 200, minutes
    with time_machine.travel(start + dt.timedelta(hours=10, minutes=1), tick=False):
        assert client.get("/").status_code == 302


def test_the_idle_period_is_configurable(client, officer, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 5 * 60
    settings.STAFF_SESSION_MAX_SECONDS = 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(officer)
    with time_machine.travel(start + dt.timedelta(minutes=6), tick=False):
        assert client.get("/").status_code == 302


def test_a_candidate_session_ends_after_a_shorter_idle_period(client, real_limits):
    candidate = CandidateFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        log_in(client, candidate)
        assert client.get("/portal/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=14), tick=False):
        assert client.get("/portal/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=30), tick=False):
        assert client.get("/portal/").status_code == 403  # "your session has ended"
        assert "portal_candidate" not in client.session


def test_staff_pages_and_downloads_are_not_stored(client, officer):
    client.force_login(officer)
    procedure = officer.memberships.first().procedure
    for url in ("/", f"/procedures/{procedure.pk}/"):
        assert "no-store" in client.get(url)["Cache-Control"], url
    export = client.get(f"/procedures/{procedure.pk}/readiness.xlsx")
    assert export.status_code == 200
    assert "no-store" in export["Cache-Control"]


def test_camera_and_microphone_only_on_the_device_check(client):
    log_in(client, CandidateFactory())
    check = client.get("/portal/device-check/")
    assert check.status_code == 200
    assert "camera=(self)" in check["Permissions-Policy"] and "microphone=(self)" in check["Permissions-Policy"]
    for url in ("/portal/", "/accounts/login/"):
        policy = client.get(url)["Permissions-Policy"]
        assert "camera=()" in policy and "microphone=()" in policy, url


def test_a_candidate_preparing_for_45_minutes_keeps_the_session(client, real_limits):
    """The page asks the server every 5 minutes during a preparation (htmx), which keeps the
    session alive though the candidate sends nothing for longer than the idle limit."""
    from interviewdesk.live import services
    from interviewdesk.live.models import State
    from tests.live.conftest import bring_to, make_setup

    s = make_setup(pre_stage="case", pre_stage_minutes=45)
    session = bring_to(s, State.RULES_CONFIRMED)
    services.session_preparation_start(actor=s.proctor, session=session)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        log_in(client, s.appointment.candidate)
        page = client.get("/portal/").content.decode()
        assert 'hx-get="/me/session/problem/" hx-trigger="every 300s" hx-swap="none"' in page
    for minutes in range(5, 50, 5):  # what the page's keep-alive requests do
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            assert client.get("/me/session/problem/", headers={"HX-Request": "true"}).status_code == 200, minutes
    with time_machine.travel(start + dt.timedelta(minutes=50), tick=False):
        assert client.get("/portal/").status_code == 200
