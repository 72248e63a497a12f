"""The foundation journey: a selection officer imports candidates, plans an interview
(and is stopped by a conflict), and finds it on the dashboard. axe-core runs on every page."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from interviewdesk.procedures.models import Candidate, Role
from interviewdesk.scheduling.models import Appointment
from tests.browser import assert_accessible, login
from tests.factories import ProcedureFactory, jury_with_members, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CSV = (
    "first_name;last_name;email;phone;language;date_of_birth\n"
    "Lotte;Peeters;lotte.peeters@example.net;0470 12 34 56;nl;1994-03-02\n"
    "Mathieu;Dubois;mathieu.dubois@example.net;+32 478 65 43 21;fr;12/11/1988\n"
)


@pytest.fixture
def morning():
    """Today at 08:00 in Brussels, so the interview planned at 14:00 is today and in the future."""
    eight = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(8, 0)))
    with time_machine.travel(eight, tick=True):
        yield


def test_officer_imports_candidates_plans_an_interview_and_sees_it_on_the_dashboard(page, tmp_path, morning):
    procedure = ProcedureFactory(title="Data analyst", reference="DEMO01")
    officer = member(procedure, Role.SELECTION_OFFICER, username="officer")
    jury = jury_with_members(procedure)
    csv_file = tmp_path / "candidates.csv"
    csv_file.write_text(CSV, encoding="utf-8")

    login(page, officer.username)
    assert_accessible(page)
    page.get_by_role("link", name="DEMO01").click()
    page.get_by_role("heading", name="DEMO01 — Data analyst").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Import candidates").click()
    assert_accessible(page)
    page.get_by_label("Candidate list").set_input_files(str(csv_file))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("heading", name="Check the import").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Import 2 candidates").click()
    page.get_by_role("heading", name="DEMO01 — Data analyst").wait_for()
    assert sorted(Candidate.objects.values_list("phone", flat=True)) == ["+32470123456", "+32478654321"]

    def plan(candidate_name: str) -> None:
        page.get_by_role("link", name="Plan an appointment").first.click()
        page.get_by_role("heading", name="Plan an appointment").wait_for()
        assert_accessible(page)
        page.locator("#id_candidate").select_option(label=candidate_name)
        page.locator("#id_date").fill(timezone.localdate().isoformat())
        page.locator("#id_start_time").fill("14:00")
        page.locator("#id_jury").select_option(label=jury.name)
        page.locator("#id_join_url").fill("https://teams.example.org/l/meetup-join/demo")
        page.get_by_role("button", name="Plan", exact=True).click()

    plan("Peeters, Lotte — lotte.peeters@example.net")
    page.get_by_text("Appointment planned.").wait_for()
    assert_accessible(page)

    # The same jury at the same time for the second candidate: refused, the conflict named.
    page.goto(f"/procedures/{procedure.pk}/")
    plan("Dubois, Mathieu — mathieu.dubois@example.net")
    alert = page.get_by_role("alert")
    assert "Jury member" in alert.inner_text()
    assert_accessible(page)
    assert Appointment.objects.count() == 1

    page.get_by_role("link", name="Dashboard").first.click()
    todays_table = page.locator('table[aria-labelledby="today-heading"]')
    row = todays_table.get_by_role("row").filter(has_text="Lotte Peeters")
    assert "14:00" in row.inner_text()
    assert_accessible(page)
