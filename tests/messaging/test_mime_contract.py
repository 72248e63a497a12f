"""The hand-written MIME (messaging/mime.py) against the standard library: the bytes build_mime
writes, parsed back by the stdlib's email parser, carry what an EmailMessage built the library's way
carries, in every field that matters (headers, addresses, the parts' structure, types, charsets,
calendar method, attachment name and disposition, decoded contents), with no parser defects. A
change to either that breaks the equality fails here (issue 15: the speed-ups keep their contract)."""

from __future__ import annotations

import email
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parseaddr

import pytest
from django.conf import settings

from interviewdesk.messaging.ical import one_line
from interviewdesk.messaging.links import PERSONAL_LINK, fill_ics
from interviewdesk.messaging.mime import build_mime
from interviewdesk.messaging.models import Message
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.messaging.services.outbox import Recipient, message_queue
from tests.factories import ProcedureFactory
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db

HEADERS = ("Subject", "Message-ID", "Auto-Submitted", "MIME-Version", "Content-Language")
ADDRESSES = ("From", "To", "Reply-To")


def library_mime(message: Message, personal_link: str = "") -> bytes:
    """The same message built with the standard library's EmailMessage."""
    body_text, body_html, ics = message.body_text, message.body_html, message.ics
    if message.personal_link:
        body_text = body_text.replace(PERSONAL_LINK, personal_link)
        body_html = body_html.replace(PERSONAL_LINK, personal_link)
        ics = fill_ics(ics, personal_link)
    mail = EmailMessage(policy=policy.SMTP)
    name, addr = parseaddr(settings.DEFAULT_FROM_EMAIL)
    mail["From"] = Address(display_name=name, addr_spec=addr)
    mail["To"] = Address(display_name=message.recipient_name, addr_spec=message.recipient_email)
    if message.procedure_id:
        mail["Reply-To"] = Address(display_name=message.procedure.contact_name,
                                   addr_spec=message.procedure.contact_email)
    mail["Subject"] = one_line(message.subject)
    mail["Message-ID"] = message.message_id
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(body_text, charset="utf-8")
    if body_html:
        mail.add_alternative(body_html, subtype="html", charset="utf-8")
    if ics:
        method = message.ics_method if message.ics_method in ("REQUEST", "CANCEL") else "REQUEST"
        filename = "invite.ics" if method != "CANCEL" else "cancel.ics"
        if not body_html:
            mail.make_alternative()
        mail.add_alternative(ics, subtype="calendar", charset="utf-8", params={"method": method})
        mail.add_attachment(ics.encode(), maintype="application", subtype="ics", filename=filename)
    # Last: the library treats Content-* headers as the body's and moves them into a part when the
    # message becomes multipart.
    mail["Content-Language"] = message.language
    return mail.as_bytes()


def what_matters(raw: bytes) -> dict:
    parsed = email.message_from_bytes(raw, policy=policy.default)
    parts = list(parsed.walk())
    return {
        # (stripped: the library folds a long Message-ID onto its own line, a leading blank)
        "headers": {h: str(parsed[h]).strip() if parsed[h] is not None else None for h in HEADERS},
        "addresses": {h: [(a.display_name, a.addr_spec) for a in parsed[h].addresses] if parsed[h] else None
                      for h in ADDRESSES},
        "structure": [(p.get_content_type(), p.get_param("charset"), p.get_param("method"), p.get_filename(),
                       p.get_content_disposition()) for p in parts],
        "contents": [p.get_content().replace("\r\n", "\n") if p.get_content_maintype() == "text" else p.get_content()
                     for p in parts if not p.is_multipart()],
        "defects": [d for p in parts for d in p.defects],
    }


def _alert(**recipient) -> Message:
    procedure = ProcedureFactory(contact_name="Zoë Müller-Łukasiewicz")
    context = {"reason": "failed", "procedure": procedure, "who": "someone", "error": "x", "link": "http://x/"}
    return message_queue(kind="test", to=Recipient("person@example.net", **recipient), template="alert",
                         context=context, procedure=procedure, enqueue=False)


def _invitations(method: str = "REQUEST") -> list[Message]:
    messages = invitation_send(appointment=planned_interview(language="fr"))
    if method == "CANCEL":
        Message.objects.filter(pk__in=[m.pk for m in messages]).update(ics_method="CANCEL")
    return list(Message.objects.filter(pk__in=[m.pk for m in messages]).select_related("procedure"))


def test_a_text_only_message_with_non_ascii_names_and_subject():
    message = _alert(name="Françoise Dupré, née Lefèvre", language="fr")
    Message.objects.filter(pk=message.pk).update(subject="Entretien de sélection —  données\tété")
    message = Message.objects.select_related("procedure").get(pk=message.pk)
    assert what_matters(build_mime(message)) == what_matters(library_mime(message))


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_invitations_with_html_calendar_and_attachment(method):
    messages = _invitations(method)
    assert any(m.ics for m in messages) and any(m.body_html for m in messages)
    for message in messages:
        link = "https://interviewdesk.example/p/" + "a" * 43 if message.personal_link else ""
        ours, theirs = what_matters(build_mime(message, personal_link=link)), what_matters(library_mime(message, link))
        assert ours == theirs, message.kind
        assert ours["defects"] == []


def test_a_message_with_html_and_no_calendar():
    message = _invitations()[0]
    Message.objects.filter(pk=message.pk).update(ics="", ics_method="")
    message = Message.objects.select_related("procedure").get(pk=message.pk)
    link = "https://interviewdesk.example/p/" + "b" * 43
    assert what_matters(build_mime(message, personal_link=link)) == what_matters(library_mime(message, link))
