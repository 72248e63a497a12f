"""The proctor console and the session page in chromium: live updates, countdowns, accessibility."""

import datetime as dt
import time

import pytest
from django.conf import settings
from playwright.sync_api import expect

from interviewdesk.live import services
from interviewdesk.live.models import State
from interviewdesk.portal.services.access import access_link_issue
from interviewdesk.procedures.models import Procedure
from interviewdesk.scheduling.models import Appointment
from tests.browser import _open_page, assert_accessible, assert_fits_width, login
from tests.e2e.test_portal_journeys import open_personal_page
from tests.factories import AppointmentFactory
from tests.live.conftest import bring_to, make_setup

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _at_ten_today(today_at_ten):
    """As in tests/live: the console shows today's sessions, so a day of fifty sessions starting
    "now" must not run past midnight (late in the evening most of them were tomorrow's and the
    page count failed). 10:00 on TEST_NOW's day, the clock ticking."""


@pytest.fixture
def second_page(browser, live_server):
    """Another staff member's browser."""
    yield from _open_page(browser, live_server, locale="en-GB")


def state_badge(page, appointment):
    return page.locator(f"#session-row-{appointment.pk} [data-state]")


def fill_the_day(s, count):
    """Other sessions of the same day, so the console carries a realistic load."""
    for index in range(count):
        start = s.appointment.starts_at + dt.timedelta(minutes=index + 1)
        # Preparations without jury or proctor: PostgreSQL's exclusion constraints forbid double bookings.
        AppointmentFactory(procedure=s.procedure, kind=Appointment.Kind.PREPARATION, starts_at=start,
                           ends_at=start + dt.timedelta(hours=1), status=Appointment.Status.INVITED)


def test_the_console_shows_a_change_made_in_another_browser_within_two_seconds(page, second_page):
    s = make_setup()
    fill_the_day(s, 49)  # fifty sessions on the console
    login(page, s.proctor.username)
    page.goto("/console/")
    expect(state_badge(page, s.appointment)).to_have_text("scheduled")
    assert page.locator("#console-rows tbody tr").count() == 25  # one page of the fifty (CONSOLE_PER_PAGE)
    expect(page.get_by_role("navigation", name="Session pages")).to_be_visible()
    assert_accessible(page)

    login(second_page, s.chair.username)
    second_page.goto(f"/sessions/{s.appointment.pk}/")
    second_page.get_by_role("button", name="The candidate is in the lobby").click()
    expect(second_page.get_by_role("status")).to_contain_text("candidate waiting in the lobby")
    changed_at = time.monotonic()
    expect(state_badge(page, s.appointment)).to_have_text("candidate waiting in the lobby", timeout=2000)
    assert time.monotonic() - changed_at < 2.0

    # A change made by a service (the worker, the candidate) reaches the console the same way.
    session = bring_to(s, State.PART_1)
    services.incident_log(actor=s.proctor, session=session, category="connection_lost", description="Frozen")
    changed_at = time.monotonic()
    row = page.locator(f"#session-row-{s.appointment.pk}")
    expect(row.get_by_role("link", name="Call +32 470 12 34 56")).to_be_visible(timeout=2000)
    assert time.monotonic() - changed_at < 2.0
    assert row.get_by_role("link", name="Call +32 470 12 34 56").get_attribute("href") == "tel:+32470123456"
    assert_accessible(page)


def test_the_reconnection_countdown_runs_in_the_browser_and_the_proctor_logs_calls(page):
    s = make_setup()
    bring_to(s, State.PART_1)
    login(page, s.proctor.username)
    page.goto(f"/sessions/{s.appointment.pk}/")
    page.get_by_label("Category").select_option("connection_lost")
    page.get_by_label("What happened").fill("The candidate's video froze")
    page.get_by_role("button", name="Log the incident").click()
    timer = page.locator("#session-status .countdown")
    expect(timer).to_be_visible()
    first = timer.inner_text()
    assert first in ("10:00", "9:59", "9:58")
    expect(timer).not_to_have_text(first, timeout=3000)
    assert_accessible(page)
    page.get_by_role("button", name="no answer").click()
    expect(page.locator("#session-status")).to_contain_text("Phone call to the candidate: no answer")
    page.get_by_role("button", name="Reconnected: resume the phase").click()
    expect(page.get_by_role("status")).to_contain_text("Reconnected")
    expect(page.locator("#session-status h2")).to_contain_text("part 1: CV and motivation")
    assert_accessible(page)


def test_the_identity_and_rules_steps_are_accessible_and_fit_a_phone(page, phone_page, live_server):
    s = make_setup()
    bring_to(s, State.CANDIDATE_WAITING)
    login(page, s.proctor.username)
    page.goto(f"/sessions/{s.appointment.pk}/")
    expect(page.get_by_text("born 17 May 1990")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Document shown").select_option("belgian_eid")
    page.get_by_label("Result").select_option("match")
    page.get_by_role("button", name="Record the identity check").click()
    expect(page.get_by_role("heading", name="Rules")).to_be_visible()
    assert_accessible(page)
    # The chair sees the declarations: an assessor's link waiting for a decision, and their own form.
    services.declaration_submit(actor=s.assessors[0], appointment=s.appointment, has_link=True,
                                link_description="Former colleague")
    # The phone browser asks for Dutch; the login helper speaks English.
    phone_page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    login(phone_page, s.chair.username)
    phone_page.goto(f"/sessions/{s.appointment.pk}/")
    expect(phone_page.get_by_role("button", name="Record the decision")).to_be_visible()
    expect(phone_page.get_by_role("button", name="Submit my declaration")).to_be_visible()
    assert_fits_width(phone_page)
    assert_accessible(phone_page)


def test_the_candidate_reports_a_problem_and_the_console_shows_it_at_once(page, second_page, live_server):
    s = make_setup(pre_stage=Procedure.PreStage.CASE, pre_stage_minutes=30)
    session = bring_to(s, State.RULES_CONFIRMED)
    services.session_preparation_start(actor=s.proctor, session=session)
    login(page, s.proctor.username)
    page.goto("/console/")
    expect(page.locator(f"#session-row-{s.appointment.pk} .countdown")).to_be_visible()

    # The candidate opens their personal page; during the preparation it offers the problem form.
    open_personal_page(second_page, s.appointment.candidate)
    expect(second_page.get_by_role("heading", name="Meld een probleem aan de toezichter")).to_be_visible()
    assert_accessible(second_page)
    second_page.get_by_label("Wat is het probleem?").fill("De case opent niet")
    second_page.get_by_role("button", name="Verstuur naar de toezichter").click()
    expect(second_page.get_by_role("status")).to_contain_text("Uw bericht is bij de toezichter aangekomen")
    sent_at = time.monotonic()
    expect(page.locator(f"#session-row-{s.appointment.pk}")).to_contain_text("Problem reported by the candidate",
                                                                              timeout=2000)
    assert time.monotonic() - sent_at < 2.0
    assert_accessible(second_page)


def test_the_officer_pages_for_a_new_appointment_are_accessible(page):
    s = make_setup()
    session = bring_to(s, State.PART_1)
    services.session_stop(actor=s.chair, session=session, reason="Third person in the room")
    services.session_request_new_appointment(actor=s.officer, session=session)
    login(page, s.officer.username)
    page.goto("/console/")
    page.get_by_role("link", name="1 session needs a new appointment").click()
    assert_accessible(page)
    page.get_by_role("link", name=f"Pick a new appointment for {s.appointment.candidate.full_name}").click()
    assert_accessible(page)


@pytest.fixture
def page_without_js(browser, live_server):
    yield from _open_page(browser, live_server, locale="nl-BE", java_script_enabled=False)


def test_without_javascript_the_problem_form_still_reaches_the_proctor(page_without_js, live_server):
    s = make_setup(pre_stage=Procedure.PreStage.CASE, pre_stage_minutes=30)
    session = bring_to(s, State.RULES_CONFIRMED)
    services.session_preparation_start(actor=s.proctor, session=session)
    # The personal link and its button are plain forms: no script needed (axe needs script, so not here).
    link = access_link_issue(candidate=s.appointment.candidate)
    page_without_js.goto("/" + link.split("://", 1)[1].split("/", 1)[1])
    page_without_js.locator("form button[type=submit].primary").click()
    page_without_js.wait_for_url("**/portal/")
    page_without_js.get_by_label("Wat is het probleem?").fill("Geen geluid meer")
    page_without_js.get_by_role("button", name="Verstuur naar de toezichter").click()
    expect(page_without_js.get_by_role("status")).to_contain_text("Uw bericht is bij de toezichter aangekomen")
    assert list(session.problem_reports.values_list("text", flat=True)) == ["Geen geluid meer"]


def test_the_proctor_searches_and_filters_the_console_on_a_phone_and_it_keeps_updating(page):
    s = make_setup()
    fill_the_day(s, 30)  # more than a page
    name = f"#{s.appointment.candidate_id}"  # the candidate's number (every factory candidate is a Janssens)
    login(page, s.proctor.username)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/console/")
    page.get_by_label("Search by name, e-mail or #number").fill(name)
    page.get_by_label("State").select_option("scheduled")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_label("Search by name, e-mail or #number")).to_have_value(name)
    expect(page.locator("#console-rows tbody tr")).to_have_count(1)
    expect(state_badge(page, s.appointment)).to_have_text("scheduled")
    assert_accessible(page)
    assert_fits_width(page)
    # The poll keeps the search and the filter: checked in, the session is no longer "scheduled".
    services.session_checkin(actor=s.proctor, session=s.session)
    expect(page.get_by_text("No session of today matches this search.")).to_be_visible(timeout=2000)
    page.get_by_label("State").select_option("candidate_waiting")
    page.get_by_role("button", name="Show").click()
    expect(state_badge(page, s.appointment)).to_have_text("candidate waiting in the lobby")
    assert_accessible(page)
