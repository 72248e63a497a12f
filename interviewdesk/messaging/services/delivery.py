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

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from interviewdesk.core.workers import current_worker, workers_alive
from interviewdesk.scheduling.models import Appointment

from ..alerts import alert_delivery_failed
from ..links import delivery_links, link_for
from ..mime import build_mime, new_message_id, sender_address
from ..models import Invitation, Message
from ..transport import FileTransport, PermanentError, TransientError, current_transport
from . import states

log = logging.getLogger(__name__)

SENDING_STALE_AFTER = dt.timedelta(minutes=10)


def max_attempts() -> int:
    return getattr(settings, "MAIL_MAX_ATTEMPTS", 6)


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 … minutes after the n-th failed attempt, at most an hour."""
    base = getattr(settings, "MAIL_RETRY_BASE_SECONDS", 60)
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


BATCH_SIZE = 100  # rows claimed together by a sweep step: sent over one SMTP connection


def messages_claim(ids: list[int] | None = None, *, limit: int = BATCH_SIZE) -> list[int]:
    """Claim due rows in ONE statement and return the ids this worker won (states.messages_claim).
    Rows claimed and not reached (the worker died) go back to the queue with the sweep; they never
    went out."""
    return states.messages_claim(ids, limit=limit, worker=current_worker())


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
    message = Message.objects.select_related("procedure", "appointment").get(pk=message_id)
    return _send(message, delivery_links([message]))


def messages_deliver(*, ids: list[int] | None = None, limit: int = BATCH_SIZE) -> int:
    """Claim a batch (the due rows among `ids`, or the oldest `limit` due rows) in one statement and
    send it over the worker's one SMTP connection, each row marked sent in its own commit right
    after its own 250 reply (a crash re-sends at most the one in flight). Returns how many rows
    were attempted (sent, failed or put back with backoff)."""
    won = messages_claim(ids, limit=limit)
    pending = list(won)
    try:
        rows = list(Message.objects.select_related("procedure", "appointment").filter(pk__in=won).order_by("id"))
        links = delivery_links(rows)  # the batch's personal links, in memory only (one query)
        for message in rows:
            pending.remove(message.pk)  # from here on this row is in flight: never released
            _send(message, links)
    finally:
        states.messages_release(pending)
    return len(won)


def _send(message: Message, links: dict[int, tuple[str, str]]) -> str:
    if is_obsolete(message):
        states.message_fail(message, error="not sent: the appointment was cancelled or moved")
        return message.state
    if not message.message_id:
        message.message_id = new_message_id()
        Message.objects.filter(pk=message.pk).update(message_id=message.message_id)
    sender = sender_address()
    transport = current_transport()
    try:
        data = build_mime(message, personal_link=link_for(message, links) if message.personal_link else "")
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
    states.message_mark_sent(message)
    return message.state


def _retry(message: Message, error: str) -> None:
    from .. import tasks  # (tasks imports this module: imported when used)

    with transaction.atomic():
        states.message_retry_later(message, error=error, at=timezone.now() + backoff(message.attempts))
        tasks.enqueue_delivery(message, run_after=message.next_attempt_at)
    log.info("message %s: transient error, attempt %s, retry at %s", message.pk, message.attempts,
             message.next_attempt_at)


def _fail(message: Message, error: str) -> None:
    with transaction.atomic():
        states.message_fail(message, error=error)
        alert_delivery_failed(message=message)
    log.warning("message %s failed: %s", message.pk, error)


def message_requeue_stale(now: dt.datetime | None = None) -> int:
    """Rows left "sending" by a worker that stopped beating (given back within a minute), or claimed
    longer ago than SENDING_STALE_AFTER by anyone: back to the queue, keeping their Message-ID."""
    now = now or timezone.now()
    return states.messages_requeue_abandoned(stale_before=now - SENDING_STALE_AFTER,
                                             claimers_alive=workers_alive(now))


def _still_current(message: Message, invitations: dict) -> bool:
    """A calendar message may go again only while it is still the person's latest version of the
    appointment (nothing newer was queued since, and the address was not corrected meanwhile)."""
    if not message.ics_method or message.appointment_id is None:
        return True
    invitation = invitations.get((message.appointment_id, message.recipient_email.lower()))
    return (invitation is not None and invitation.last_sequence_sent == message.ics_sequence
            and invitation.cancelled == (message.ics_method == "CANCEL"))


@transaction.atomic
def messages_retry(*, procedure, ids: list[int] | None = None, actor=None) -> tuple[int, int]:
    """Put the procedure's failed messages (all, or those among `ids`) back in the queue, as they
    are, once the cause is fixed (the mail server is back, a relay refused then allowed). Each
    keeps its Message-ID: a failed message never reached a server. A calendar message that a
    newer version replaced stays failed (sending it would put an old version in a calendar), and a
    reminder is still checked at delivery. Returns (queued again, left as they were)."""
    from .. import tasks  # (tasks imports this module)

    still_failed = Message.objects.select_for_update().filter(procedure=procedure, state=Message.State.FAILED)
    if ids is not None:
        still_failed = still_failed.filter(pk__in=ids)
    failed = list(still_failed)
    appointment_ids = {m.appointment_id for m in failed if m.ics_method}
    invitations = {(i.appointment_id, i.email.lower()): i
                   for i in Invitation.objects.filter(appointment_id__in=appointment_ids)}
    again = [m for m in failed if _still_current(m, invitations)]
    states.messages_move(messages=again, from_state=Message.State.FAILED, to=Message.State.QUEUED, actor=actor,
                         attempts=0, next_attempt_at=None, claimed_at=None, claimed_by="")
    tasks.enqueue_batch([m.pk for m in again])
    return len(again), len(failed) - len(again)


def deliver_due(limit: int = 500) -> int:
    """Send due rows (oldest first), up to `limit`, in claimed batches. Used by the sweep and the tests."""
    done = 0
    while done < limit:
        attempted = messages_deliver(limit=min(BATCH_SIZE, limit - done))
        if not attempted:
            break
        done += attempted
    return done
