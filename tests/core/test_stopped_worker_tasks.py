"""Task rows a killed worker left RUNNING become FAILED once its heartbeat has stopped (core.tasks).
Before, they stayed RUNNING for good (issue 15: six of them after six kills)."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker as base_worker
from django_tasks_db.models import DBTaskResult

from interviewdesk.core import periodic
from interviewdesk.core.management.commands.worker import worker_name
from interviewdesk.core.models import WorkerHeartbeat
from interviewdesk.core.tasks import STOPPED_WORKER, tasks_of_stopped_workers_fail

pytestmark = pytest.mark.django_db


def task(worker_ids: list[str], *, started: dt.datetime, status: str = TaskResultStatus.RUNNING) -> DBTaskResult:
    return DBTaskResult.objects.create(status=status, started_at=started, worker_ids=worker_ids, args_kwargs={},
                                       task_path="interviewdesk.messaging.tasks.deliver_batch", backend_name="default",
                                       run_after=started)


def test_a_running_task_of_a_worker_that_stopped_beating_is_failed_and_says_why():
    now = timezone.now()
    WorkerHeartbeat.objects.create(name="host-101", last_seen=now - dt.timedelta(seconds=31))  # stopped
    WorkerHeartbeat.objects.create(name="host-102", last_seen=now - dt.timedelta(seconds=5))  # alive
    dead = task(["host-101"], started=now - dt.timedelta(seconds=40))
    alive = task(["host-102"], started=now - dt.timedelta(seconds=40))
    unknown = task(["a3f9c2"], started=now - dt.timedelta(seconds=40))  # a plain db_worker: never judged
    done = task(["host-101"], started=now - dt.timedelta(seconds=40), status=TaskResultStatus.SUCCESSFUL)
    retried = task(["host-101", "host-102"], started=now - dt.timedelta(seconds=40))  # now the live one's

    assert tasks_of_stopped_workers_fail(now=now) == 1

    dead.refresh_from_db()
    assert dead.status == TaskResultStatus.FAILED
    assert dead.finished_at == now
    assert dead.exception_class_path == STOPPED_WORKER
    assert "host-101 stopped" in dead.traceback
    for row in (alive, unknown, retried):
        row.refresh_from_db()
        assert row.status == TaskResultStatus.RUNNING
    done.refresh_from_db()
    assert done.status == TaskResultStatus.SUCCESSFUL


def test_a_worker_that_missed_fewer_than_three_beats_keeps_its_task():
    now = timezone.now()
    WorkerHeartbeat.objects.create(name="host-103", last_seen=now - dt.timedelta(seconds=29))
    slow = task(["host-103"], started=now - dt.timedelta(minutes=5))
    assert tasks_of_stopped_workers_fail(now=now) == 0
    slow.refresh_from_db()
    assert slow.status == TaskResultStatus.RUNNING


def test_the_worker_takes_tasks_under_its_heartbeat_name_and_the_sweep_is_registered():
    name = worker_name()
    assert base_worker.validate_worker_id(name) == name  # the task system accepts it (at most 64 characters)
    assert "interviewdesk.core.tasks.tasks_of_stopped_workers_fail" in {s.name for s in periodic.registered_sweeps()}
