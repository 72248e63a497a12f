"""Issue 13's "Done when", in chromium on a small procedure: a new officer (in the "Selection
officers" group, no procedure yet) creates a procedure, adds a proctor, a jury (chair and
assessor, languages ticked) and a room, imports a candidate file, collects availability (the
chair enters their own, the officer the others'), starts the planner, moves one interview of the
proposal, applies it and sends all invitations, which reach the real SMTP server (aiosmtpd).
No admin page, no service call but the worker's tasks, run inline. axe-core on every page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from playwright.sync_api import expect

from interviewdesk.messaging.models import BulkSend
from interviewdesk.messaging.services.bulk import bulk_send_run
from interviewdesk.messaging.services.delivery import deliver_due
from interviewdesk.planning import services as planning
from interviewdesk.planning import tasks as planning_tasks
from interviewdesk.planning.models import PlanningRun
from interviewdesk.procedures.models import Candidate, Procedure, Role
from interviewdesk.procedures.permissions import officer_group
from interviewdesk.procedures.scales import ensure_default_scale
from interviewdesk.scheduling.models import Appointment
from tests.browser import _open_page, assert_accessible, login
from tests.factories import UserFactory
from tests.messaging.conftest import Recorder, free_port
from tests.planning.helpers import working_days_from

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CSV = (
    "first_name;last_name;email;phone;language;date_of_birth\n"
    "Lotte;Peeters;lotte.peeters@example.net;0470 12 34 56;nl;1994-03-02\n"
    "Jan;Claes;jan.claes@example.net;0471 22 33 44;nl;1990-07-15\n"
    "Sofie;Maes;sofie.maes@example.net;0472 55 66 77;nl;1987-11-30\n"
)
EMAILS = {"lotte.peeters@example.net", "jan.claes@example.net", "sofie.maes@example.net"}


@pytest.fixture
def mail_server(settings):
    """The real SMTP test server the outbox delivers to."""
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_TIMEOUT = False, "", 5
    yield recorder
    from interviewdesk.messaging.transport import close_connections

    close_connections()
    controller.stop()


def field(page, label: str):
    """The input labelled exactly `label` (required fields add a " *" to their label)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$", re.IGNORECASE))


def tick_every_half_day(page) -> None:
    boxes = page.locator("table.half-days input[type=checkbox]")
    for n in range(boxes.count()):
        boxes.nth(n).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(re.compile(r"Availability saved \(\d+ half-days changed\)"))).to_be_visible()
    assert_accessible(page)


def test_a_new_officer_runs_a_small_selection_from_set_up_to_invitations(page, browser, live_server, tmp_path,
                                                                         mail_server):
    ensure_default_scale()  # a migration's seed: an earlier transactional test's flush removed it
    officer = UserFactory(username="new-officer", first_name="Nora", last_name="Officer")
    officer.groups.add(officer_group())
    chair = UserFactory(username="chair", first_name="Carla", last_name="Chair")
    assessor = UserFactory(username="assessor", first_name="Arne", last_name="Assessor")
    proctor = UserFactory(username="proctor", first_name="Piet", last_name="Proctor")
    days = working_days_from(timezone.localdate() + dt.timedelta(days=21), 5)  # tests fall 2 working days before

    # 1. The procedure, from the dashboard.
    login(page, officer.username)
    page.get_by_role("link", name="New procedure").click()
    page.wait_for_url("**/procedures/new/")
    assert_accessible(page)
    field(page, "reference").fill("SEL27013")
    field(page, "title").fill("Policy officer")
    page.locator("#id_language").select_option("nl")
    field(page, "contact person").fill("Nora Officer")
    field(page, "contact e-mail").fill("nora.officer@example.org")
    field(page, "first interview day").fill(days[0].isoformat())
    field(page, "last interview day").fill(days[-1].isoformat())
    field(page, "last interview day").press("Enter")
    page.wait_for_url("**/setup/profile/")
    procedure = Procedure.objects.get(reference="SEL27013")
    assert_accessible(page)

    # 2. People: the proctor (an existing account); the jury with its chair and assessor.
    page.get_by_role("link", name="People").click()
    page.get_by_label("Staff member").select_option(label=str(proctor))
    page.get_by_label("Role").first.select_option(Role.PROCTOR)
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("button", name=f"Remove {proctor} as proctor")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Juries").click()
    page.get_by_role("link", name="New jury").click()
    field(page, "Name").fill("Jury A")
    page.get_by_role("checkbox", name="Dutch").check()
    field(page, "Chair").select_option(label=str(chair))
    page.get_by_role("checkbox", name=str(assessor)).check()
    page.get_by_role("button", name="Save the jury").click()
    page.wait_for_url("**/setup/juries/")
    jury = procedure.juries.get(name="Jury A")
    assert jury.languages == ["nl"] and jury.members.count() == 2
    assert_accessible(page)

    # 3. A room, with the days it is free.
    page.goto("/")
    page.get_by_role("link", name="Rooms").click()
    page.get_by_role("link", name="New room").click()
    field(page, "name").fill("Room 3.01")
    field(page, "site").fill("Brussels")
    field(page, "address").fill("Rue de la Loi 1, 1000 Brussels")
    page.get_by_role("button", name="Save the room").click()
    page.wait_for_url("**/days/")
    page.locator("table.half-days input[type=checkbox]").first.check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert_accessible(page)

    # 4. The candidates, from a file.
    page.goto("/")
    page.get_by_role("link", name="SEL27013").click()
    page.get_by_role("link", name="Import candidates").click()
    csv_file = tmp_path / "candidates.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    page.get_by_label("Candidate list").set_input_files(str(csv_file))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("heading", name="Check the import").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Import 3 candidates").click()
    page.get_by_role("heading", name=re.compile("SEL27013")).wait_for()
    assert set(Candidate.objects.filter(procedure=procedure).values_list("email", flat=True)) == EMAILS

    # 5. Availability: the chair enters their own (in their own browser), the officer the others'.
    chair_browser = _open_page(browser, live_server, locale="en-GB")
    chair_page = next(chair_browser)
    login(chair_page, chair.username)
    chair_page.goto(f"/procedures/{procedure.pk}/availability/")
    chair_page.get_by_role("link", name="Enter my availability").click()
    expect(chair_page.get_by_role("heading", name="My availability")).to_be_visible()
    tick_every_half_day(chair_page)
    next(chair_browser, None)  # closes the chair's context (and checks it broke no CSP)

    page.get_by_role("link", name="Availability").first.click()
    page.wait_for_url(f"**/procedures/{procedure.pk}/availability/")
    assert_accessible(page)
    for person in (assessor, proctor):
        page.get_by_role("link", name=str(person)).click()
        expect(page.get_by_role("heading", name=f"Availability of {person}")).to_be_visible()
        tick_every_half_day(page)
        page.get_by_role("link", name="Availability").first.click()
    for person in (chair, assessor, proctor):
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name=str(person)))
        expect(row.get_by_role("cell").nth(3)).to_have_text("0")  # nobody left without an answer

    # 6. The planner (the worker's task runs inline), then one interview moved.
    page.get_by_role("link", name="Planning").first.click()
    page.wait_for_url(f"**/procedures/{procedure.pk}/planning/")
    assert_accessible(page)
    page.get_by_role("button", name="Start the planner").click()
    page.wait_for_url("**/planning/*/")
    run = PlanningRun.objects.get(procedure=procedure)
    run.time_limit = 5
    run.save(update_fields=["time_limit"])
    planning.planning_run_execute(run_id=run.pk)  # what the worker does
    page.get_by_role("link", name="Show the proposal").click()
    page.wait_for_selector("#figures")
    assert "3 of 3 candidates" in page.inner_text("dl.facts")
    assert_accessible(page)

    item = run.items.select_related("candidate").order_by("starts_at").first()
    target = item.starts_at.astimezone(timezone.get_current_timezone())
    target_day = next(d for d in days if d != target.date() and d >= days[2])  # tests still fit before it
    page.get_by_role("link", name=f"Move {item.candidate.full_name}").click()
    page.wait_for_url("**/move/")
    assert_accessible(page)
    page.get_by_label("Jury").select_option(label="Jury A")
    page.get_by_label("Day").fill(target_day.isoformat())
    page.get_by_label("Interview starts at").fill("14:00")
    page.get_by_role("button", name="Move and pin").click()
    page.wait_for_selector("#figures")
    item.refresh_from_db()
    moved_to = item.starts_at.astimezone(timezone.get_current_timezone())
    assert item.pinned and (moved_to.date(), moved_to.time()) == (target_day, dt.time(14, 0))

    # 7. Apply, then send all invitations.
    page.get_by_role("link", name="Apply…").click()
    expect(page.get_by_text("3 candidates get new appointments.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", name="Applying")).to_be_visible()
    planning_tasks.apply_proposal.call(run.pk, officer.pk)  # what the worker does; the page reloads itself
    interviews = Appointment.objects.filter(procedure=procedure, kind=Appointment.Kind.INTERVIEW)
    page.get_by_role("link", name="Send all invitations").click()
    page.wait_for_url(f"**/procedures/{procedure.pk}/mail/send-all/")
    assert interviews.count() == 3
    moved = interviews.get(candidate=item.candidate).starts_at.astimezone(timezone.get_current_timezone())
    assert (moved.date(), moved.time()) == (target_day, dt.time(14, 0))
    assert_accessible(page)
    page.get_by_role("button", name="Send all pending invitations").click()
    bulk_send_run(run_id=BulkSend.objects.get(procedure=procedure).pk)  # what the worker does
    deliver_due()
    page.get_by_text("Finished.").wait_for(timeout=15_000)
    assert_accessible(page)

    invited = {rcpt for rcpts, _mail in mail_server.received for rcpt in rcpts}
    assert invited >= EMAILS
    subjects = [str(mail["Subject"]) for _rcpts, mail in mail_server.received]
    assert len(subjects) >= 3 and all(subjects)
