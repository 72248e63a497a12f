"""The core's periodic sweep: task rows left RUNNING by a worker that died.

django-tasks-db marks a task RUNNING when a worker takes it and SUCCESSFUL or FAILED when it ends.
A worker killed in between (SIGKILL, out of memory, a lost machine) leaves the row RUNNING for
ever. Its work is not lost: tasks are triggers and rows are the truth, so each app's sweep redoes
what the task left undone (core/periodic.py). This sweep only makes the task list tell the truth:
the row becomes FAILED, naming the worker that stopped.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat
from .periodic import periodic
from .workers import ABANDONED_AFTER

STOPPED_WORKER = "interviewdesk.core.workers.WorkerStopped"


@periodic(every=30)
def tasks_of_stopped_workers_fail(now: dt.datetime | None = None) -> int:
    """FAILED for each RUNNING task whose worker's heartbeat stopped. A worker without heartbeat
    rows (a plain `db_worker`) is never judged: only `manage.py worker` beats."""
    now = now or timezone.now()
    stopped = set(WorkerHeartbeat.objects.filter(last_seen__lt=now - ABANDONED_AFTER).values_list("name", flat=True))
    if not stopped:
        return 0
    failed = 0
    for task in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=now - ABANDONED_AFTER):
        worker = task.worker_ids[-1] if task.worker_ids else ""
        if worker in stopped:
            # Conditional, so a worker that finishes the task meanwhile keeps its own outcome.
            failed += DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED, finished_at=now, exception_class_path=STOPPED_WORKER,
                traceback=f"The worker {worker} stopped (no heartbeat since {ABANDONED_AFTER.total_seconds():g} s) "
                          "before the task ended; the periodic sweeps redo its work.")
    return failed
