"""The planner runs in the worker, never in a web request. Tasks are triggers; the run row is the truth."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from interviewdesk.core.periodic import periodic

from . import services
from .models import PlanningRun


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
    after 30 minutes failed with its worker (a planning run is not resumable)."""
    now = timezone.now()
    queued = list(PlanningRun.objects.filter(status=PlanningRun.Status.QUEUED,
                                             created_at__lt=now - dt.timedelta(minutes=5)).values_list("pk", flat=True))
    for run_id in queued:
        services.planning_run_execute(run_id=run_id)
    # Longer than the longest time limit the form allows (10 minutes) plus building and storing.
    stale = PlanningRun.objects.filter(status=PlanningRun.Status.RUNNING, created_at__lt=now - dt.timedelta(minutes=30))
    for run in stale:
        services.planning_run_set_status(run=run, to=PlanningRun.Status.FAILED, reason="worker stopped")
    applying = PlanningRun.objects.filter(status=PlanningRun.Status.APPLYING,
                                          apply_started_at__lt=now - APPLY_STALE_AFTER).values_list("pk", flat=True)
    for run_id in list(applying):
        services.proposal_apply_refused(run_id=run_id)
    return len(queued)
