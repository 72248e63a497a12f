"""The candidate's e-mail when their result is published, queued in the messaging outbox."""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils import timezone

from interviewdesk.core.phones import display_phone
from interviewdesk.messaging.services import Recipient, message_queue

from .models import Result

# The candidate may ask for more explanation within this many months of publication.
EXPLANATION_MONTHS = 2


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has fewer days (31 Dec + 2 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def result_context(result: Result) -> dict:
    appointment = result.appointment
    procedure = appointment.procedure
    published_day = timezone.localdate(result.published_at)
    return {
        "procedure": procedure,
        "candidate": appointment.candidate,
        "final_pct": result.final_pct,
        "pass_mark": procedure.pass_mark_pct,
        "passed": bool(result.passed),
        "explanation_until": add_months(published_day, EXPLANATION_MONTHS),
        "contact_name": procedure.contact_name,
        "contact_email": procedure.contact_email,
        "contact_phone": display_phone(procedure.contact_phone) if procedure.contact_phone else "",
    }


def result_mail_queue(*, result: Result):
    """Queue the "your result is available" mail; the dedupe key makes a second call a no-op."""
    candidate = result.appointment.candidate
    return message_queue(
        kind="result",
        to=Recipient(email=candidate.email, name=candidate.full_name, language=candidate.language),
        template="assessment_result",
        context=result_context(result),
        procedure=result.appointment.procedure,
        candidate=candidate,
        appointment=result.appointment,
        dedupe_key=f"result:{result.pk}",
    )
