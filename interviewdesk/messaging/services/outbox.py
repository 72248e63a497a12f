"""Putting messages in the outbox.

`message_queue` renders an e-mail from templates in the recipient's language and stores
it as a queued row. Call it inside the transaction of the change that causes the message:
the row (and the task that sends it) commit or roll back with that change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from interviewdesk.core.batching import deferring, insert

from ..ical import one_line
from ..links import PERSONAL_LINK
from ..mime import new_message_id
from ..models import Message


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    language: str = "en"


_SPACES = re.compile(r"[ \t\r\n]+")


def _render(template: str, context: dict, language: str) -> tuple[str, str, str]:
    """(subject, text, html) from messaging/email/<template>.subject.txt / .txt / .html (html optional)."""
    with translation.override(language):
        # Runs of ASCII white space only: str.split() would also eat the narrow no-break space French
        # puts before a colon ("Invitation : …").
        subject = _SPACES.sub(" ", render_to_string(f"messaging/email/{template}.subject.txt", context)).strip()
        text = render_to_string(f"messaging/email/{template}.txt", context)
        html: str
        try:
            html = render_to_string(f"messaging/email/{template}.html", context)
        except Exception as exc:  # TemplateDoesNotExist: plain-text only message
            if exc.__class__.__name__ != "TemplateDoesNotExist":
                raise
            html = ""
    return subject, text, html


@transaction.atomic(savepoint=False)  # inside a caller's transaction, no savepoint of its own
def message_queue(
    *,
    kind: str,
    to: Recipient,
    template: str,
    context: dict,
    procedure=None,
    candidate=None,
    appointment=None,
    ics: str = "",
    ics_method: str = "",
    ics_sequence: int | None = None,
    bulk_send=None,
    dedupe_key: str | None = None,
    enqueue: bool = True,
    dedupe_lookup: bool = True,
    personal_link: bool = False,
) -> Message:
    """Render and queue one e-mail. With a `dedupe_key` already used, return the existing row instead.

    The delivery task is written in the same transaction; `enqueue=False` leaves that to the
    caller (bulk sends deliver their rows in batches), and the outbox sweep finds any row anyway.
    `dedupe_lookup=False`: the caller knows no row has this key (the unique constraint still
    refuses a duplicate), which saves a query per message in a bulk send.

    Inside `core.batching.deferred_inserts()` the row is written when the block ends, so it has no
    id yet and cannot be handed to a task here: the caller enqueues it after the block.

    `personal_link`: the message is for `candidate` and carries their personal link. The templates get
    `personal_link` = `links.PERSONAL_LINK` (the caller made sure the link exists, with
    `links.personal_links_ensure`) and delivery puts the working link in; the row never holds it."""
    if enqueue and deferring():
        raise RuntimeError("a deferred message gets its id at the end of the block: enqueue it after")
    if personal_link:
        if candidate is None:
            raise ValueError("a personal link needs the candidate it belongs to")
        context = {**context, "personal_link": PERSONAL_LINK}
    if dedupe_key and dedupe_lookup:
        existing = Message.objects.filter(dedupe_key=dedupe_key).first()
        if existing:
            return existing
    language = to.language if to.language in dict(settings.LANGUAGES) else "en"
    to = Recipient(email=to.email.strip(), name=one_line(to.name)[:200], language=language)
    subject, text, html = _render(template, {**context, "recipient": to}, to.language)
    message = insert(Message(
        kind=kind, procedure=procedure, candidate=candidate, appointment=appointment, bulk_send=bulk_send,
        recipient_name=to.name, recipient_email=to.email, language=to.language,
        subject=one_line(subject)[:300], body_text=text, body_html=html, ics=ics, ics_method=ics_method,
        ics_sequence=ics_sequence, dedupe_key=dedupe_key, message_id=new_message_id(), personal_link=personal_link,
    ))
    if enqueue:  # a bulk send hands its rows to one batch task instead
        _enqueue_delivery(message)
    return message


def _enqueue_delivery(message: Message) -> None:
    """Hand the row to the worker: the task row is written in this same transaction."""
    from .. import tasks  # (tasks imports this module: imported when used)

    tasks.enqueue_delivery(message)
