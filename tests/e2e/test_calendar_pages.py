"""In chromium: connection-test slots over the spring-forward night and during the proctor's
interview say what was left out; the calendar answers list is accessible (issues 10, 11)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interviewdesk.messaging.models import ReplyReview
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_plan
from tests.browser import assert_accessible, assert_fits_width, login
from tests.factories import CandidateFactory, staffed_procedure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def next_spring_forward_sunday() -> dt.date:
    """The next last Sunday of March (the night 02:00 does not exist), whatever today is."""
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        day = max(dt.date(year, 3, d) for d in range(25, 32) if dt.date(year, 3, d).weekday() == 6)
        if day > today:
            return day
    raise AssertionError("unreachable")


def test_slot_creation_names_the_missing_hour_and_the_proctors_interview(page):
    s = staffed_procedure()
    busy_day = timezone.localdate() + dt.timedelta(days=20)
    start = timezone.make_aware(dt.datetime.combine(busy_day, dt.time(11, 15)))
    appointment_plan(actor=None, appointment=Appointment(
        procedure=s.procedure, candidate=CandidateFactory(procedure=s.procedure), jury=s.jury, proctor=s.proctor,
        starts_at=start, ends_at=start + dt.timedelta(minutes=45)))
    login(page, s.officer.username)
    page.goto(f"/procedures/{s.procedure.pk}/connection-tests/")

    def create(day: dt.date, first: str, last: str, minutes: str) -> None:
        form = page.locator("form").filter(has=page.get_by_role("button", name="Create the slots"))
        form.get_by_label("Proctor").select_option(str(s.proctor.pk))
        form.get_by_label("Day").fill(day.isoformat())
        form.get_by_label("First slot starts at").fill(first)
        form.get_by_label("Last slot ends at").fill(last)
        form.get_by_label("Minutes per slot").fill(minutes)
        page.get_by_role("button", name="Create the slots").click()
        page.wait_for_url(f"**/procedures/{s.procedure.pk}/connection-tests/")

    create(next_spring_forward_sunday(), "01:00", "04:00", "30")
    status = page.get_by_role("status").inner_text()
    assert "4 slots created" in status and "No slot at 02:00, 02:30" in status
    create(busy_day, "11:00", "12:30", "15")
    status = page.get_by_role("status").inner_text()
    assert "3 slots created" in status and "No slot then:" in status and "11:15" in status
    assert_accessible(page)
    assert_fits_width(page)


def test_the_calendar_answers_list_is_accessible(page):
    s = staffed_procedure()
    start = timezone.now() + dt.timedelta(days=10)
    appointment = appointment_plan(actor=None, appointment=Appointment(
        procedure=s.procedure, candidate=CandidateFactory(procedure=s.procedure), jury=s.jury,
        starts_at=start, ends_at=start + dt.timedelta(hours=1)))
    ReplyReview.objects.create(procedure=s.procedure, appointment=appointment, reason="counter",
                               sender="lotte@example.org", attendee="lotte@example.org", answer="COUNTER",
                               proposal={"starts_at": (start + dt.timedelta(days=1)).isoformat(),
                                         "ends_at": (start + dt.timedelta(days=1, hours=1)).isoformat(),
                                         "comment": "An exam that morning"})
    login(page, s.officer.username)
    page.goto(f"/procedures/{s.procedure.pk}/mail/")
    page.get_by_role("link", name="Calendar answers to check (1)").click()
    expect(page.get_by_role("cell", name="the invitee proposes another time")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    page.get_by_role("button", name="Mark as dealt with").press("Enter")  # by keyboard
    page.wait_for_url(f"**/procedures/{s.procedure.pk}/mail/calendar-answers/")
    assert "dealt with by" in page.get_by_role("table").inner_text()
    assert_accessible(page)
