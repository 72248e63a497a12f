"""Turning an outbox row into an RFC 5322 message.

Structure, as calendar clients expect for a meeting request:

    multipart/mixed
      multipart/alternative
        text/plain
        text/html
        text/calendar; method=REQUEST; charset=UTF-8     (clients show Accept / Decline)
      application/ics; name=invite.ics                  (the same file, for clients that want a file)

Headers go through the standard library's email policy, which refuses line breaks in header
values; names are reduced to one line before they get here, so no header can be injected.
"""

from __future__ import annotations

import email.policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from django.conf import settings
from django.utils import timezone

from .ical import one_line
from .models import Message

# base64, not quoted-printable: the standard library encodes QP in pure Python, three times slower
# for these bodies; every client decodes both, and staff read messages in the mail log anyway.
CTE = "base64"
POLICY = email.policy.SMTP.clone(max_line_length=998)


def mail_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "interviewdesk.example"


def new_message_id() -> str:
    """Assigned when the row is queued, so a row keeps one Message-ID through every retry."""
    return make_msgid(idstring="interviewdesk", domain=mail_domain())


def _address(name: str, addr: str) -> Address:
    local, _at, domain = addr.strip().rpartition("@")
    return Address(display_name=one_line(name), username=local, domain=domain)


def build_mime(message: Message) -> EmailMessage:
    if not message.message_id:
        raise ValueError("a Message-ID is set before the message is built")
    mime = EmailMessage(policy=POLICY)
    from_name, from_addr = parseaddr(settings.DEFAULT_FROM_EMAIL)
    mime["From"] = _address(from_name, from_addr)
    mime["To"] = _address(message.recipient_name, message.recipient_email)
    if message.procedure_id:
        procedure = message.procedure
        mime["Reply-To"] = _address(procedure.contact_name, procedure.contact_email)
    mime["Subject"] = one_line(message.subject)
    mime["Date"] = format_datetime(timezone.now())
    mime["Message-ID"] = message.message_id
    mime["Auto-Submitted"] = "auto-generated"
    mime.set_content(message.body_text, subtype="plain", charset="utf-8", cte=CTE)
    if message.body_html:
        mime.add_alternative(message.body_html, subtype="html", charset="utf-8", cte=CTE)
    if message.ics:
        method = message.ics_method or "REQUEST"
        if not message.body_html:
            mime.make_alternative()
        mime.add_alternative(message.ics, subtype="calendar", charset="utf-8", cte=CTE,
                             params={"method": method})
        mime.add_attachment(message.ics.encode(), maintype="application", subtype="ics",
                            filename="invite.ics" if method != "CANCEL" else "cancel.ics")
    mime["Content-Language"] = message.language  # after the parts: adding content moves Content-* headers
    return mime
