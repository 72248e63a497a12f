"""Browser journey (issue 13, before a first plan): the officer asks every candidate not yet planned
when they cannot come, after a page that says how many will be mailed; a German candidate opens the
link from the e-mail on a 320 px phone, marks a half-day they cannot come and one they prefer by
keyboard, is told clearly when a half-day is both, and saves. axe-core on each page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interviewdesk.messaging.services.delivery import deliver_due
from interviewdesk.procedures.availability import working_days
from interviewdesk.procedures.models import Role
from tests.browser import assert_accessible, assert_fits_width, login
from tests.factories import CandidateFactory, ProcedureFactory, member
from tests.messaging.conftest import smtp as smtp  # the real SMTP server fixture, used here too

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
LINK = re.compile(r"https?://[^/\s]+(/p/[\w-]{43}/)")


def test_the_officer_asks_and_a_german_candidate_answers_by_keyboard_at_320_px(page, smtp):
    first = timezone.localdate() + dt.timedelta(days=21)
    procedure = ProcedureFactory(language="de", first_interview_day=first,
                                 last_interview_day=first + dt.timedelta(days=11),
                                 unavailability_deadline=first - dt.timedelta(days=7))
    officer = member(procedure, Role.SELECTION_OFFICER)
    candidate = CandidateFactory(procedure=procedure, language="de")
    CandidateFactory(procedure=procedure, language="fr")

    page.set_viewport_size({"width": 320, "height": 640})
    login(page, officer.username)
    page.goto(f"/procedures/{procedure.pk}/planning/")
    page.get_by_role("link", name="Ask every candidate not yet planned for the half-days they cannot come").click()
    expect(page.get_by_text("2 candidates not yet planned have not been asked yet.")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    page.get_by_role("button", name="Send the e-mails").click()
    expect(page.get_by_text("2 candidates are asked by e-mail when they cannot come.")).to_be_visible()
    page.context.clear_cookies()

    assert deliver_due() == 2
    [mail] = [mail for rcpt, mail in smtp.received if rcpt == [candidate.email]]
    [path] = LINK.findall(mail.get_body(("plain",)).get_content())
    page.goto(path)
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url("**/portal/")
    page.get_by_role("link", name=re.compile("Halbe Tage|halben Tage", re.I)).first.click()
    page.wait_for_url("**/portal/unavailability/")
    expect(page.get_by_text("Bevorzugt").first).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)

    day = working_days(procedure.planning_days())[0]
    key = f"hd-{day.isoformat()}"
    # By keyboard: the first half-day's choice, then its "Bevorzugt" box, then the afternoon's box.
    page.locator(f"#{key}-am").focus()
    page.keyboard.press("ArrowDown")  # the first reason
    page.keyboard.press("Tab")
    expect(page.locator(f"#pref-{key}-am")).to_be_focused()
    page.keyboard.press("Space")  # both for the same morning: refused
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator(f"#pref-{key}-pm")).to_be_focused()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Speichern").press("Enter")
    expect(page.get_by_text("Ein halber Tag kann nicht zugleich einer sein", exact=False)).to_be_visible()
    expect(page.locator(f"#pref-{key}-am")).to_be_checked()  # what they chose is kept to correct
    assert not candidate.unavailability.exists() and not candidate.preferences.exists()
    assert_accessible(page)
    assert_fits_width(page)

    page.locator(f"#pref-{key}-am").focus()
    page.keyboard.press("Space")  # untick the morning
    page.get_by_role("button", name="Speichern").press("Enter")
    expect(page.locator(".message.success, .messages .success").first).to_be_visible()
    assert list(candidate.unavailability.values_list("date", "part")) == [(day, "am")]
    assert list(candidate.preferences.values_list("date", "part")) == [(day, "pm")]
