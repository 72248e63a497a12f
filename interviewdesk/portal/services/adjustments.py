"""Reasonable adjustments: the candidate's request (with an optional certificate) and staff decisions per step.

Certificates are special-category data: stored under MEDIA_ROOT (outside the web root, never
served by URL), read only through a view that requires "candidate.sensitive".
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from interviewdesk.core.audit import audit_record
from interviewdesk.procedures.models import Candidate
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_update

from ..models import AdjustmentDecision, AdjustmentRequest
from .candidate import overview_touch


@transaction.atomic
def adjustment_request_create(*, candidate: Candidate, kinds: list[str], details: str,
                              certificate=None) -> AdjustmentRequest:
    request = AdjustmentRequest(candidate=candidate, kinds=list(kinds), details=details)
    if certificate is not None:
        request.certificate_type = certificate.detected_type
        request.certificate.save("certificate", certificate, save=False)
    request.save()
    overview_touch(candidate.pk)
    audit_record(actor_label="candidate", action="adjustment_request.created", obj=request,
                 procedure_id=candidate.procedure_id,
                 changes={"kinds": (None, ",".join(kinds)), "certificate": (None, bool(certificate))})
    return request


@transaction.atomic
def adjustment_decide(*, actor, request: AdjustmentRequest, appointment: Appointment, approved: bool,
                      extra_minutes: int = 0, note: str = "") -> AdjustmentDecision:
    """Approve or refuse the request for one step. Approved extra time lengthens that appointment;
    changing the decision later adds or removes only the difference."""
    if appointment.candidate_id != request.candidate_id:
        raise ValueError("appointment of another candidate")
    if extra_minutes and not approved:
        raise ValidationError(_("Extra time can only be given with an approval."))
    decision = AdjustmentDecision.objects.select_for_update().filter(request=request, appointment=appointment).first()
    before = decision.extra_minutes if decision and decision.approved else 0
    after = extra_minutes if approved else 0
    if after != before:
        current_end = Appointment.objects.values_list("ends_at", flat=True).get(pk=appointment.pk)
        appointment_update(actor=actor, appointment=appointment,
                           ends_at=current_end + dt.timedelta(minutes=after - before),
                           reason="reasonable adjustment: extra time")
    decision = decision or AdjustmentDecision(request=request, appointment=appointment)
    from_state = "approved" if decision.pk and decision.approved else "refused" if decision.pk else "open"
    decision.approved = approved
    decision.extra_minutes = after
    decision.note = note
    decision.decided_by = actor
    decision.save()
    audit_record(actor=actor, action="adjustment.decided", obj=decision, procedure_id=appointment.procedure_id,
                 from_state=from_state, to_state="approved" if approved else "refused",
                 changes={"extra_minutes": (before, after)}, reason=note)
    return decision


def on_extra_minutes_requested(sender, *, appointment, **kwargs) -> int:
    """The extra minutes approved as a reasonable adjustment for `appointment` (live asks when a
    session starts)."""
    minutes = AdjustmentDecision.objects.filter(appointment=appointment, approved=True).values_list(
        "extra_minutes", flat=True)
    return max(minutes, default=0)
