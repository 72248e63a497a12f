"""In chromium: the candidate reads their own data on a 320 px phone; the officer erases a candidate
after the confirmation page. Both axe-clean."""

import pytest
from playwright.sync_api import expect

from interviewdesk.privacy.models import CandidateErasure
from interviewdesk.procedures.models import Candidate, Role
from tests.browser import assert_accessible, assert_fits_width, login
from tests.factories import ProcedureFactory, member

from .scenario import PERSONAL, held_candidate

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_candidate_reads_everything_held_on_them_on_a_phone(phone_page):
    page = phone_page
    procedure = ProcedureFactory()
    _candidate, _appointment, link = held_candidate(procedure, member(procedure, Role.SELECTION_OFFICER),
                                                   language="de")
    page.goto("/" + link.split("://", 1)[1].split("/", 1)[1])
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url("**/portal/")
    page.get_by_role("link", name="Ihre Daten").first.click()
    page.wait_for_url("**/portal/my-data/")
    assert_accessible(page)
    assert_fits_width(page)
    page.get_by_role("link", name="Auf einer Seite lesen").click()
    page.wait_for_url("**/portal/my-data/all/")
    expect(page.get_by_role("heading", name="Alles, was wir über Sie speichern")).to_be_visible()
    expect(page.get_by_text(PERSONAL["motivation"])).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)


def test_the_officer_erases_a_candidate_after_confirming_with_a_reason(page):
    procedure = ProcedureFactory()
    officer = member(procedure, Role.SELECTION_OFFICER, username="privacy-officer")
    candidate, _appointment, _link = held_candidate(procedure, officer)
    login(page, "privacy-officer")
    page.goto(f"/procedures/{procedure.pk}/candidates/{candidate.pk}/")
    page.get_by_role("link", name="Erase personal data").click()
    page.wait_for_url(f"**/candidates/{candidate.pk}/erase/")
    assert_accessible(page)
    page.get_by_label("Reason for the erasure").fill("request by e-mail of 3 December")
    page.get_by_role("button", name="Erase the personal data").click()
    page.wait_for_url(f"**/candidates/{candidate.pk}/")
    expect(page.get_by_role("heading", name=f"#{candidate.pk}")).to_be_visible()
    assert_accessible(page)
    assert CandidateErasure.objects.filter(candidate=candidate).exists()
    assert Candidate.objects.get(pk=candidate.pk).cv_text == ""
