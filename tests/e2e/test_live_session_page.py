"""The proctor's session page is always right: the poll redraws the actions as well as the state,
no phase is offered while the connection is lost, and an automatic stop reads in the page's language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interviewdesk.live import services
from interviewdesk.live.models import Disconnection, State
from tests.browser import assert_accessible, assert_fits_width, login
from tests.live.conftest import bring_to, make_setup

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def in_dutch(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "nl", "url": live_server.url}])


def test_the_actions_follow_the_session_without_a_reload(page, live_server):
    s = make_setup()
    session = bring_to(s, State.PART_1)
    login(page, s.proctor.username)
    in_dutch(page, live_server)
    page.goto(f"/sessions/{s.appointment.pk}/")
    expect(page.get_by_role("button", name="Start deel 2 (competenties)")).to_be_visible()

    page.get_by_role("button", name="Verbinding verbroken: start de klok").click()
    expect(page.locator("#session-status .countdown")).to_be_visible()
    # While the clock runs no phase is offered; the page says why.
    expect(page.get_by_role("button", name="Start deel 2 (competenties)")).to_have_count(0)
    expect(page.locator("#session-actions")).to_contain_text(
        "De verbinding is verbroken: registreer eerst de nieuwe verbinding.")
    assert_accessible(page)

    # Ten minutes later the worker stops the session; the open page follows within a poll or two.
    lost = Disconnection.objects.get(session=session)
    ten_ago = timezone.now() - dt.timedelta(minutes=10)
    Disconnection.objects.filter(pk=lost.pk).update(started_at=ten_ago, deadline=ten_ago + dt.timedelta(minutes=10))
    assert services.disconnections_expire_overdue() == 1
    status = page.locator("#session-status")
    expect(status.locator("[data-state]")).to_have_text("nieuwe afspraak nodig", timeout=4000)
    expect(status).to_contain_text("De verbinding kon niet binnen 10 minuten worden hersteld.")
    expect(status).not_to_contain_text("could not be restored")
    expect(page.get_by_role("button", name="Opnieuw verbonden: hervat de fase")).to_have_count(0)
    expect(page.locator("#session-actions button")).to_have_count(0)
    # The phase that was interrupted counts the ten minutes lost.
    expect(status.locator("table tbody tr").first.locator("td").last).to_have_text("10")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert_fits_width(page)
