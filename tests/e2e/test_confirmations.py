"""Nothing irreversible in one click: each such button leads to a page that says what will happen and
to whom, usable by keyboard on a 320 px phone, without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from interviewdesk.core.models import AuditEntry
from interviewdesk.procedures.models import Procedure
from tests.browser import assert_accessible, assert_fits_width, login
from tests.factories import CandidateFactory, staffed_procedure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def press_on(page, role: str, name: str) -> None:
    """Reach the control with the keyboard (focus, then Enter), as a keyboard user does."""
    control = page.get_by_role(role, name=name)
    control.focus()
    expect(control).to_be_focused()
    page.keyboard.press("Enter")


def test_closing_and_reopening_a_procedure_by_keyboard_on_a_phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640},
                                  java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    staff = staffed_procedure()
    for _ in range(2):
        CandidateFactory(procedure=staff.procedure)
    login(page, staff.officer.username)
    page.goto(f"/procedures/{staff.procedure.pk}/")
    press_on(page, "link", "Close the procedure…")
    expect(page.get_by_role("heading", level=1)).to_have_text("Close the procedure")
    expect(page.get_by_role("main")).to_contain_text("2 candidates")
    assert_fits_width(page)
    press_on(page, "button", "Close the procedure")
    expect(page.get_by_role("main")).to_contain_text("The procedure is now closed.")
    assert Procedure.objects.get(pk=staff.procedure.pk).status == "closed"

    press_on(page, "link", "Reopen the procedure…")
    page.get_by_label("Why is the procedure reopened?").fill("Closed a week too early")
    press_on(page, "button", "Reopen the procedure")
    expect(page.get_by_role("main")).to_contain_text("The procedure is now open.")
    assert AuditEntry.objects.get(action="procedure.status", to_state="open").reason == "Closed a week too early"
    context.close()


def test_the_confirmation_page_passes_axe(page):
    staff = staffed_procedure()
    login(page, staff.officer.username)
    page.goto(f"/procedures/{staff.procedure.pk}/status/?to=closed")
    assert_accessible(page)
