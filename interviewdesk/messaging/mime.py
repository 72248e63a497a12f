"""Turning an outbox row into an RFC 5322 message, as bytes ready for SMTP.

Structure, as calendar clients expect for a meeting request:

    multipart/mixed
      multipart/alternative
        text/plain
        text/html
        text/calendar; method=REQUEST; charset="utf-8"   (clients show Accept / Decline)
      application/ics; name=invite.ics                  (the same file, for clients that want a file)

Written directly as bytes rather than with the standard library's EmailMessage: building and
flattening an EmailMessage (header objects parsed and re-folded, content managers, the
generator) took about 7 ms per invitation, more than rendering it; writing the same structure
takes a fraction of a millisecond. What the library did for safety is kept here, explicitly:
a header value with a line break is refused (ValueError: the message fails, never goes out
with an injected header), non-ASCII names and subjects are RFC 2047 encoded, addresses must be
plain ASCII, bodies are base64 in lines of 76 characters.
"""

from __future__ import annotations

import binascii
import secrets
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from functools import lru_cache

from django.conf import settings
from django.utils import timezone

from .ical import one_line
from .links import PERSONAL_LINK, fill_ics
from .models import Message

CRLF = "\r\n"
_SPECIALS = set('()<>[]:;@\\,"')


@lru_cache(maxsize=4)
def _parsed_from(default_from: str) -> tuple[str, str]:
    return parseaddr(default_from)


@lru_cache(maxsize=4)
def _from_header(default_from: str) -> str:
    """The From header's value, written once per setting (an invalid one raises every time)."""
    return _address(*_parsed_from(default_from))


def sender_address() -> str:
    """The envelope sender (MAIL FROM) of every message."""
    return _parsed_from(settings.DEFAULT_FROM_EMAIL)[1]


def mail_domain() -> str:
    return sender_address().rpartition("@")[2] or "interviewdesk.example"


def new_message_id() -> str:
    """Assigned when the row is queued, so a row keeps one Message-ID through every retry."""
    return make_msgid(idstring="interviewdesk", domain=mail_domain())


def _no_break(value: str) -> str:
    if "\r" in value or "\n" in value:
        raise ValueError("a header value cannot contain a line break")
    return value


def _text_header(value: str) -> str:
    """A one-line unstructured value (Subject): as is when ASCII, RFC 2047 encoded otherwise.

    Encoded words of at most 42 bytes of UTF-8 (never splitting a character), one per folded
    line: each stays under the 75 characters RFC 2047 allows, each line under 78.
    (email.header.Header does the same at ten times the cost.)"""
    value = _no_break(value)
    if value.isascii() and len(value) <= 900:
        return value
    words, chunk = [], b""
    for char in value:
        encoded = char.encode("utf-8")
        if len(chunk) + len(encoded) > 42:
            words.append(chunk)
            chunk = b""
        chunk += encoded
    words.append(chunk)
    return (CRLF + " ").join(f"=?utf-8?b?{binascii.b2a_base64(w, newline=False).decode('ascii')}?=" for w in words)


def _address(name: str, addr: str) -> str:
    addr = _no_break(addr.strip())
    local, at, domain = addr.rpartition("@")
    if not at or not local or not domain or not addr.isascii() or any(c.isspace() or c in _SPECIALS
                                                                       for c in local + domain):
        raise ValueError(f"an address that cannot be written: {addr!r}")
    return formataddr((_no_break(one_line(name)), addr), charset="utf-8")


def _b64(data: bytes) -> str:
    """base64 in lines of 76 characters (RFC 2045)."""
    encoded = binascii.b2a_base64(data, newline=False).decode("ascii")
    return CRLF.join(encoded[i:i + 76] for i in range(0, len(encoded), 76))


def _part(content_type: str, body: str, extra: str = "", *, encoded: str | None = None) -> str:
    """A base64 part; `encoded`: the body already encoded (the calendar file goes in twice)."""
    return (f"Content-Type: {content_type}{CRLF}{extra}Content-Transfer-Encoding: base64{CRLF}{CRLF}"
            f"{encoded if encoded is not None else _b64(body.encode('utf-8'))}{CRLF}")


def _multipart(subtype: str, boundary: str, parts: list[str]) -> str:
    body = "".join(f"--{boundary}{CRLF}{part}" for part in parts)
    return f"Content-Type: multipart/{subtype}; boundary=\"{boundary}\"{CRLF}{CRLF}{body}--{boundary}--{CRLF}"


def build_mime(message: Message, *, personal_link: str = "") -> bytes:
    """The complete message (headers and body, CRLF line ends) for one outbox row. For a row
    flagged `personal_link`, `personal_link` replaces the placeholder (messaging.links) in the text,
    the HTML and the calendar file: the working link exists only in these bytes."""
    if not message.message_id:
        raise ValueError("a Message-ID is set before the message is built")
    headers = [
        f"From: {_from_header(settings.DEFAULT_FROM_EMAIL)}",
        f"To: {_address(message.recipient_name, message.recipient_email)}",
    ]
    procedure = message.procedure
    if procedure is not None:
        headers.append(f"Reply-To: {_address(procedure.contact_name, procedure.contact_email)}")
    headers += [
        f"Subject: {_text_header(one_line(message.subject))}",
        f"Date: {format_datetime(timezone.now())}",
        f"Message-ID: {_no_break(message.message_id)}",
        "Auto-Submitted: auto-generated",
        "MIME-Version: 1.0",
        f"Content-Language: {_no_break(message.language)}",
    ]
    body_text, body_html, ics_text = message.body_text, message.body_html, message.ics
    if message.personal_link:
        body_text = body_text.replace(PERSONAL_LINK, personal_link)
        body_html = body_html.replace(PERSONAL_LINK, personal_link)
        ics_text = fill_ics(ics_text, personal_link)
    text = _part('text/plain; charset="utf-8"', body_text)
    if not body_html and not ics_text:
        return (CRLF.join(headers) + CRLF + text).encode("ascii")
    alternatives = [text]
    if body_html:
        alternatives.append(_part('text/html; charset="utf-8"', body_html))
    # Boundaries: random, and base64 bodies never contain "=_" followed by letters, so they cannot clash.
    token = secrets.token_hex(12)
    if not ics_text:
        return (CRLF.join(headers) + CRLF + _multipart("alternative", f"=_alt{token}", alternatives)).encode("ascii")
    method = message.ics_method if message.ics_method in ("REQUEST", "CANCEL") else "REQUEST"
    ics = _b64(ics_text.encode("utf-8"))
    alternatives.append(_part(f'text/calendar; charset="utf-8"; method="{method}"', ics_text, encoded=ics))
    filename = "invite.ics" if method != "CANCEL" else "cancel.ics"
    attachment = _part(f'application/ics; name="{filename}"', ics_text, encoded=ics,
                       extra=f'Content-Disposition: attachment; filename="{filename}"{CRLF}')
    alternative = _multipart("alternative", f"=_alt{token}", alternatives)
    mixed = _multipart("mixed", f"=_mix{token}", [alternative, attachment])
    return (CRLF.join(headers) + CRLF + mixed).encode("ascii")
