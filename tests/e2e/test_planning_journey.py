"""The officer plans a small procedure in chromium: start the planner, follow it, review the
proposal (list and grid), pin by keyboard, apply, and reach "Send all invitations";
accessible on every page and usable at 320 px."""

import pytest
from playwright.sync_api import expect

from interviewdesk.planning import services, tasks
from interviewdesk.planning.models import PlanningRun
from interviewdesk.scheduling.models import Appointment
from tests.browser import assert_accessible, assert_fits_width, login
from tests.planning.helpers import planning_procedure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_officer_gets_applies_a_proposal_and_is_offered_the_invitations(page):
    s = planning_procedure(candidates=3)
    login(page, s.officer.username)
    page.goto(f"/procedures/{s.procedure.pk}/planning/")
    assert_accessible(page)
    page.get_by_label("Second goal").select_option("jury_days")
    page.get_by_label("Third goal").select_option("finish_early")
    page.get_by_label("Time the planner may take").select_option("30")
    page.get_by_role("button", name="Start the planner").click()
    page.wait_for_url("**/planning/*/")
    expect(page.get_by_role("progressbar")).to_be_visible()
    assert_accessible(page)

    run = PlanningRun.objects.get()
    assert run.objective_order[:2] == ["jury_days", "finish_early"]
    run.time_limit = 5
    run.save(update_fields=["time_limit"])
    services.planning_run_execute(run_id=run.pk)  # what the worker does
    page.get_by_role("link", name="Show the proposal").click()  # the polled section offers it when done
    page.wait_for_selector("#figures")
    assert "3 of 3 candidates" in page.inner_text("dl.facts")
    assert_accessible(page)

    # Pin the first interview by keyboard only.
    pin = page.get_by_role("button", name=f"Pin {s.candidates[0].full_name}")
    if not pin.count():
        pin = page.get_by_role("button", name="Pin").first
    pin.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Unpin")).to_have_count(1)
    assert run.items.filter(pinned=True).count() == 1

    page.get_by_role("link", name="Day × jury grid").click()
    expect(page.get_by_role("table", name="Interviews per day and jury")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Apply…").click()
    expect(page.get_by_text("3 candidates get new appointments.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", name="Applying")).to_be_visible()
    assert_accessible(page)
    tasks.apply_proposal.call(run.pk, s.officer.pk)  # what the worker does; the page reloads itself
    expect(page.get_by_role("link", name="Send all invitations")).to_be_visible(timeout=15_000)
    assert Appointment.objects.filter(procedure=s.procedure, kind=Appointment.Kind.INTERVIEW).count() == 3
    assert_accessible(page)


def test_the_proposal_list_fits_a_320_px_screen_and_stays_accessible(phone_page):
    s = planning_procedure(candidates=2)
    run = services.planning_run_start(actor=s.officer, procedure=s.procedure, time_limit=5)
    services.planning_run_execute(run_id=run.pk)
    login(phone_page, s.officer.username)
    for url in ("", f"{run.pk}/", f"{run.pk}/apply/"):
        phone_page.goto(f"/procedures/{s.procedure.pk}/planning/{url}")
        assert_fits_width(phone_page)
        assert_accessible(phone_page)
