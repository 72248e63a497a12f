"""Browser journey (issue 13 §1): from `make demo`'s data, the officer creates a procedure with a
jury and a room, by keyboard where a person would type, checked with axe-core, on a 320 px phone."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from interviewdesk.demo import data
from interviewdesk.procedures.models import Procedure, Room
from tests.browser import assert_accessible, assert_fits_width, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def field(page, label: str):
    """The input labelled exactly `label` (required fields add a " *" to their label)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$", re.IGNORECASE))


def fill(page, label: str, value: str) -> None:
    box = field(page, label)
    box.focus()
    box.fill(value)


def test_a_new_officer_sets_up_a_procedure_with_a_jury_and_a_room(page):
    page.set_viewport_size({"width": 320, "height": 640})
    call_command("load_demo", verbosity=0)
    login(page, "officer", data.PASSWORD)
    page.get_by_role("link", name="New procedure").click()
    page.wait_for_url("**/procedures/new/")  # axe on a page still navigating finds no document
    assert_accessible(page)
    assert_fits_width(page)
    first = timezone.localdate() + dt.timedelta(days=40)
    fill(page, "reference", "SEL27001")
    fill(page, "title", "Lawyer")
    page.locator("#id_language").select_option("nl")
    page.get_by_role("checkbox", name="French").check()
    fill(page, "contact person", "An Peeters")
    fill(page, "contact e-mail", "an.peeters@example.org")
    fill(page, "first interview day", first.isoformat())
    fill(page, "last interview day", (first - dt.timedelta(days=1)).isoformat())  # wrong on purpose
    field(page, "last interview day").press("Enter")
    page.wait_for_load_state()
    assert "The last interview day comes before the first." in page.content()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    assert not Procedure.objects.filter(reference="SEL27001").exists()
    fill(page, "last interview day", (first + dt.timedelta(days=11)).isoformat())
    field(page, "last interview day").press("Enter")
    page.wait_for_url("**/setup/profile/")
    procedure = Procedure.objects.get(reference="SEL27001")
    assert procedure.languages == ["nl", "fr"]
    assert_accessible(page)
    assert_fits_width(page)

    page.get_by_role("link", name="Juries").click()
    page.get_by_role("link", name="New jury").click()
    page.wait_for_url("**/setup/juries/new/")
    assert_accessible(page)
    assert_fits_width(page)
    fill(page, "Name", "Jury A")
    page.get_by_role("checkbox", name="Dutch").check()
    field(page, "Chair").select_option(index=1)
    boxes = page.locator("input[name=assessors]")
    boxes.nth(2).check()
    boxes.nth(3).check()
    page.get_by_role("button", name="Save the jury").press("Enter")
    page.wait_for_url("**/setup/juries/")
    jury = procedure.juries.get(name="Jury A")
    assert jury.languages == ["nl"] and jury.members.count() == 3
    assert_accessible(page)
    assert_fits_width(page)

    page.goto("/")
    page.get_by_role("link", name="Rooms").click()
    page.get_by_role("link", name="New room").click()
    page.wait_for_url("**/rooms/new/")
    assert_accessible(page)
    assert_fits_width(page)
    fill(page, "name", "Room 3.01")
    fill(page, "site", "Brussels")
    fill(page, "address", "Rue de la Loi 1, 1000 Brussels")
    fill(page, "name in German", "Raum 3.01")
    page.get_by_role("button", name="Save the room").press("Enter")
    page.wait_for_url("**/days/")
    room = Room.objects.get(name="Room 3.01")
    assert room.name_in("de") == "Raum 3.01"
    assert_accessible(page)
    assert_fits_width(page)
    page.locator("table.half-days input[type=checkbox]").first.check()
    page.get_by_role("button", name="Save", exact=True).press("Enter")
    page.wait_for_load_state()
    assert room.free_days.count() == 1
