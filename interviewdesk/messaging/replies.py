"""Reading what comes back to the reply address: calendar answers (iTIP REPLY) and bounces.

Sources: an IMAP mailbox (settings.INVITATION_REPLY_IMAP_HOST …) or, in the demo and the
tests, a folder of .eml files (settings.INVITATION_REPLY_DIR); processed files move to
"done/". A REPLY is matched by UID (our appointment) and ATTENDEE (an Invitation); a reply to
an older SEQUENCE than the attendee's current copy is ignored (it answers a time that no
longer holds). A delivery status notification that names one of our Message-IDs marks that
message failed ("bounced") and alerts the contact person.
"""

from __future__ import annotations

import email
import email.policy
import imaplib
import logging
import re
from email.message import EmailMessage
from pathlib import Path

from django.conf import settings
from django.db import transaction
from icalendar import Calendar

from interviewdesk.scheduling.models import Appointment

from .alerts import alert_delivery_failed
from .invitations import invitation_record_answer
from .models import Invitation, Message

log = logging.getLogger(__name__)

UID_PATTERN = re.compile(r"^appointment-(\d+)@interviewdesk$")
PARTSTATS = {"ACCEPTED": Invitation.PartStat.ACCEPTED, "DECLINED": Invitation.PartStat.DECLINED}


def _calendars(mail: EmailMessage) -> list[Calendar]:
    found = []
    for part in mail.walk():
        if part.get_content_type() in ("text/calendar", "application/ics"):
            payload = part.get_payload(decode=True) or b""
            try:
                found.append(Calendar.from_ical(payload))
            except ValueError:
                log.info("reply reader: unreadable calendar part skipped")
    return found


def _bounced_message_id(mail: EmailMessage) -> str:
    """The Message-ID of our message that a delivery status notification (RFC 3464) reports."""
    if mail.get_content_type() != "multipart/report":
        return ""
    for part in mail.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822":
            inner = part.get_payload()[0]
            if inner.get("Message-ID"):
                return str(inner["Message-ID"]).strip()
        elif kind in ("text/rfc822-headers", "message/rfc822-headers"):
            text = (part.get_payload(decode=True) or b"").decode(errors="replace")
            match = re.search(r"^Message-ID:\s*(<[^>]+>)", text, re.IGNORECASE | re.MULTILINE)
            if match:
                return match.group(1)
    return ""


@transaction.atomic
def reply_process(raw: bytes) -> str:
    """Apply one incoming e-mail. Returns what it was: "accepted", "declined", "bounce", "stale", "ignored"."""
    mail = email.message_from_bytes(raw, policy=email.policy.default)
    bounced = _bounced_message_id(mail)
    if bounced:
        message = Message.objects.filter(message_id=bounced).select_related("procedure").first()
        if message is None or message.state == Message.State.FAILED:
            return "ignored"
        Message.objects.filter(pk=message.pk).update(state=Message.State.FAILED, last_error="bounced")
        message.state, message.last_error = Message.State.FAILED, "bounced"
        alert_delivery_failed(message=message)
        return "bounce"
    result = "ignored"
    for cal in _calendars(mail):
        if str(cal.get("method", "")).upper() != "REPLY":
            continue
        for event in cal.walk("VEVENT"):
            result = _apply_reply(event) or result
    return result


def _apply_reply(event) -> str | None:
    match = UID_PATTERN.match(str(event.get("uid", "")))
    if not match:
        return None
    attendees = event.get("attendee")
    attendees = attendees if isinstance(attendees, list) else [attendees] if attendees else []
    sequence = int(event.get("sequence", 0))
    outcome = None
    for attendee in attendees:
        address = str(attendee).removeprefix("mailto:").removeprefix("MAILTO:").strip()
        partstat = PARTSTATS.get(str(attendee.params.get("PARTSTAT", "")).upper())
        invitation = (Invitation.objects.select_related("appointment")
                      .filter(appointment_id=int(match.group(1)), email__iexact=address, cancelled=False).first())
        if invitation is None or partstat is None:
            continue
        if invitation.last_sequence_sent is None or sequence < invitation.last_sequence_sent:
            outcome = "stale"
            continue
        outcome = _record(invitation, partstat, sequence)
    return outcome


def _record(invitation: Invitation, partstat: str, sequence: int) -> str:
    appointment = invitation.appointment
    if (invitation.role == Invitation.Role.CANDIDATE and partstat == Invitation.PartStat.ACCEPTED
            and appointment.status == Appointment.Status.INVITED):
        from interviewdesk.scheduling.services import appointment_set_status

        # The status receiver records the PARTSTAT, exactly as for the portal's Accept button.
        appointment_set_status(actor=None, actor_label="candidate", appointment=appointment,
                               to=Appointment.Status.CONFIRMED, reason="calendar reply")
        invitation.refresh_from_db()
    invitation_record_answer(invitation=invitation, partstat=partstat, actor_label="calendar reply",
                             sequence=sequence)
    return "accepted" if partstat == Invitation.PartStat.ACCEPTED else "declined"


def _from_folder(folder: Path) -> int:
    if not folder.is_dir():
        return 0
    done = folder / "done"
    count = 0
    for path in sorted(folder.glob("*.eml")):
        reply_process(path.read_bytes())
        done.mkdir(exist_ok=True)
        path.replace(done / path.name)
        count += 1
    return count


def _from_imap() -> int:
    client_class = imaplib.IMAP4_SSL if settings.INVITATION_REPLY_IMAP_SSL else imaplib.IMAP4
    count = 0
    with client_class(settings.INVITATION_REPLY_IMAP_HOST, settings.INVITATION_REPLY_IMAP_PORT) as client:
        client.login(settings.INVITATION_REPLY_IMAP_USER, settings.INVITATION_REPLY_IMAP_PASSWORD)
        client.select(settings.INVITATION_REPLY_IMAP_FOLDER)
        _typ, data = client.search(None, "UNSEEN")
        for number in data[0].split():
            _typ, parts = client.fetch(number, "(RFC822)")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), b"")
            reply_process(raw)
            client.store(number, "+FLAGS", "\\Seen")  # only after the database committed the answer
            count += 1
    return count


def replies_collect() -> int:
    """Read new replies from the configured source. Returns how many e-mails were processed."""
    if getattr(settings, "INVITATION_REPLY_IMAP_HOST", ""):
        return _from_imap()
    return _from_folder(Path(getattr(settings, "INVITATION_REPLY_DIR", settings.VAR_DIR / "replies")))
