"""The planner runs in the worker, never in a web request. Tasks are triggers; the run row is the truth."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from interviewdesk.core.periodic import periodic

from . import services
from .models import PlanningRun

MIN_STALE = dt.timedelta(minutes=30)


def stale_after(time_limit: int) -> dt.timedelta:
    """How long a run may stay 'planning' before its worker is taken for dead. The product solves
    deterministically: the limit counts CP-SAT's deterministic time, and each stage's wall-clock
    safety net is five times its share plus 5 s (model._parameters), so a loaded machine may
    take up to about five times the limit; beyond that (plus building and storing) it is dead."""
    return max(MIN_STALE, dt.timedelta(seconds=5 * time_limit) + dt.timedelta(minutes=10))


@task()
def run_planning(run_id: int) -> str:
    return services.planning_run_execute(run_id=run_id)


@task()
def apply_proposal(run_id: int, actor_id: int) -> str:
    return services.proposal_apply_execute(run_id=run_id, actor_id=actor_id)


# Apply is one transaction: a run still "being applied" after this long lost its worker, and
# nothing of it was written. (3,000 candidates apply in a few minutes.)
APPLY_STALE_AFTER = dt.timedelta(minutes=30)


@periodic(every=120)
def planning_sweep() -> int:
    """Runs whose task died: a queued run waiting over 5 minutes runs now; a run still 'planning'
    after `stale_after` its limit failed with its worker (a planning run is not resumable)."""
    now = timezone.now()
    queued = list(PlanningRun.objects.filter(status=PlanningRun.Status.QUEUED,
                                             created_at__lt=now - dt.timedelta(minutes=5)).values_list("pk", flat=True))
    for run_id in queued:
        services.planning_run_execute(run_id=run_id)
    running = PlanningRun.objects.filter(status=PlanningRun.Status.RUNNING, created_at__lt=now - MIN_STALE)
    for run in running:
        if run.created_at < now - stale_after(run.time_limit):
            services.planning_run_set_status(run=run, to=PlanningRun.Status.FAILED, reason="worker stopped")
    applying = PlanningRun.objects.filter(status=PlanningRun.Status.APPLYING,
                                          apply_started_at__lt=now - APPLY_STALE_AFTER).values_list("pk", flat=True)
    for run_id in list(applying):
        services.proposal_apply_refused(run_id=run_id)
    return len(queued)
