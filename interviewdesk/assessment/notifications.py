"""The candidate's e-mails about their result, queued in the messaging outbox: when it is
published, and when a published result is corrected (score or pass/fail changed)."""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils import timezone

from interviewdesk.core.phones import display_phone
from interviewdesk.messaging.links import personal_links_ensure
from interviewdesk.messaging.services import Recipient, message_queue

from .models import Result

# The candidate may ask for more explanation within this many months of publication.
EXPLANATION_MONTHS = 2


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has fewer days (31 Dec + 2 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def result_context(result: Result, *, decided_on: dt.date | None = None) -> dict:
    """`decided_on`: the day the candidate learns this result (publication, or a correction),
    from which they have EXPLANATION_MONTHS to ask for more explanation."""
    appointment = result.appointment
    procedure = appointment.procedure
    published_day = decided_on or timezone.localdate(result.published_at)
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


def _queue(result: Result, *, kind: str, template: str, context: dict, dedupe_key: str):
    """The mail carries the candidate's personal link, kept working until a while after the period
    to ask for an explanation (messaging.links: the row holds a placeholder, delivery the link)."""
    candidate = result.appointment.candidate
    until = context["explanation_until"] + dt.timedelta(days=1)
    personal_links_ensure(candidates=[candidate], needed_until={
        candidate.pk: timezone.make_aware(dt.datetime.combine(until, dt.time.min))})
    return message_queue(
        kind=kind,
        to=Recipient(email=candidate.email, name=candidate.full_name, language=candidate.language),
        template=template, context=context, procedure=result.appointment.procedure, candidate=candidate,
        appointment=result.appointment, dedupe_key=dedupe_key, personal_link=True,
    )


def result_mail_queue(*, result: Result):
    """Queue the "your result is available" mail; the dedupe key makes a second call a no-op."""
    return _queue(result, kind="result", template="assessment_result", context=result_context(result),
                  dedupe_key=f"result:{result.pk}")


def result_corrected_mail_queue(*, result: Result, correction_id: int):
    """Queue the "your result was corrected" mail for one correction (its audit entry)."""
    return _queue(result, kind="result_corrected", template="assessment_result",
                  context={**result_context(result, decided_on=timezone.localdate()), "corrected": True},
                  dedupe_key=f"result:{result.pk}:correction:{correction_id}")
