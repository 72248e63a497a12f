from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from interviewdesk.core.phones import display_phone

register = template.Library()


@register.filter
def phone(e164: str) -> str:
    return display_phone(e164 or "")


@register.filter
def epoch_ms(value: dt.datetime | None) -> str:
    """A datetime as milliseconds since the epoch, for the client-side countdown."""
    return str(int(value.timestamp() * 1000)) if value else ""


@register.filter
def remaining(deadline: dt.datetime | None) -> str:
    """m:ss until the deadline (0:00 when passed): the countdown as the server sees it, without JS."""
    if deadline is None:
        return ""
    seconds = max(0, int((deadline - timezone.now()).total_seconds()))
    return f"{seconds // 60}:{seconds % 60:02d}"
