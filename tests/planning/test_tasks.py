"""The planning sweep: a run whose worker died fails, a long deterministic run does not."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from interviewdesk.planning import services
from interviewdesk.planning.models import PlanningRun
from interviewdesk.planning.tasks import planning_sweep

from .helpers import planning_procedure

pytestmark = pytest.mark.django_db


def _running(s, time_limit: int) -> PlanningRun:
    run = services.planning_run_start(actor=s.officer, procedure=s.procedure, time_limit=time_limit)
    return services.planning_run_set_status(run=run, to=PlanningRun.Status.RUNNING)


def test_a_ten_minute_run_still_planning_after_forty_minutes_is_left_alone_then_failed_after_an_hour():
    # Deterministic time: a loaded machine may need several times the limit on the wall clock.
    s = planning_procedure(candidates=1)
    run = _running(s, time_limit=600)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=40), tick=False):
        planning_sweep()
    run.refresh_from_db()
    assert run.status == PlanningRun.Status.RUNNING
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=61), tick=False):
        planning_sweep()
    run.refresh_from_db()
    assert run.status == PlanningRun.Status.FAILED


def test_a_one_minute_run_still_planning_after_thirty_minutes_failed_with_its_worker():
    s = planning_procedure(candidates=1)
    run = _running(s, time_limit=60)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31), tick=False):
        planning_sweep()
    run.refresh_from_db()
    assert run.status == PlanningRun.Status.FAILED
