"""The outbox against a real SMTP server: delivery, retry with backoff, permanent failure, headers."""

from __future__ import annotations

import pytest
from django.db import transaction

from interviewdesk.messaging.models import Message
from interviewdesk.messaging.services import Recipient, message_queue
from interviewdesk.messaging.services.delivery import deliver_due, message_deliver, message_requeue_stale
from tests.factories import CandidateFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def queue_alert(procedure, to: Recipient, **extra) -> Message:
    context = {"reason": "failed", "procedure": procedure, "who": "someone", "error": "x", "link": "http://x/"}
    return message_queue(kind="test", to=to, template="alert", context=context, procedure=procedure, **extra)


def test_a_queued_message_is_delivered_once_with_its_message_id(smtp):
    procedure = ProcedureFactory()
    message = queue_alert(procedure, Recipient("lotte@example.net", "Lotte Janssens", "nl"))

    assert message_deliver(message_id=message.pk) == "sent"
    assert message_deliver(message_id=message.pk) == "skipped"

    message.refresh_from_db()
    assert message.state == Message.State.SENT
    assert message.attempts == 1
    assert len(smtp.received) == 1
    rcpt, mail = smtp.received[0]
    assert rcpt == ["lotte@example.net"]
    assert str(mail["Message-ID"]) == message.message_id
    assert mail["To"] == "Lotte Janssens <lotte@example.net>"
    assert mail["Reply-To"] == f"{procedure.contact_name} <{procedure.contact_email}>"


def test_queueing_inside_a_rolled_back_transaction_leaves_no_message_and_no_task():
    from django_tasks_db.models import DBTaskResult

    procedure = ProcedureFactory()
    tasks_before = DBTaskResult.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_alert(procedure, Recipient("lotte@example.net"))
        raise RuntimeError("the change that caused the message fails")
    assert Message.objects.count() == 0
    assert DBTaskResult.objects.count() == tasks_before


def test_queueing_writes_the_delivery_task_in_the_same_transaction():
    from django_tasks_db.models import DBTaskResult

    message = queue_alert(ProcedureFactory(), Recipient("lotte@example.net"))
    task = DBTaskResult.objects.get(task_path="interviewdesk.messaging.tasks.deliver_message")
    assert task.args_kwargs == {"args": [message.pk], "kwargs": {}}


def test_a_transient_reply_keeps_the_message_queued_with_backoff_then_it_is_sent(smtp, time_machine):
    message = queue_alert(ProcedureFactory(), Recipient("lotte@example.net"))
    smtp.fail_next.append("451 4.3.0 Try again later")

    assert message_deliver(message_id=message.pk) == "queued"
    message.refresh_from_db()
    assert message.attempts == 1
    assert "451" in message.last_error
    assert message.next_attempt_at is not None
    assert deliver_due() == 0  # not due yet

    time_machine.move_to(message.next_attempt_at)
    assert deliver_due() == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == (Message.State.SENT, 2)
    assert len(smtp.received) == 1


def test_a_lost_connection_is_transient(settings):
    from tests.messaging.conftest import free_port

    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    message = queue_alert(ProcedureFactory(), Recipient("lotte@example.net"))
    assert message_deliver(message_id=message.pk) == "queued"
    message.refresh_from_db()
    assert "ConnectionRefusedError" in message.last_error


def test_transient_errors_give_up_after_the_attempt_limit_and_alert_the_contact_person(smtp, settings,
                                                                                         time_machine):
    settings.MAIL_MAX_ATTEMPTS = 3
    procedure = ProcedureFactory()
    message = queue_alert(procedure, Recipient("lotte@example.net"))
    smtp.replies["lotte@example.net"] = "421 4.4.2 Too busy"
    for _ in range(3):
        message.refresh_from_db()
        if message.next_attempt_at:
            time_machine.move_to(message.next_attempt_at)
        message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == Message.State.FAILED
    assert message.last_error.startswith("gave up after 3 attempts: 421")
    alert = Message.objects.get(kind="alert")
    assert alert.recipient_email == procedure.contact_email


def test_a_permanent_reply_fails_at_once_with_the_reason_and_alerts_staff(smtp):
    procedure = ProcedureFactory()
    message = queue_alert(procedure, Recipient("nobody@example.net"))
    smtp.replies["nobody@example.net"] = "550 5.1.1 No such user"

    assert message_deliver(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert message.attempts == 1
    assert message.last_error == "550 5.1.1 No such user"
    alert = Message.objects.get(kind="alert")
    assert alert.recipient_email == procedure.contact_email
    assert "5.1.1 No such user" in alert.body_text
    # The alert itself goes out; an undeliverable alert never alerts again.
    assert message_deliver(message_id=alert.pk) == "sent"


def test_a_stale_sending_row_goes_back_to_the_queue_with_the_same_message_id(smtp, time_machine):
    message = queue_alert(ProcedureFactory(), Recipient("lotte@example.net"))
    Message.objects.filter(pk=message.pk).update(state=Message.State.SENDING, message_id="<m1@example>",
                                                 claimed_at=message.created_at)
    time_machine.move_to(message.created_at)
    assert message_requeue_stale() == 0
    time_machine.shift(60 * 11)
    assert message_requeue_stale() == 1
    assert deliver_due() == 1
    assert smtp.message_ids() == ["<m1@example>"]


def test_names_and_subjects_cannot_inject_headers(smtp):
    procedure = ProcedureFactory(contact_name="An\r\nBcc: boss@example.org")
    candidate = CandidateFactory(procedure=procedure, first_name="Eve\r\nBcc: spy@example.org\r\n", last_name="X")
    message = queue_alert(procedure, Recipient(candidate.email, candidate.full_name, "nl"))
    Message.objects.filter(pk=message.pk).update(subject="Hello\r\nBcc: spy@example.org")

    assert message_deliver(message_id=message.pk) == "sent"
    rcpt, mail = smtp.received[0]
    assert rcpt == [candidate.email]
    assert mail["Bcc"] is None
    assert mail["Subject"] == "Hello Bcc: spy@example.org"
    assert mail["To"].addresses[0].addr_spec == candidate.email
    assert mail["To"].addresses[0].display_name == "Eve Bcc: spy@example.org X"


def test_without_email_host_messages_are_written_as_eml_files(settings):
    settings.EMAIL_HOST = ""
    message = queue_alert(ProcedureFactory(), Recipient("lotte@example.net", "Lotte", "nl"))
    assert message_deliver(message_id=message.pk) == "sent"
    files = sorted(settings.MAIL_DIR.glob("*.eml"))
    assert [f.name for f in files] == [f"{message.pk:08d}-test.eml"]
    assert b"Message-ID: " + message_id_bytes(message) in files[0].read_bytes()


def message_id_bytes(message: Message) -> bytes:
    message.refresh_from_db()
    return message.message_id.encode()
