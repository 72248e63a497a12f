"""Batch delivery: claims in one statement, one SMTP connection per batch, and what a failure in
the middle of a batch leaves behind. Also the hand-written MIME and the spliced calendar file."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import OperationalError, connection
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from icalendar.parser import _foldline

from interviewdesk.messaging import ical
from interviewdesk.messaging.models import Message
from interviewdesk.messaging.services import Recipient, delivery, message_queue
from interviewdesk.messaging.services.delivery import messages_claim, messages_deliver
from tests.factories import ProcedureFactory
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db


def queue(procedure, n: int, **recipient) -> list[Message]:
    context = {"reason": "failed", "procedure": procedure, "who": "someone", "error": "x", "link": "http://x/"}
    return [message_queue(kind="test", to=Recipient(f"person{i}@example.net", **recipient), template="alert",
                          context=context, procedure=procedure, enqueue=False) for i in range(n)]


def states(messages) -> list[tuple[str, int]]:
    rows = Message.objects.in_bulk([m.pk for m in messages])
    return [(rows[m.pk].state, rows[m.pk].attempts) for m in messages]


def test_two_claimers_never_get_the_same_row():
    messages = queue(ProcedureFactory(), 10)
    ids = [m.pk for m in messages]

    first = messages_claim(limit=4)
    second = messages_claim(limit=100)
    third = messages_claim(ids)

    assert first == ids[:4]  # the oldest due rows
    assert second == ids[4:]
    assert third == []
    assert Message.objects.filter(state=Message.State.SENDING, attempts=1).count() == 10


def test_a_claim_takes_only_due_rows(time_machine):
    messages = queue(ProcedureFactory(), 3)
    later = messages[0].created_at + dt.timedelta(minutes=5)
    Message.objects.filter(pk=messages[1].pk).update(next_attempt_at=later)
    Message.objects.filter(pk=messages[2].pk).update(state=Message.State.SENT)

    assert messages_claim(limit=10) == [messages[0].pk]
    time_machine.move_to(later)
    assert messages_claim([m.pk for m in messages]) == [messages[1].pk]


@pytest.mark.django_db(transaction=True)
def test_concurrent_claimers_in_threads_split_the_rows_between_them():
    messages = queue(ProcedureFactory(), 60)
    won: list[list[int]] = [[], [], []]
    errors: list[Exception] = []
    barrier = threading.Barrier(3)

    def claim() -> list[int]:
        while True:
            try:
                return messages_claim(limit=7)
            except OperationalError as exc:
                # The in-memory SQLite test database reports "table is locked" instead of waiting
                # (a file database waits for its busy timeout): try again.
                if "locked" not in str(exc):
                    raise
                time.sleep(0.001)

    def claimer(slot: int) -> None:
        try:
            barrier.wait()
            while batch := claim():
                won[slot].extend(batch)
        except Exception as exc:  # a thread's failure must fail the test, not only print
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=claimer, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    everything = won[0] + won[1] + won[2]
    assert sorted(everything) == sorted(m.pk for m in messages)
    assert len(set(everything)) == 60


def test_a_batch_goes_out_over_one_connection_and_each_row_is_marked_on_its_own_reply(smtp, monkeypatch):
    messages = queue(ProcedureFactory(), 3)
    smtp.replies["person1@example.net"] = "451 4.3.0 Try again later"
    connects = []
    original = delivery.current_transport().__class__._connect

    def counting_connect(self):
        connects.append(1)
        return original(self)

    monkeypatch.setattr(delivery.current_transport().__class__, "_connect", counting_connect)

    assert messages_deliver(ids=[m.pk for m in messages]) == 3

    assert states(messages) == [("sent", 1), ("queued", 1), ("sent", 1)]
    assert [rcpt for rcpt, _mail in smtp.received] == [["person0@example.net"], ["person2@example.net"]]
    assert len(connects) == 1
    retry = Message.objects.get(pk=messages[1].pk)
    assert retry.next_attempt_at is not None
    assert retry.last_error.startswith("451")


def test_an_unexpected_error_mid_batch_leaves_the_rest_queued(smtp, monkeypatch):
    messages = queue(ProcedureFactory(), 4)
    real_build = delivery.build_mime

    def build(message, **options):
        if message.pk == messages[1].pk:
            raise RuntimeError("the worker is stopping")
        return real_build(message, **options)

    monkeypatch.setattr(delivery, "build_mime", build)
    with pytest.raises(RuntimeError):
        messages_deliver(ids=[m.pk for m in messages])

    # The first went out; the one in flight stays claimed (the stale sweep decides); the rest are
    # back in the queue at once, their claim not counted as an attempt.
    assert states(messages) == [("sent", 1), ("sending", 1), ("queued", 0), ("queued", 0)]
    assert Message.objects.get(pk=messages[2].pk).claimed_at is None
    assert len(smtp.received) == 1
    monkeypatch.setattr(delivery, "build_mime", real_build)
    assert delivery.deliver_due() == 2
    assert states(messages)[2:] == [("sent", 1), ("sent", 1)]


def test_non_ascii_names_and_subjects_arrive_encoded_and_intact(smtp):
    procedure = ProcedureFactory(contact_name="Zoë Müller")
    [message] = queue(procedure, 1, name="Françoise Dupré, née Lefèvre", language="fr")
    Message.objects.filter(pk=message.pk).update(subject="Entretien de sélection — données été")

    assert delivery.message_deliver(message_id=message.pk) == "sent"
    _rcpt, mail = smtp.received[0]
    assert mail["To"].addresses[0].display_name == "Françoise Dupré, née Lefèvre"
    assert mail["Reply-To"].addresses[0].display_name == "Zoë Müller"
    assert mail["Subject"] == "Entretien de sélection — données été"
    assert mail.get_content_type() == "text/plain"  # the alert template has no HTML version
    assert mail.get_content() == Message.objects.get(pk=message.pk).body_text
    assert mail.defects == []


def test_an_address_that_cannot_be_written_fails_at_once(smtp):
    [message] = queue(ProcedureFactory(), 1)
    Message.objects.filter(pk=message.pk).update(recipient_email="two words@example.net")

    assert delivery.message_deliver(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert message.last_error == "an address that cannot be written: 'two words@example.net'"
    assert smtp.received == []


@pytest.mark.parametrize("name", ["Lotte", "Zoë Ñúñez-Łukasiewicz, née \\Ø; Ünal " * 3, "x" * 74,
                                  "Jan; Piet, \\Mol^ " * 12])
@pytest.mark.parametrize("method", [ical.REQUEST, ical.CANCEL])
def test_the_spliced_calendar_file_is_the_file_the_library_writes(name, method):
    appointment = planned_interview(join_url="https://teams.example.org/l/meetup-join/" + "é,;" * 30)
    stamp = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    options = {"attendee_name": name, "language": "fr", "personal_link": "https://x.example/p/abc", "stamp": stamp}

    spliced = ical.appointment_ics(appointment, "lotte@example.net", method, **options)
    whole = ical.appointment_calendar(appointment, "lotte@example.net", method, **options).to_ical()

    assert spliced == whole
    assert b"\r\n " in whole  # long lines were folded: the folding path is covered too


@pytest.mark.parametrize("options", [
    {"for_candidate": False, "language": "nl"},  # a jury member's copy: no personal link, staff wording
    {"sequence": 7, "language": "de", "personal_link": ""},
    {"language": "en", "attendee_name": "Ünal"},
], ids=["staff", "sequence-de", "en"])
@pytest.mark.parametrize("method", [ical.REQUEST, ical.CANCEL])
def test_the_spliced_calendar_parsed_back_is_the_library_calendar(options, method):
    """The same contract read back: icalendar parses the spliced file into the calendar the library
    builds (components, properties and parameters), also for staff copies and in every language, for
    an interview in another year (its VTIMEZONE is spliced per year)."""
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=400)
    appointment = planned_interview(starts_at=starts, ends_at=starts + dt.timedelta(hours=1))
    options = {"stamp": dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC), **options}

    spliced = Calendar.from_ical(ical.appointment_ics(appointment, "jan@example.net", method, **options))
    built = ical.appointment_calendar(appointment, "jan@example.net", method, **options)

    def described(calendar):
        return [(c.name, sorted((k, v.to_ical(), sorted(getattr(v, "params", {}).items())) for k, v in c.items()))
                for c in calendar.walk()]

    assert described(spliced) == described(built)
    assert [c.name for c in spliced.walk()][:2] == ["VCALENDAR", "VTIMEZONE"]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab;,:\\^ é"), max_size=400), st.sampled_from([75, 20, 3]))
def test_the_fast_folding_is_the_library_s_folding_to_the_byte(line, limit):
    assert ical.fold_like_icalendar(line, limit) == _foldline(line, limit)


def test_sending_an_appointment_writes_one_delivery_task_for_all_its_messages(smtp):
    from django_tasks_db.models import DBTaskResult

    from interviewdesk.messaging.services.invitations import invitation_send

    appointment = planned_interview()
    before = DBTaskResult.objects.count()
    messages = invitation_send(appointment=appointment)

    task = DBTaskResult.objects.get(task_path="interviewdesk.messaging.tasks.deliver_messages")
    assert DBTaskResult.objects.count() == before + 1
    assert task.args_kwargs == {"args": [[m.pk for m in messages]], "kwargs": {}}
    assert len(messages) == 5  # candidate, chair, two assessors, proctor
    assert messages_deliver(ids=task.args_kwargs["args"][0]) == 5
    assert sorted(rcpt[0] for rcpt, _mail in smtp.received) == sorted(m.recipient_email for m in messages)
