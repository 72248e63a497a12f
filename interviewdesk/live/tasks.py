"""Worker entry points of the live session (thin: load by id, call a service)."""

from __future__ import annotations

from django_tasks import task

from interviewdesk.core.periodic import periodic


@task()
def disconnection_timeout(disconnection_id: int) -> bool:
    """Enqueued with run_after=deadline when the connection is lost."""
    from .services import disconnection_expire  # (services import this module)

    return disconnection_expire(disconnection_id=disconnection_id)


@periodic(every=15)
def disconnection_sweep() -> int:
    """Catches a timeout whose task died or never ran: the open, overdue disconnection decides."""
    from .services import disconnections_expire_overdue  # (services import this module)

    return disconnections_expire_overdue()


@periodic(every=300)
def jury_briefing_sweep() -> int:
    """The day-before e-mail to jury members (once per member and day, from the afternoon before)."""
    from .services.briefing import jury_briefings_queue  # (services import this module)

    return jury_briefings_queue()
