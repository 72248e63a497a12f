"""Worker task and sweep for meetings. Tasks are triggers; the Meeting rows are the truth."""

from __future__ import annotations

import datetime as dt
import logging

from django_tasks import task

from interviewdesk.core.periodic import periodic

from . import services

log = logging.getLogger(__name__)


@task()
def make_meeting(meeting_id: int) -> str:
    return services.meeting_work(meeting_id=meeting_id)


def enqueue_meeting(meeting_id: int, run_after: dt.datetime | None = None) -> None:
    job = make_meeting.using(run_after=run_after) if run_after else make_meeting
    job.enqueue(meeting_id)


@periodic(every=30)
def meetings_sweep() -> int:
    """Meetings whose task died or never ran, whose claim timed out, or whose retry is due."""
    return services.meetings_work_due()
