"""The candidate's personal link in e-mails: stored as a placeholder, put in when the e-mail is sent.

An outbox row never holds a working link. A message that needs one is rendered with
`PERSONAL_LINK` where the link goes (text, HTML, calendar file) and flagged `personal_link`;
delivery asks the link keeper for the candidate's working link (the portal's
`access.access_links_for_delivery`, derived from a stored nonce and SECRET_KEY, never stored) and
`mime.build_mime` writes it into the bytes that go to the server. The mail log shows the placeholder
in words (`redacted`).

The links themselves belong to the portal, which sits above messaging: it registers a `LinkKeeper`
in its `ready()` (messaging never imports the portal).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

# Survives HTML escaping, iCalendar TEXT escaping and URI values unchanged (no & < > " ' ; , \).
PERSONAL_LINK = "[[personal-link]]"
REDACTED = "[personal link: put in when the e-mail is sent]"


@dataclass(frozen=True)
class LinkKeeper:
    """The app that makes, hands out and revokes candidates' personal links (keyword arguments as
    used below)."""

    ensure: Callable[..., None]
    for_delivery: Callable[..., dict[int, tuple[str, str]]]
    revoke: Callable[..., int]


_keeper: LinkKeeper | None = None


def link_keeper_register(keeper: LinkKeeper) -> None:
    global _keeper
    _keeper = keeper


def link_keeper() -> LinkKeeper:
    if _keeper is None:
        raise ImproperlyConfigured("No app keeps personal links: the portal registers one in its ready().")
    return _keeper


def personal_links_ensure(*, candidates, needed_until: dict[int, dt.datetime], actor=None) -> str:
    """Make sure each candidate has a working link that lasts at least a while after
    `needed_until[candidate id]` (portal settings), and return the placeholder to render."""
    link_keeper().ensure(candidates=candidates, needed_until=needed_until, actor=actor)
    return PERSONAL_LINK


def delivery_links(messages) -> dict[int, tuple[str, str]]:
    """{candidate id: (address, link)} for the flagged messages among `messages` (one query)."""
    ids = {m.candidate_id for m in messages if m.personal_link and m.candidate_id}
    if not ids:
        return {}
    return link_keeper().for_delivery(candidate_ids=ids)


def link_for(message, links: dict[int, tuple[str, str]]) -> str:
    """The link to put into `message`: the candidate's working link when the message still goes to
    the candidate's current address; otherwise (the link was switched off, or the address has changed
    since the message was queued) the portal's address, which works with no secret in it."""
    address, link = links.get(message.candidate_id, ("", ""))
    if link and address == message.recipient_email.strip().lower():
        return link
    return settings.SITE_URL + reverse("portal:overview")


def redacted(text: str) -> str:
    """For the mail log: the placeholder said in words."""
    return text.replace(PERSONAL_LINK, REDACTED) if text else text


_LOGICAL_LINES = re.compile(r"\r\n(?![ \t])")


def fill_ics(ics: str, link: str) -> str:
    """The calendar file with the link in place of the placeholder. Lines are folded at 75 octets,
    so a placeholder may span a fold: each logical line holding it is unfolded, filled and folded
    again; every other line is left byte for byte as it was."""
    if PERSONAL_LINK not in ics.replace("\r\n ", "").replace("\r\n\t", ""):
        return ics
    lines = []
    for line in _LOGICAL_LINES.split(ics):
        unfolded = line.replace("\r\n ", "").replace("\r\n\t", "")
        lines.append(fold(unfolded.replace(PERSONAL_LINK, link)) if PERSONAL_LINK in unfolded else line)
    return "\r\n".join(lines)


def fold(line: str) -> str:
    """RFC 5545 §3.1: at most 75 octets per line, continuation lines start with a space; a UTF-8
    character is never split."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # inside a multi-byte character
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74
    return "\r\n ".join(parts)
