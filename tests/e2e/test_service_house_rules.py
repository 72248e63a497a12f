"""Browser journey (issue 11): a selection officer edits the service's house rules from the dashboard,
by keyboard-reachable form fields, first with a mistake the page explains, then for real; a German
candidate of a procedure that follows the service's rules reads the new rules and their link on the
personal page. Checked with axe-core, at 1280 px for the officer and 320 px for the candidate."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from interviewdesk.portal.services.access import access_link_issue
from interviewdesk.procedures.models import Procedure, ServiceHouseRules
from interviewdesk.procedures.permissions import officer_group
from tests.browser import assert_accessible, assert_fits_width, login
from tests.factories import CandidateFactory, ProcedureFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
LINK = "https://selection.example.org/hausordnung"


def test_the_officer_changes_the_service_rules_and_a_candidate_reads_them(page):
    procedure = ProcedureFactory(language="de")
    candidate = CandidateFactory(procedure=procedure, language="de")
    officer = UserFactory(username="service-officer")
    officer.groups.add(officer_group())

    login(page, officer.username)
    page.get_by_role("link", name="House rules of the service").click()
    page.wait_for_url("**/setup/house-rules/")
    expect(page.get_by_role("heading", name="House rules of the service")).to_be_visible()
    assert_accessible(page)

    # A mistake first: the page says what is wrong and keeps what was typed.
    german = page.get_by_label("House rules in German")
    german.fill("Kamera und Mikrofon bleiben an.\nNiemand sonst im Raum.")
    page.get_by_label("Link to the full rules in German").fill("not a link")
    page.get_by_role("button", name="Save the house rules").click()
    expect(page.get_by_label("Link to the full rules in German")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("House rules in German")).to_have_value("Kamera und Mikrofon bleiben an.\n"
                                                                       "Niemand sonst im Raum.")
    assert not ServiceHouseRules.objects.exists()
    assert_accessible(page)

    page.get_by_label("Link to the full rules in German").fill(LINK)
    page.get_by_role("button", name="Save the house rules").click()
    expect(page.get_by_text("The service's house rules are saved.", exact=False)).to_be_visible()
    expect(page.get_by_text("Version 1, saved on", exact=False)).to_be_visible()
    assert ServiceHouseRules.objects.get().links == {"de": LINK}
    assert Procedure.objects.get(pk=procedure.pk).house_rules_version == 2
    page.context.clear_cookies()

    page.set_viewport_size({"width": 320, "height": 640})
    link = access_link_issue(candidate=candidate)
    page.goto("/" + link.split("://", 1)[1].split("/", 1)[1])
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url("**/portal/")
    page.goto("/portal/rules/")
    expect(page.get_by_text("Niemand sonst im Raum.")).to_be_visible()
    expect(page.locator(f'a[href="{LINK}"]')).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
