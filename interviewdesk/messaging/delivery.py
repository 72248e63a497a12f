"""Sending outbox rows: claim, build, send, record. Each row is sent once.

State machine (Message.State): queued → sending → sent | failed, and sending → queued for a
transient error (with backoff) or a stale claim. The claim is one UPDATE ... WHERE
state='queued', which only one worker can win on SQLite and on PostgreSQL alike (on
PostgreSQL the loser waits on the row lock, re-reads the row and updates nothing).

Exactly once: the row is marked sent in its own short commit right after the server's 250
reply. If the process dies between that reply and the commit, the row stays "sending"; the
sweep puts it back in the queue after SENDING_STALE_AFTER and it goes out again with the
*same* Message-ID, so that one rare duplicate is recognisable (docs/messaging.md).
"""

from __future__ import annotations

import datetime as dt
import logging
from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from interviewdesk.core.audit import audit_record
from interviewdesk.scheduling.models import Appointment

from .mime import build_mime, new_message_id
from .models import Message
from .transport import FileTransport, PermanentError, TransientError, current_transport

log = logging.getLogger(__name__)

SENDING_STALE_AFTER = dt.timedelta(minutes=10)


def max_attempts() -> int:
    return getattr(settings, "MAIL_MAX_ATTEMPTS", 6)


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 … minutes after the n-th failed attempt, at most an hour."""
    base = getattr(settings, "MAIL_RETRY_BASE_SECONDS", 60)
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def due_filter(now: dt.datetime) -> Q:
    return Q(state=Message.State.QUEUED) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def messages_claim(ids: list[int]) -> list[int]:
    """Claim the due rows among `ids` in one UPDATE; returns the ids this worker won.

    Rows claimed together and not reached (the worker died) go back to the queue with the
    stale sweep; they never went out."""
    now = timezone.now()
    claimed = Message.objects.filter(due_filter(now), pk__in=ids)
    if len(ids) == 1:
        won = claimed.update(state=Message.State.SENDING, attempts=F("attempts") + 1, claimed_at=now)
        return list(ids) if won else []
    with transaction.atomic():
        # The marker (claimed_at = now, state sending) tells our rows from rows another worker claimed.
        claimed.update(state=Message.State.SENDING, attempts=F("attempts") + 1, claimed_at=now)
        return list(Message.objects.filter(pk__in=ids, state=Message.State.SENDING, claimed_at=now)
                    .values_list("pk", flat=True))


def is_obsolete(message: Message) -> bool:
    """A reminder about an appointment that was cancelled or moved since it was queued."""
    if message.kind != "reminder":
        return False
    appointment = message.appointment
    return (
        appointment is None
        or appointment.status not in (Appointment.Status.INVITED, Appointment.Status.CONFIRMED)
        or appointment.sequence != message.ics_sequence
    )


def message_deliver(*, message_id: int) -> str:
    """Send one queued row if it is due. Returns the row's state afterwards, or "skipped"."""
    if not messages_claim([message_id]):
        return "skipped"
    return _send(Message.objects.select_related("procedure", "appointment").get(pk=message_id))


def messages_deliver(*, ids: list[int]) -> int:
    """Send the due rows among `ids` (claimed in one go, each marked sent on its own). Returns how many."""
    won = messages_claim(ids)
    rows = Message.objects.select_related("procedure", "appointment").filter(pk__in=won).order_by("id")
    return sum(1 for message in rows.iterator(chunk_size=100) if _send(message) == Message.State.SENT)


def _send(message: Message) -> str:
    if is_obsolete(message):
        _finish(message, Message.State.FAILED, error="not sent: the appointment was cancelled or moved")
        return message.state
    if not message.message_id:
        message.message_id = new_message_id()
        Message.objects.filter(pk=message.pk).update(message_id=message.message_id)
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    transport = current_transport()
    try:
        data = build_mime(message)
        if isinstance(transport, FileTransport):
            transport.send(data, sender, message.recipient_email, name=f"{message.pk:08d}-{message.kind}")
        else:
            transport.send(data, sender, message.recipient_email)
    except TransientError as exc:
        if message.attempts >= max_attempts():
            _fail(message, f"gave up after {message.attempts} attempts: {exc}")
        else:
            _retry(message, str(exc))
        return message.state
    except (PermanentError, ValueError) as exc:
        # ValueError: the address or a header cannot be written at all; retrying cannot help.
        _fail(message, str(exc))
        return message.state
    _finish(message, Message.State.SENT)
    return message.state


def _finish(message: Message, state: str, error: str = "") -> None:
    message.state = state
    message.last_error = error
    message.sent_at = timezone.now() if state == Message.State.SENT else None
    Message.objects.filter(pk=message.pk).update(state=state, last_error=error, sent_at=message.sent_at)


def _retry(message: Message, error: str) -> None:
    from . import tasks

    message.state = Message.State.QUEUED
    message.next_attempt_at = timezone.now() + backoff(message.attempts)
    message.last_error = error
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(state=message.state, next_attempt_at=message.next_attempt_at,
                                                     last_error=error)
        tasks.enqueue_delivery(message, run_after=message.next_attempt_at)
    log.info("message %s: transient error, attempt %s, retry at %s", message.pk, message.attempts,
             message.next_attempt_at)


def _fail(message: Message, error: str) -> None:
    from .alerts import alert_delivery_failed

    with transaction.atomic():
        _finish(message, Message.State.FAILED, error=error)
        audit_record(action="message.failed", obj=message, procedure_id=message.procedure_id,
                     from_state=Message.State.SENDING, to_state=Message.State.FAILED, reason=error[:500],
                     actor_label="worker")
        alert_delivery_failed(message=message)
    log.warning("message %s failed: %s", message.pk, error)


def message_requeue_stale(now: dt.datetime | None = None) -> int:
    """Rows left "sending" by a worker that died: back to the queue, keeping their Message-ID."""
    now = now or timezone.now()
    return Message.objects.filter(state=Message.State.SENDING, claimed_at__lt=now - SENDING_STALE_AFTER).update(
        state=Message.State.QUEUED, next_attempt_at=None
    )


def deliver_due(limit: int = 500) -> int:
    """Send every due row (oldest first), up to `limit`. Used by the sweep and the tests."""
    now = timezone.now()
    ids = list(Message.objects.filter(due_filter(now)).order_by("created_at", "id").values_list("pk", flat=True)[:limit])
    return sum(1 for pk in ids if message_deliver(message_id=pk) != "skipped")

