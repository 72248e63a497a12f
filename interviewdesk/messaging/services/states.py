"""The outbox's state machine. Every change of `Message.state` is made here, nowhere else.

    queued  → sending              a worker claims the row (`messages_claim`)
    sending → sent                 the server answered 250 (`message_mark_sent`)
    sending → failed               a permanent error, too many attempts, or an obsolete reminder
    sending → queued               a transient error (with backoff), a claim never started, or a
                                   claim whose worker stopped beating or took too long
    sent    → failed               a bounce came back for it
    failed  → queued               staff send it again once the cause is fixed

Failures and retries are audited (who or what, why); a normal send is recorded on the row
(`sent_at`), once per message of a bulk send of thousands, and needs no audit entry.

The two moves on the sending path of every message, the claim and "sent", are single raw
statements: measured in bench/messaging.py, building a QuerySet.update() for them cost more than
running the statement (docs/messaging.md). Each still checks its move against `TRANSITIONS`.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.db import OperationalError, connection
from django.db.models import F
from django.utils import timezone

from interviewdesk.core.audit import audit_record
from interviewdesk.core.batching import deferred_inserts

from ..models import Message

State = Message.State
log = logging.getLogger(__name__)

TRANSITIONS: dict[str, frozenset[str]] = {
    State.QUEUED: frozenset({State.SENDING}),
    State.SENDING: frozenset({State.SENT, State.FAILED, State.QUEUED}),
    State.SENT: frozenset({State.FAILED}),
    State.FAILED: frozenset({State.QUEUED}),
}
AUDITED = frozenset({(State.SENDING, State.FAILED), (State.SENT, State.FAILED), (State.FAILED, State.QUEUED)})
AUDIT_ACTIONS: dict[str, str] = {State.FAILED: "message.failed", State.QUEUED: "message.retried"}


def _check(from_state: str, to: str) -> None:
    if to not in TRANSITIONS[from_state]:
        raise ValueError(f"a message cannot go from {from_state} to {to}")


def messages_move(*, messages: list[Message], from_state: str, to: str, actor=None, actor_label: str = "worker",
                  reason: str = "", **fields) -> list[Message]:
    """Move the given rows that are still in `from_state` to `to`, setting `fields` too, and audit
    the move where `AUDITED` says so. Returns the rows that moved (updated in memory as well)."""
    _check(from_state, to)
    if not messages:
        return []
    ids = list(Message.objects.filter(pk__in=[m.pk for m in messages], state=from_state).values_list("pk", flat=True))
    Message.objects.filter(pk__in=ids, state=from_state).update(state=to, **fields)
    moved = [m for m in messages if m.pk in set(ids)]
    audited = (from_state, to) in AUDITED
    with deferred_inserts():  # one INSERT for the entries of a retry of hundreds of messages
        for message in moved:
            message.state = to
            for name, value in fields.items():
                if not hasattr(value, "resolve_expression"):
                    setattr(message, name, value)
            if audited:
                audit_record(actor=actor, actor_label="" if actor else actor_label, action=AUDIT_ACTIONS[to],
                             obj=message, procedure_id=message.procedure_id, from_state=from_state, to_state=to,
                             reason=(reason or message.last_error)[:500])
    return moved


def message_fail(message: Message, *, error: str, from_state: str = State.SENDING, actor_label: str = "worker") -> bool:
    """sending → failed (or sent → failed for a bounce), with the reason, audited."""
    return bool(messages_move(messages=[message], from_state=from_state, to=State.FAILED, actor_label=actor_label,
                              reason=error, last_error=error, sent_at=None))


# How long the "sent" write keeps trying while SQLite's one write lock is busy. The message is
# already at the server: giving up would leave the row "sending" and send it again later.
SENT_WRITE_PATIENCE = 300.0


def message_mark_sent(message: Message) -> None:
    """sending → sent, right after the server's 250 (the hot path: one plain statement).

    On SQLite another process may hold the write lock longer than the connection's busy timeout
    (a busy writer can starve a waiting one): the write is tried again, for up to
    SENT_WRITE_PATIENCE seconds, rather than lost."""
    _check(State.SENDING, State.SENT)
    message.state, message.last_error, message.sent_at = State.SENT, "", timezone.now()
    table = connection.ops.quote_name(Message._meta.db_table)
    params = [State.SENT, connection.ops.adapt_datetimefield_value(message.sent_at), message.pk, State.SENDING]
    give_up = time.monotonic() + SENT_WRITE_PATIENCE
    while True:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {table} SET state = %s, last_error = '', sent_at = %s "  # noqa: S608
                               "WHERE id = %s AND state = %s", params)
            return
        except OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > give_up:
                raise
            log.warning("message %s: the database is busy; recording it as sent again", message.pk)
            time.sleep(0.05)


def messages_claim(ids: list[int] | None, *, limit: int, worker: str = "") -> list[int]:
    """queued → sending for the due rows (those among `ids`, or the oldest `limit`), in ONE
    statement; returns the ids this worker won (ascending).

    The statement is `UPDATE … SET state='sending' WHERE <due> AND id IN (…) RETURNING id`, so a row
    is won by exactly one claimer: SQLite has one writer; on PostgreSQL a second claimer waits on
    the row lock, re-reads the row (no longer queued) and skips it, and the oldest-rows form selects
    with FOR UPDATE SKIP LOCKED, so concurrent workers take different rows instead of queueing up.
    `worker` (its heartbeat name) lets the sweep give the claim back soon after that worker stops
    beating (`messages_requeue_abandoned`)."""
    _check(State.QUEUED, State.SENDING)
    if ids is not None and not ids:
        return []
    table = connection.ops.quote_name(Message._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    due = "state = %s AND (next_attempt_at IS NULL OR next_attempt_at <= %s)"
    due_params = [State.QUEUED, now]
    # Only the model's own table name and fixed text are formatted in; every value is a parameter.
    if ids is not None:
        head, head_params = "", []
        pick, pick_params = f"id IN ({', '.join(['%s'] * len(ids))})", [int(pk) for pk in ids]
    else:
        # The batch is chosen once, in a materialised CTE: a LIMIT subquery inside IN may be
        # re-run by PostgreSQL's planner and then pick more than `limit` rows.
        postgresql = connection.vendor == "postgresql"
        materialized = "MATERIALIZED " if postgresql else ""
        lock = " FOR UPDATE SKIP LOCKED" if postgresql else ""
        head = (f"WITH batch AS {materialized}(SELECT id FROM {table} WHERE {due} "  # noqa: S608
                f"ORDER BY created_at, id LIMIT %s{lock}) ")
        head_params = [*due_params, int(limit)]
        pick, pick_params = "id IN (SELECT id FROM batch)", []
    sql = (f"{head}UPDATE {table} SET state = %s, attempts = attempts + 1, claimed_at = %s, "  # noqa: S608
           f"claimed_by = %s WHERE {due} AND {pick} RETURNING id")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*head_params, State.SENDING, now, worker[:100], *due_params, *pick_params])
        return sorted(row[0] for row in cursor.fetchall())


def messages_release(ids: list[int]) -> None:
    """sending → queued for claimed rows this worker never started (it is stopping on an
    unexpected error): back at once, the claim not counted as an attempt."""
    _check(State.SENDING, State.QUEUED)
    if ids:
        Message.objects.filter(pk__in=ids, state=State.SENDING).update(
            state=State.QUEUED, attempts=F("attempts") - 1, claimed_at=None, claimed_by="")


def message_retry_later(message: Message, *, error: str, at: dt.datetime) -> None:
    """sending → queued after a transient error, due again at `at`."""
    _check(State.SENDING, State.QUEUED)
    message.state, message.next_attempt_at, message.last_error = State.QUEUED, at, error
    Message.objects.filter(pk=message.pk, state=State.SENDING).update(
        state=State.QUEUED, next_attempt_at=at, last_error=error, claimed_by="")


def messages_requeue_abandoned(*, stale_before: dt.datetime, claimers_alive: set[str]) -> int:
    """sending → queued for claims nobody will finish: claimed by a worker whose heartbeat stopped
    (not in `claimers_alive`), or claimed before `stale_before` whatever the claimer (a worker
    with no name, or one stuck). They keep their Message-ID (docs/messaging.md, "Exactly once")."""
    _check(State.SENDING, State.QUEUED)
    sending = Message.objects.filter(state=State.SENDING)
    dead = sending.exclude(claimed_by="").exclude(claimed_by__in=claimers_alive)
    stale = sending.filter(claimed_at__lt=stale_before)
    return (dead | stale).update(state=State.QUEUED, next_attempt_at=None, claimed_by="")
