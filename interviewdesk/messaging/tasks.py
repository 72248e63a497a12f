"""Worker tasks and sweeps for the outbox. Tasks are triggers; the Message rows are the truth.

A task is enqueued in the same transaction as the row it is about (django_tasks_db writes its
row with the current connection), so both commit or neither does. The sweeps find work whose
task died or was never run (a queued row, a stale "sending" row, an unfinished bulk send),
queue reminders, and read calendar replies.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from interviewdesk.core.periodic import periodic

from .models import BulkSend, Message
from .services import bulk, delivery, reminders, replies

log = logging.getLogger(__name__)


# Delivery goes before rendering more: a queued message is sent by the next free worker, so in a
# bulk send the first candidates get their invitation while later groups are still rendered.
DELIVERY_PRIORITY = 10


@task(priority=DELIVERY_PRIORITY)
def deliver_message(message_id: int) -> str:
    return delivery.message_deliver(message_id=message_id)


@task(priority=DELIVERY_PRIORITY)
def deliver_messages(message_ids: list[int]) -> int:
    return delivery.messages_deliver(ids=message_ids)


@task()
def run_bulk_send(run_id: int) -> int:
    return bulk.bulk_send_split(run_id=run_id)


@task()
def run_bulk_group(run_id: int, candidate_ids: list[int]) -> int:
    return bulk.bulk_send_group(run_id=run_id, candidate_ids=candidate_ids)


def enqueue_delivery(message: Message, run_after: dt.datetime | None = None) -> None:
    job = deliver_message.using(run_after=run_after) if run_after else deliver_message
    job.enqueue(message.pk)


def enqueue_batch(ids: list[int]) -> None:
    if ids:
        deliver_messages.enqueue(list(ids))


def enqueue_bulk(run: BulkSend) -> None:
    run_bulk_send.enqueue(run.pk)


def enqueue_bulk_group(run: BulkSend, candidate_ids: list[int]) -> None:
    run_bulk_group.enqueue(run.pk, list(candidate_ids))


@periodic(every=30)
def outbox_sweep() -> int:
    """Send due rows whose task is gone (or never ran) and give stale claims back to the queue."""
    requeued = delivery.message_requeue_stale()
    if requeued:
        log.warning("outbox: %s message(s) left 'sending' by a dead worker put back in the queue", requeued)
    return delivery.deliver_due()


@periodic(every=60)
def bulk_sweep() -> int:
    """Finish bulk sends whose task died (no step for 2 minutes): the run continues with the
    appointments still pending. A run that is alive is left to its own task."""
    stale = timezone.now() - dt.timedelta(minutes=2)
    runs = list(BulkSend.objects.filter(finished_at__isnull=True).filter(
        Q(touched_at__lt=stale) | Q(touched_at__isnull=True, created_at__lt=stale)).values_list("pk", flat=True))
    for run_id in runs:
        bulk.bulk_send_run(run_id=run_id)
    return len(runs)


@periodic(every=300)
def reminder_sweep() -> int:
    return len(reminders.reminders_queue())


@periodic(every=60)
def reply_sweep() -> int:
    return replies.replies_collect()
