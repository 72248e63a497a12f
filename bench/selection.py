"""One selection of 1,000 candidates through the product's own services, timed step by step (issue 13).

    .venv/bin/python bench/selection.py [candidates]          a throw-away SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/interviewdesk .venv/bin/python bench/selection.py

What an officer does after setting up the procedure, on a fresh test database: import the
candidates from a CSV file (`importing.parse_candidates`, `candidates_import`), the staff's
availability (as the availability pages store it), the planner run as the worker runs it
(`planning_run_start` + `planning_run_execute`), **Apply** as the worker runs it
(`proposal_apply_start` + `proposal_apply_execute`: every case, interview and connection test
through `appointment_plan`, in one transaction) and "send all invitations" (`bulk_send_step` until nothing is pending: each
invitation rendered with its calendar file and queued; delivery is bench/messaging.py's).

The procedure: 20 juries (chair + two assessors; Dutch, French, bilingual and two with
German), 30 proctors, 12 working days from three weeks ahead, a 30-minute case 15 minutes
before a 50-minute interview, 10 minutes of scoring, at most 6 interviews a jury-day, a
15-minute connection test in groups of 6 two working days before. Each staff member is
available on about 95 % of the half-days (a jury sits when all three are). 4 % of candidates
speak German, one in five cannot come on one to three half-days.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interviewdesk.settings")

JURIES, PROCTORS, DAYS = 20, 30, 12
TIME_LIMIT = int(os.environ.get("BENCH_PLANNER_SECONDS", 60))  # the planner's seconds, as the officer's default


def generated_csv(rows: int, rng: random.Random) -> bytes:
    header = "first_name;last_name;email;phone;language;date_of_birth;cv;motivation"
    lines = [header]
    for i in range(rows):
        r = rng.random()
        language = "de" if r < 0.04 else "fr" if r < 0.45 else "nl"
        lines.append(f"Kandidaat{i};Peeters;candidate{i}@example.net;+324{70000000 + i};{language};"
                     f"{1970 + i % 30}-0{1 + i % 9}-1{i % 9};Analyst;Public service")
    return ("\n".join(lines) + "\n").encode("utf-8")


def main() -> None:
    from _test_database import in_test_database

    in_test_database(run, int(sys.argv[1]) if len(sys.argv) > 1 else 1000)


def run(rows: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from interviewdesk.core.models import User
    from interviewdesk.core.workdays import closed_days, is_working_day
    from interviewdesk.messaging.models import BulkSend, Message
    from interviewdesk.messaging.services.bulk import bulk_send_start, bulk_send_step
    from interviewdesk.planning import services as planning
    from interviewdesk.planning.models import PlanningRun
    from interviewdesk.planning.selectors import planning_instance
    from interviewdesk.procedures import importing, selectors
    from interviewdesk.procedures import services as procedures
    from interviewdesk.procedures.models import (
        Candidate,
        CandidateUnavailability,
        HalfDay,
        Jury,
        JuryMember,
        Membership,
        Procedure,
        Role,
        StaffAvailability,
    )
    from interviewdesk.procedures.scales import ensure_default_scale
    from interviewdesk.scheduling.models import Appointment

    rng = random.Random(2027)
    today = timezone.localdate()
    closed = closed_days({today.year, today.year + 1})
    days: list[dt.date] = []
    day = today + dt.timedelta(days=21)
    while len(days) < DAYS:
        if is_working_day(day, closed):
            days.append(day)
        day += dt.timedelta(days=1)
    procedure = Procedure.objects.create(
        reference="BENCH-SEL", title="Bench selection", language="nl", contact_name="An Peeters",
        contact_email="selectie@example.org", status=Procedure.Status.OPEN, scale=ensure_default_scale(),
        pre_stage=Procedure.PreStage.CASE, pre_stage_minutes=30, interview_minutes=50, scoring_buffer_minutes=10,
        first_interview_day=days[0], last_interview_day=days[-1], day_starts_at=dt.time(8, 0),
        day_ends_at=dt.time(17, 30), lunch_starts_at=dt.time(12, 45), lunch_ends_at=dt.time(13, 30),
        max_interviews_per_jury_day=6, connection_test_days_before=2, connection_test_minutes=15,
        connection_test_group_size=6, unavailability_deadline=today + dt.timedelta(days=7),
    )
    officer = User.objects.create_user("bench-officer", password="x")
    users = User.objects.bulk_create(User(username=f"staff{i}") for i in range(JURIES * 3 + PROCTORS))
    memberships = [Membership(procedure=procedure, user=officer, role=Role.SELECTION_OFFICER)]
    for j in range(JURIES):
        languages = (["de", "fr"] if j == 0 else ["de", "nl"] if j == 1
                     else ["nl"] if j % 3 == 0 else ["fr"] if j % 3 == 1 else ["nl", "fr"])
        jury = Jury.objects.create(procedure=procedure, name=f"Jury {j + 1}", languages=languages)
        for k, role in enumerate((JuryMember.Role.CHAIR, JuryMember.Role.ASSESSOR, JuryMember.Role.ASSESSOR)):
            user = users[j * 3 + k]
            JuryMember.objects.create(jury=jury, user=user, role=role)
            memberships.append(Membership(procedure=procedure, user=user,
                                          role=Role.JURY_CHAIR if k == 0 else Role.ASSESSOR))
    memberships += [Membership(procedure=procedure, user=u, role=Role.PROCTOR) for u in users[JURIES * 3:]]
    Membership.objects.bulk_create(memberships)
    # Proctors also hold the connection tests on the working days before the window.
    answered = sorted({*days, *(d - dt.timedelta(days=n) for d in days[:1] for n in range(1, 8))})
    StaffAvailability.objects.bulk_create(
        StaffAvailability(procedure=procedure, user=u, date=d, part=part, available=rng.random() < 0.95)
        for u in users for d in answered for part in HalfDay.values)

    timings: list[tuple[str, float, str]] = []

    def step(name: str, started: float, what: str = "") -> None:
        timings.append((name, time.perf_counter() - started, what))
        print(f"  {name:34} {timings[-1][1]:7.2f} s  {what}", flush=True)

    print(f"selection: {rows} candidates, {JURIES} juries, {PROCTORS} proctors, {DAYS} days "
          f"({connection.vendor})", flush=True)
    started = time.perf_counter()
    result = importing.parse_candidates("candidates.csv", generated_csv(rows, rng), selectors.existing_emails(procedure))
    if not result.is_valid:
        raise SystemExit(f"generated file has errors: {result.errors[:3]}")
    procedures.candidates_import(actor=officer, procedure=procedure, rows=result.rows)
    step("import (parse, check, create)", started, f"{Candidate.objects.filter(procedure=procedure).count()} rows")

    halves = [(d, part) for d in days for part in HalfDay.values]
    CandidateUnavailability.objects.bulk_create(
        CandidateUnavailability(candidate=c, date=d, part=part, reason=CandidateUnavailability.Reason.WORK)
        for c in Candidate.objects.filter(procedure=procedure) if rng.random() < 0.2
        for d, part in rng.sample(halves, rng.randint(1, 3)))

    started = time.perf_counter()
    instance = planning_instance(procedure)
    step("planning instance from the database", started,
         f"{len(instance.candidates)} candidates, {len(instance.juries)} juries, {len(instance.proctors)} proctors")

    started = time.perf_counter()
    planning_run = planning.planning_run_start(actor=officer, procedure=procedure, time_limit=TIME_LIMIT)
    planning.planning_run_execute(run_id=planning_run.pk)  # what the worker does
    planning_run.refresh_from_db()
    if planning_run.status != PlanningRun.Status.DONE:
        raise SystemExit(f"the planning run ended {planning_run.status}: {planning_run.error}")
    figures = planning_run.figures
    step("planner run (worker) + stored proposal", started,
         f"{figures['planned']}/{figures['plannable_bound']} planned, {figures['jury_days']} jury-days "
         f"(bound {figures['jury_days_bound']}), last day {figures['last_day']}")

    started = time.perf_counter()
    planning.proposal_apply_start(actor=officer, run=planning_run)
    if planning.proposal_apply_execute(run_id=planning_run.pk, actor_id=officer.pk) != PlanningRun.Status.APPLIED:
        raise SystemExit(f"nothing was applied: {PlanningRun.objects.get(pk=planning_run.pk).apply_error}")
    counts = {"created": Appointment.objects.filter(procedure=procedure).count(),
              "mailed": Message.objects.filter(procedure=procedure).count()}
    step("apply (worker, one transaction)", started,
         f"{counts['created']} appointments created, {counts['mailed']} mails queued")

    started = time.perf_counter()
    bulk, _created = bulk_send_start(procedure=procedure, actor=officer)
    bulk = BulkSend.objects.get(pk=bulk.pk)
    while bulk_send_step(run=bulk):
        pass
    step("send all invitations (rendered, queued)", started,
         f"{Message.objects.filter(procedure=procedure).count()} messages queued")

    planned = Appointment.objects.filter(procedure=procedure).exclude(status=Appointment.Status.CANCELLED).count()
    print(f"  total {sum(t for _n, t, _w in timings):.1f} s; {planned} appointments in the procedure")


if __name__ == "__main__":
    main()
