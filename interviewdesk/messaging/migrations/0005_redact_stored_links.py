"""Take the working personal links out of the outbox rows written before links were put in at delivery.

Sent and failed rows get the link said in words (what the mail log shows from now on). Rows still
waiting to go out get the placeholder, so the worker puts the candidate's link in when it sends
them; a candidate who only has a link from before gets a new one for that (the old one keeps
working). Self-contained on purpose: a migration must not change when the code it once used does.
"""

import base64
import datetime as dt
import hashlib
import re
import secrets

from django.conf import settings
from django.db import migrations
from django.utils import timezone
from django.utils.crypto import salted_hmac

LINK = re.compile(r"https?://[^\s\"'<>]*?/p/[A-Za-z0-9_-]{43}/")
PERSONAL_LINK = "[[personal-link]]"  # messaging.links.PERSONAL_LINK
REDACTED = "[personal link: put in when the e-mail is sent]"  # messaging.links.REDACTED


def _fold(line: str) -> str:
    data = line.encode("utf-8")
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74
    return "\r\n ".join(parts) if parts else line


def _ics(ics: str, replacement: str) -> str:
    unfolded = ics.replace("\r\n ", "").replace("\r\n\t", "")
    if not LINK.search(unfolded):
        return ics
    lines = [_fold(LINK.sub(replacement, line)) if LINK.search(line) else _fold(line) for line in unfolded.split("\r\n")]
    return "\r\n".join(lines)


def _new_token(AccessToken, candidate_id: int):
    nonce = secrets.token_hex(32)
    digest = salted_hmac("interviewdesk.portal.access_link", nonce, algorithm="sha256").digest()  # portal.access
    raw = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    days = getattr(settings, "PORTAL_LINK_DAYS_AFTER_USE", 30)
    AccessToken.objects.create(candidate_id=candidate_id, nonce=nonce, token_hash=hashlib.sha256(raw.encode()).hexdigest(),
                               expires_at=timezone.now() + dt.timedelta(days=days))


def redact(apps, schema_editor):
    Message = apps.get_model("messaging", "Message")
    AccessToken = apps.get_model("portal", "AccessToken")
    waiting = set()
    # (a calendar file may fold "/p/" over two lines: every row with one is looked at)
    rows = Message.objects.filter(body_text__contains="/p/") | Message.objects.exclude(ics="")
    for message in rows.iterator():
        before = (message.body_text, message.body_html, message.ics)
        pending = message.state in ("queued", "sending") and message.candidate_id is not None
        replacement = PERSONAL_LINK if pending else REDACTED
        message.body_text = LINK.sub(replacement, message.body_text)
        message.body_html = LINK.sub(replacement, message.body_html)
        message.ics = _ics(message.ics, replacement)
        if (message.body_text, message.body_html, message.ics) == before:
            continue
        message.personal_link = pending
        message.save(update_fields=["body_text", "body_html", "ics", "personal_link"])
        if pending:
            waiting.add(message.candidate_id)
    for candidate_id in waiting:
        if not AccessToken.objects.filter(candidate_id=candidate_id, revoked_at__isnull=True).exclude(nonce="").exists():
            _new_token(AccessToken, candidate_id)


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0004_personal_link_at_delivery"),
        ("portal", "0004_personal_link_at_delivery"),
    ]

    operations = [migrations.RunPython(redact, migrations.RunPython.noop)]
