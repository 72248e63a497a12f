"""Browser journey: the officer opens the Meetings page, makes a failed Teams meeting again by
keyboard, opens one appointment's meeting, and changes the procedure's provider (axe on each page);
the same pages in Dutch on a 320 px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from interviewdesk.core.models import AuditEntry
from interviewdesk.meetings.models import Meeting, MeetingSettings
from interviewdesk.meetings.services import meeting_work
from interviewdesk.procedures.models import Role
from tests.browser import assert_accessible, assert_fits_width, login
from tests.factories import ProcedureFactory, member
from tests.meetings.conftest import graph, jitsi_settings, use_teams  # noqa: F401 (fixtures)
from tests.meetings.fake_graph import ORGANIZER
from tests.messaging.conftest import planned_interview

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def failed(graph, jitsi_settings):  # noqa: F811
    procedure = ProcedureFactory()
    officer = member(procedure, Role.SELECTION_OFFICER, username="officer")
    use_teams(procedure)
    graph.policies.clear()  # no application access policy yet: Graph answers 403
    appointment = planned_interview(procedure=procedure)
    meeting = Meeting.objects.get(links__appointment=appointment)
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.FAILED
    graph.policies.add(ORGANIZER)  # the administrator fixed the cause
    return procedure, officer, appointment, meeting


def test_the_officer_retries_by_keyboard_and_changes_the_provider(page, failed):
    procedure, officer, _appointment, meeting = failed
    login(page, officer.username)
    page.goto(f"/procedures/{procedure.pk}/meetings/")
    expect(page.get_by_role("heading", name="Meetings", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="application access policy").first).to_be_visible()
    assert_accessible(page)

    retry = page.get_by_role("button", name="Make the failed meetings again")
    retry.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("being made again")
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.PENDING
    assert AuditEntry.objects.filter(action="meeting.retried", actor=officer).count() == 1
    assert_accessible(page)

    page.get_by_role("link", name="Meeting for this appointment").first.click()
    expect(page.get_by_role("heading", name="Meeting for this appointment")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back without saving").click()

    page.get_by_label("Who makes the meetings").select_option("jitsi")
    page.get_by_label("Jitsi server").fill("https://meet.example.org")
    page.get_by_label("Jitsi application id").fill("desk")
    page.get_by_role("button", name="Save the meeting settings").click()
    expect(page.get_by_role("status")).to_contain_text("Meeting settings saved.")
    conf = MeetingSettings.objects.get(procedure=procedure)
    assert (conf.provider, conf.jitsi_base_url) == ("jitsi", "https://meet.example.org")
    assert_accessible(page)


def test_the_meetings_pages_read_in_dutch_and_fit_a_phone(phone_page, failed):
    procedure, officer, appointment, _meeting = failed
    login(phone_page, officer.username)
    for url, heading in ((f"/procedures/{procedure.pk}/meetings/", "Vergaderingen"),
                         (f"/procedures/{procedure.pk}/meetings/appointments/{appointment.pk}/",
                          "Vergadering voor deze afspraak")):
        phone_page.goto(url)
        expect(phone_page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        assert_accessible(phone_page)
        assert_fits_width(phone_page)
    expect(phone_page.get_by_text("vergadering mislukt").first).to_be_visible()
