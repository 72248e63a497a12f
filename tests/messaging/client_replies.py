"""Calendar answers as real clients write them, from the fixture files in tests/messaging/replies/.

Each file is a whole e-mail (CRLF, folded lines, X- properties, a VTIMEZONE, base64 parts) with
placeholders for what differs per test: the UID, the addresses, the SEQUENCE and the times of
the invitation being answered. Blocks between @@BASE64@@ and @@END@@ are filled in, then
base64-encoded, as the clients send them."""

from __future__ import annotations

import base64
import datetime as dt
import re
import string
from email.utils import format_datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar

from interviewdesk.messaging.models import Message

REPLIES = Path(__file__).parent / "replies"
_BLOCK = re.compile(rb"@@BASE64@@\r\n(.*?)@@END@@\r\n", re.S)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y%m%dT%H%M%S")


def client_reply(fixture: str, message: Message, *, sender: str | None = None,
                 proposed: dt.datetime | None = None) -> bytes:
    """The fixture filled in as an answer to `message` (one of our REQUESTs), from its recipient
    unless `sender` says otherwise."""
    event = next(iter(Calendar.from_ical(message.ics).walk("VEVENT")))
    starts_at, ends_at = event.decoded("dtstart"), event.decoded("dtend")
    sender = sender or message.recipient_email
    proposed = proposed or starts_at + dt.timedelta(days=1)
    values = {
        "UID": str(event["uid"]), "ATTENDEE": message.recipient_email, "NAME": message.recipient_name,
        "FROM": sender, "DOMAIN": sender.rsplit("@", 1)[1], "ORGANIZER": settings.INVITATION_REPLY_ADDRESS,
        "SEQUENCE": str(message.ics_sequence), "STAMP": _utc(timezone.now()),
        "MAILDATE": format_datetime(timezone.now()), "SUBJECTDATE": timezone.localtime(starts_at).strftime("%c"),
        "DTSTART_UTC": _utc(starts_at), "DTEND_UTC": _utc(ends_at),
        "DTSTART_LOCAL": _local(starts_at), "DTEND_LOCAL": _local(ends_at),
        "PROPOSED_START_UTC": _utc(proposed), "PROPOSED_END_UTC": _utc(proposed + (ends_at - starts_at)),
    }
    raw = string.Template((REPLIES / fixture).read_bytes().decode()).substitute(values).encode()

    def encoded(block: re.Match) -> bytes:
        text = base64.b64encode(block.group(1))
        return b"".join(text[i:i + 76] + b"\r\n" for i in range(0, len(text), 76))

    return _BLOCK.sub(encoded, raw)
