"""Reasonable adjustments: the candidate's request (with an optional certificate) and staff decisions per step.

A decision is made on an appointment, or ahead of planning for a kind of step (case, interview)
when the candidate has none yet: the planner gives them that time (portal.planning_needs), and
applying the plan copies the decision onto the appointments it made (`adjustments_ahead_attach`).

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

from ..models import AHEAD_STEPS, AdjustmentDecision, AdjustmentRequest
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
    decision = decision or AdjustmentDecision(request=request, appointment=appointment, step=appointment.kind)
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


@transaction.atomic
def adjustment_decide_ahead(*, actor, request: AdjustmentRequest, step: str, approved: bool,
                            extra_minutes: int = 0, note: str = "") -> AdjustmentDecision:
    """Approve or refuse the request for a kind of step (`AHEAD_STEPS`) before the candidate has such
    an appointment: the planner plans that step with the extra time. Changing it later changes
    the next plan; appointments that exist keep their own decisions."""
    if step not in AHEAD_STEPS:
        raise ValidationError(_("Extra time can be decided ahead only for the case or test and the interview."))
    if extra_minutes and not approved:
        raise ValidationError(_("Extra time can only be given with an approval."))
    decision = AdjustmentDecision.objects.select_for_update().filter(
        request=request, appointment__isnull=True, step=step).first()
    before = decision.extra_minutes if decision and decision.approved else 0
    from_state = "approved" if decision and decision.approved else "refused" if decision else "open"
    decision = decision or AdjustmentDecision(request=request, step=step)
    decision.approved = approved
    decision.extra_minutes = extra_minutes if approved else 0
    decision.note = note
    decision.decided_by = actor
    decision.save()
    audit_record(actor=actor, action="adjustment.decided_ahead", obj=decision,
                 procedure_id=request.candidate.procedure_id, from_state=from_state,
                 to_state="approved" if approved else "refused",
                 changes={"step": (None, step), "extra_minutes": (before, decision.extra_minutes)}, reason=note)
    return decision


def adjustments_ahead_attach(*, actor, appointments: list[Appointment]) -> int:
    """Copy each decision made ahead of planning onto the appointments of its kind of step that a
    plan has just created or moved (their times already include the extra time), where the
    appointment has no decision of its own. From then on the step's decision is the appointment's
    (live sessions, the candidate's page, later changes). Returns how many were copied."""
    appointments = [a for a in appointments if a.kind in AHEAD_STEPS]
    if not appointments:
        return 0
    ahead = {}
    for decision in AdjustmentDecision.objects.filter(
            appointment__isnull=True, request__candidate_id__in={a.candidate_id for a in appointments}
    ).select_related("request").order_by("request__created_at", "request_id"):
        ahead[(decision.request.candidate_id, decision.step)] = decision  # the newest request's wins
    decided = set(AdjustmentDecision.objects.filter(appointment__in=appointments).values_list(
        "appointment_id", flat=True))
    copied = 0
    for appointment in appointments:
        source = ahead.get((appointment.candidate_id, appointment.kind))
        if source is None or appointment.pk in decided:
            continue
        decision = AdjustmentDecision.objects.create(
            request=source.request, appointment=appointment, step=appointment.kind, approved=source.approved,
            extra_minutes=source.extra_minutes, note=source.note, decided_by=source.decided_by)
        audit_record(actor=actor, action="adjustment.decided", obj=decision, procedure_id=appointment.procedure_id,
                     from_state="open", to_state="approved" if source.approved else "refused",
                     changes={"extra_minutes": (0, source.extra_minutes)}, reason="decided before planning")
        copied += 1
    return copied


def on_extra_minutes_requested(sender, *, appointment, **kwargs) -> int:
    """The extra minutes approved as a reasonable adjustment for `appointment` (live asks when a
    session starts)."""
    minutes = AdjustmentDecision.objects.filter(appointment=appointment, approved=True).values_list(
        "extra_minutes", flat=True)
    return max(minutes, default=0)
