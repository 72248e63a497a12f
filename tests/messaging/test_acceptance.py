"""Acceptance: the portal's Accept (status "confirmed") and calendar replies (iTIP REPLY) built from our own invitations."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import pytest
from icalendar import Calendar

from interviewdesk.core.models import AuditEntry
from interviewdesk.messaging.models import Invitation, Message
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.messaging.services.replies import replies_collect, reply_process
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_set_status, appointment_update
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db


def reply_to(message: Message, partstat: str) -> bytes:
    """What a calendar client sends back: our event, METHOD:REPLY, the attendee with their answer."""
    cal = Calendar.from_ical(message.ics)
    cal["method"] = "REPLY"
    event = next(iter(cal.walk("VEVENT")))
    event["attendee"].params["PARTSTAT"] = partstat
    for name in ("description", "valarm"):
        event.pop(name, None)
    mail = EmailMessage()
    mail["From"] = message.recipient_email
    mail["To"] = "invitations@example.org"
    mail["Subject"] = f"{partstat.title()}: {message.subject}"
    mail.set_content(f"{partstat} by the attendee")
    mail.add_alternative(cal.to_ical().decode(), subtype="calendar", params={"method": "REPLY"})
    return mail.as_bytes()


def invited():
    appointment = planned_interview()
    invitation_send(appointment=appointment)
    return appointment, Message.objects.get(kind="invitation", appointment=appointment)


def test_accepting_on_the_personal_page_records_the_candidates_answer():
    appointment, _message = invited()
    appointment_set_status(actor=None, actor_label="candidate", appointment=appointment,
                           to=Appointment.Status.CONFIRMED)
    invitation = Invitation.objects.get(appointment=appointment, role="candidate")
    assert invitation.partstat == Invitation.PartStat.ACCEPTED
    assert invitation.responded_at is not None


def test_an_accepted_reply_confirms_the_appointment():
    appointment, message = invited()
    assert reply_process(reply_to(message, "ACCEPTED")) == "accepted"
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CONFIRMED
    assert Invitation.objects.get(appointment=appointment, role="candidate").partstat == "accepted"


def test_a_declined_reply_is_recorded_and_alerts_the_contact_person_once():
    appointment, message = invited()
    assert reply_process(reply_to(message, "DECLINED")) == "declined"
    assert reply_process(reply_to(message, "DECLINED")) == "declined"

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.INVITED
    assert Invitation.objects.get(appointment=appointment, role="candidate").partstat == "declined"
    alert = Message.objects.get(kind="alert")
    assert alert.recipient_email == appointment.procedure.contact_email
    assert alert.subject == f"Geweigerde afspraak ({appointment.procedure.reference})"  # the procedure language
    assert appointment.candidate.full_name in alert.body_text


def test_a_jury_members_reply_is_recorded_on_their_own_invitation():
    appointment, _message = invited()
    staff_message = Message.objects.filter(kind="staff_invitation", appointment=appointment).first()
    assert reply_process(reply_to(staff_message, "ACCEPTED")) == "accepted"
    invitation = Invitation.objects.get(appointment=appointment, email=staff_message.recipient_email)
    assert invitation.partstat == "accepted"
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.INVITED


def test_a_reply_to_an_older_version_is_ignored():
    appointment, first = invited()
    new_start = appointment.starts_at + dt.timedelta(days=1)
    appointment_update(actor=None, appointment=appointment, starts_at=new_start,
                       ends_at=new_start + dt.timedelta(hours=1))
    assert reply_process(reply_to(first, "ACCEPTED")) == "stale"
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.INVITED

    update = Message.objects.get(kind="update")
    assert reply_process(reply_to(update, "ACCEPTED")) == "accepted"


def test_a_bounce_marks_the_message_failed_and_alerts_the_contact_person():
    appointment, message = invited()
    Message.objects.filter(pk=message.pk).update(state=Message.State.SENT, message_id="<m42@interviewdesk.example>")
    report = (
        b'From: MAILER-DAEMON@example.net\r\nSubject: Undelivered Mail Returned to Sender\r\n'
        b'MIME-Version: 1.0\r\n'
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        b'--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n'
        b'--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n'
        b'Final-Recipient: rfc822; x@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\n'
        b'--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <m42@interviewdesk.example>\r\n'
        b'Subject: x\r\n\r\n--B--\r\n'
    )
    assert reply_process(report) == "bounce"
    message.refresh_from_db()
    assert (message.state, message.last_error) == (Message.State.FAILED, "bounced")
    assert Message.objects.filter(kind="alert", appointment=appointment).count() == 1
    # Audited like every other failure (docs/messaging.md), by the mail server, with the reason.
    entry = AuditEntry.objects.get(action="message.failed", object_id=str(message.pk))
    assert (entry.from_state, entry.to_state, entry.reason, entry.actor_label) == (
        "sent", "failed", "bounced", "mail server")
    assert reply_process(report) == "ignored"  # the same report twice changes nothing


def test_the_reply_folder_is_read_and_emptied(settings, tmp_path):
    appointment, message = invited()
    settings.INVITATION_REPLY_DIR = tmp_path / "replies"
    settings.INVITATION_REPLY_DIR.mkdir()
    (settings.INVITATION_REPLY_DIR / "1.eml").write_bytes(reply_to(message, "ACCEPTED"))
    (settings.INVITATION_REPLY_DIR / "2.eml").write_bytes(b"From: x@example.net\n\nnot a calendar reply\n")

    assert replies_collect() == 2
    assert replies_collect() == 0
    assert sorted(p.name for p in (settings.INVITATION_REPLY_DIR / "done").iterdir()) == ["1.eml", "2.eml"]
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CONFIRMED


def test_the_organizer_is_the_reply_address_when_one_is_configured(settings):
    settings.INVITATION_REPLY_ADDRESS = "invitations@example.org"
    _appointment, message = invited()
    event = next(iter(Calendar.from_ical(message.ics).walk("VEVENT")))
    assert str(event["organizer"]) == "mailto:invitations@example.org"
    assert str(event["organizer"].params["CN"]) == "An Peeters"


class FakeIMAP:
    """Stands in for the mail server (the only thing that leaves the machine): one unseen message."""

    instances: list = []

    def __init__(self, host, port):
        self.address, self.flags, self.mailbox = (host, port), {}, None
        FakeIMAP.instances.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def login(self, user, password):
        self.user = user

    def select(self, folder):
        self.mailbox = folder

    def search(self, charset, criterion):
        assert criterion == "UNSEEN"
        return "OK", [b"1"]

    def fetch(self, number, parts):
        return "OK", [(b"1 (RFC822 {100}", FakeIMAP.raw), b")"]

    def store(self, number, command, flags):
        self.flags[number] = flags


def test_replies_are_read_from_an_imap_mailbox_and_flagged_seen_afterwards(settings, monkeypatch):
    import imaplib

    appointment, message = invited()
    settings.INVITATION_REPLY_IMAP_HOST = "imap.example.org"
    settings.INVITATION_REPLY_IMAP_USER = "invitations"
    FakeIMAP.raw = reply_to(message, "ACCEPTED")
    FakeIMAP.instances = []
    monkeypatch.setattr(imaplib, "IMAP4_SSL", FakeIMAP)

    assert replies_collect() == 1
    [client] = FakeIMAP.instances
    assert (client.address, client.user, client.mailbox) == (("imap.example.org", 993), "invitations", "INBOX")
    assert client.flags == {b"1": "\\Seen"}
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CONFIRMED
