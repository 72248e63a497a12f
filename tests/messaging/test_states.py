"""The outbox's state machine (messaging/services/states.py): only the moves in its table happen, failures
and retries are audited, and a claim whose worker stopped beating goes back to the queue within a
minute instead of ten."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from interviewdesk.core.models import AuditEntry, WorkerHeartbeat
from interviewdesk.core.workers import ABANDONED_AFTER
from interviewdesk.messaging.models import Message
from interviewdesk.messaging.services import Recipient, message_queue, states
from interviewdesk.messaging.services.delivery import SENDING_STALE_AFTER, message_requeue_stale
from tests.factories import ProcedureFactory

pytestmark = pytest.mark.django_db

State = Message.State


def queued(n: int = 1) -> list[Message]:
    procedure = ProcedureFactory()
    return [message_queue(kind="test", to=Recipient(f"p{i}@example.org", name="P", language="nl"),
                          template="alert", context={"reason": "failed", "procedure": procedure, "who": "someone", "error": "x", "link": "http://x/"},
                          procedure=procedure, enqueue=False) for i in range(n)]


def test_every_state_has_its_moves_and_nothing_else_is_allowed():
    assert set(states.TRANSITIONS) == set(State.values)
    for from_state, targets in states.TRANSITIONS.items():
        for to in set(State.values) - targets:
            with pytest.raises(ValueError, match="cannot go"):
                states.messages_move(messages=[], from_state=from_state, to=to)


def test_a_queued_message_cannot_be_failed_without_being_claimed():
    [message] = queued()
    with pytest.raises(ValueError):
        states.message_fail(message, error="x", from_state=State.QUEUED)
    message.refresh_from_db()
    assert message.state == State.QUEUED


def test_a_move_only_takes_rows_still_in_the_from_state_and_audits_failures_and_retries():
    first, second = queued(2)
    states.messages_claim([first.pk, second.pk], limit=10)
    Message.objects.filter(pk=second.pk).update(state=State.SENT)  # sent meanwhile

    assert states.message_fail(first, error="550 no such user") is True
    assert states.message_fail(second, error="550 no such user") is False  # not "sending" any more
    moved = states.messages_move(messages=[first, second], from_state=State.FAILED, to=State.QUEUED, attempts=0)
    assert [m.pk for m in moved] == [first.pk]
    assert [(e.action, e.from_state, e.to_state) for e in AuditEntry.objects.filter(
        object_id=str(first.pk)).order_by("pk")] == [
        ("message.failed", "sending", "failed"), ("message.retried", "failed", "queued")]
    assert not AuditEntry.objects.filter(object_id=str(second.pk)).exists()


def beat(name: str, at: dt.datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"last_seen": at})


def test_a_claim_of_a_worker_that_stopped_beating_is_given_back_within_a_minute():
    dead, alive, anonymous = queued(3)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        start = timezone.now()
        for message, worker in ((dead, "host-1"), (alive, "host-2"), (anonymous, "")):
            beat("host-1", start)
            beat("host-2", start)
            assert states.messages_claim([message.pk], limit=1, worker=worker) == [message.pk]

        clock.shift(ABANDONED_AFTER - dt.timedelta(seconds=1))
        beat("host-2", timezone.now())
        assert message_requeue_stale() == 0  # host-1 may just be slow: three beats' grace

        clock.shift(dt.timedelta(seconds=2))  # host-1 has missed three beats, host-2 beats on
        assert ABANDONED_AFTER + dt.timedelta(seconds=1) < dt.timedelta(minutes=1)
        assert message_requeue_stale() == 1
        states_now = dict(Message.objects.values_list("pk", "state"))
        assert states_now == {dead.pk: State.QUEUED, alive.pk: State.SENDING, anonymous.pk: State.SENDING}
        assert Message.objects.get(pk=dead.pk).claimed_by == ""

        # A claim made outside a worker (no name) still waits for the long timeout.
        clock.shift(SENDING_STALE_AFTER)
        beat("host-2", timezone.now())
        assert message_requeue_stale() == 2  # the anonymous claim, and host-2's, now older than the timeout
