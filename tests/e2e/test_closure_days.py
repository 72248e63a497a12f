"""Browser journey (issue 13 §1): a selection officer sets a bridge day from the dashboard, on a
phone-wide screen in Dutch, by keyboard-reachable fields; a mistake is explained, then the day is listed and
removed again. axe-core on each state of the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from interviewdesk.core.models import ClosureDay
from interviewdesk.procedures.permissions import officer_group
from tests.browser import assert_accessible, assert_fits_width, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_officer_adds_and_removes_a_bridge_day_at_320_px(phone_page):
    officer = UserFactory(username="service-officer")
    officer.groups.add(officer_group())
    login(phone_page, officer.username)
    phone_page.goto("/setup/closure-days/")  # (the dashboard's link: tests/setup/test_closure_days.py)
    expect(phone_page.get_by_role("heading", name="Sluitingsdagen", exact=True)).to_be_visible()
    assert_fits_width(phone_page)
    assert_accessible(phone_page)

    phone_page.get_by_role("button", name="Sluitingsdag toevoegen").click()  # no date yet
    expect(phone_page.get_by_text("Geef de dag waarop de dienst gesloten is.").first).to_be_visible()
    assert_accessible(phone_page)

    phone_page.get_by_label("Datum").fill("2027-05-07")
    phone_page.get_by_label("Naam (niet verplicht)").fill("Brugdag na Hemelvaart")
    phone_page.get_by_label("Naam (niet verplicht)").press("Enter")
    expect(phone_page.get_by_role("cell", name="Brugdag na Hemelvaart")).to_be_visible()
    assert ClosureDay.objects.filter(name="Brugdag na Hemelvaart").exists()
    assert_fits_width(phone_page)
    assert_accessible(phone_page)

    phone_page.get_by_role("button", name="Verwijderen").click()
    expect(phone_page.get_by_text("Er staat geen sluitingsdag in de lijst.")).to_be_visible()
    assert not ClosureDay.objects.exists()
