"""`{% email_part "guide.html" minutes=… %}`: a part of an e-mail rendered once, then reused.

Most of an invitation is the same for every candidate of a procedure in one language: what to
bring, what happens at the start, the rules, what happens if the connection breaks, who to
ask. Those parts live in messaging/email/parts/ and depend only on the active language and
the values passed to the tag, so `content.email_part` renders each combination once per
process and a bulk send of thousands of invitations reuses it (measured in docs/messaging.md).
"""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from interviewdesk.messaging.content import email_part as render_part

register = template.Library()


@register.simple_tag
def email_part(part: str, **values) -> str:
    # Safe: the part is rendered by its own template, which escapes (HTML) or not (text) as it should.
    return mark_safe(render_part(part, **values))  # noqa: S308
