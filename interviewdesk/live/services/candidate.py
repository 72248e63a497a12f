"""What the candidate does from their own page during a session: report a problem."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interviewdesk.core.audit import audit_record
from interviewdesk.scheduling.models import Appointment

from ..models import LIVE_STATES, ProblemReport, SessionEvent
from .machine import event_add, lock, session_current, touch

MAX_PROBLEM_LENGTH = 2000


def candidate_problem_report(*, appointment: Appointment, text: str) -> ProblemReport:
    """The candidate reports a problem; the proctor's console shows it at its next poll."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Describe the problem in a few words."))
    if len(text) > MAX_PROBLEM_LENGTH:
        raise ValidationError(_("Keep the description under %(n)s characters.") % {"n": MAX_PROBLEM_LENGTH})
    with transaction.atomic():
        session = lock(session_current(appointment))
        if session.state not in LIVE_STATES:
            raise ValidationError(_("Your session is not running: contact the contact person of the procedure."))
        now = timezone.now()
        report = ProblemReport.objects.create(session=session, at=now, text=text)
        event_add(session, SessionEvent.Kind.PROBLEM, actor_label="candidate", at=now, detail=text)
        touch(session)
        audit_record(action="live_session.problem_reported", obj=report, procedure_id=appointment.procedure_id,
                     actor_label="candidate")
        return report


def problem_acknowledge(*, actor, report: ProblemReport) -> ProblemReport:
    with transaction.atomic():
        session = lock(report.session)
        report = ProblemReport.objects.select_for_update().get(pk=report.pk)
        if report.acknowledged_at is None:
            report.acknowledged_at = timezone.now()
            report.acknowledged_by = actor
            report.save(update_fields=["acknowledged_at", "acknowledged_by"])
            touch(session)
            audit_record(actor=actor, action="live_session.problem_acknowledged", obj=report,
                         procedure_id=session.appointment.procedure_id)
        return report
