"""State changes of the privacy app: a procedure's retention period, erasing one candidate on request,
a data export handed out. Every one is audited, with numbers and codes only."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from interviewdesk.core.audit import audit_record
from interviewdesk.procedures.models import Candidate, Procedure
from interviewdesk.scheduling.models import Appointment

from ..models import CandidateErasure, RetentionPolicy
from .erasure import candidates_erase
from .retention import retention_months


def retention_policy_set(*, actor, procedure: Procedure, months: int) -> RetentionPolicy:
    if not 1 <= months <= 120:
        raise ValidationError(_("Choose a period between 1 and 120 months."))
    with transaction.atomic():
        before = retention_months(procedure)
        policy, _created = RetentionPolicy.objects.update_or_create(
            procedure=procedure, defaults={"months": months, "updated_by": actor})
        if before != months:
            audit_record(actor=actor, action="procedure.retention", obj=procedure, procedure_id=procedure.pk,
                         changes={"retention_months": (before, months)})
    return policy


def erasure_refusal(candidate: Candidate) -> str:
    """Why this candidate cannot be erased now ('' when they can)."""
    if CandidateErasure.objects.filter(candidate=candidate).exists():
        return _("This candidate's personal data have already been erased.")
    active = Appointment.objects.filter(candidate=candidate, status__in=Appointment.ACTIVE_STATUSES).count()
    if active:
        return ngettext(
            "This candidate still has %(count)d appointment that is planned, invited or confirmed. Cancel it "
            "first (the candidate is told), then erase the data.",
            "This candidate still has %(count)d appointments that are planned, invited or confirmed. Cancel them "
            "first (the candidate is told), then erase the data.", active) % {"count": active}
    return ""


def candidate_erase(*, actor, candidate: Candidate, reason: str) -> dict[str, int]:
    """Erase one candidate's personal data at their request. Refused while an appointment is active."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the erasure (without personal data)."))
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        refusal = erasure_refusal(locked)
        if refusal:
            raise ValidationError(refusal)
        counts = candidates_erase(candidate_ids=[locked.pk], cause=CandidateErasure.Cause.REQUEST, actor=actor)
        audit_record(actor=actor, action="candidate.erase", obj=locked, procedure_id=locked.procedure_id,
                     changes={key: (None, value) for key, value in counts.items()}, reason=reason)
    return counts


def candidate_export_record(*, actor, candidate: Candidate, file_format: str) -> None:
    """A copy of everything held on the candidate was handed out (to the officer or to the candidate)."""
    audit_record(actor=actor, actor_label="" if actor else "candidate", action="candidate.export", obj=candidate,
                 procedure_id=candidate.procedure_id, to_state=file_format)
