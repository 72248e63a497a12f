"""Conflict-of-interest declarations: each jury member declares before the interview; the chair
decides with reasons (the selection officer decides on the chair's own declaration)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interviewdesk.core.audit import audit_record
from interviewdesk.procedures.models import JuryMember
from interviewdesk.procedures.permissions import can
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.selectors import jury_seat

from ..models import ConflictDeclaration, SessionEvent, State
from .machine import event_add, lock, session_current

DECLARABLE_STATES = (State.SCHEDULED, State.CANDIDATE_WAITING, State.IDENTITY_CHECKED, State.RULES_CONFIRMED,
                     State.PREPARATION)


def declaration_submit(*, actor, appointment: Appointment, has_link: bool, link_description: str = "") -> ConflictDeclaration:
    link_description = link_description.strip()
    if jury_seat(actor, appointment) is None:
        raise ValidationError(_("Only a member of this interview's jury declares."))
    if has_link and not link_description:
        raise ValidationError(_("Describe the link with the candidate."))
    with transaction.atomic():
        session = lock(session_current(appointment))
        if session.state not in DECLARABLE_STATES:
            raise ValidationError(_("Declarations are made before part 1 starts."))
        now = timezone.now()
        try:
            with transaction.atomic():
                declaration = ConflictDeclaration.objects.create(
                    appointment=appointment, member=actor, has_link=has_link,
                    link_description=link_description if has_link else "", declared_at=now,
                )
        except IntegrityError as exc:
            raise ValidationError(_("You have already made your declaration for this interview.")) from exc
        event_add(session, SessionEvent.Kind.DECLARATION, actor=actor, at=now,
                  data={"member": str(actor), "has_link": has_link}, detail=declaration.link_description)
        audit_record(actor=actor, action="live_declaration.submitted", obj=declaration,
                     procedure_id=appointment.procedure_id, to_state="link" if has_link else "no_link")
        session.version += 1
        session.save(update_fields=["version", "updated_at"])
        return declaration


def may_decide(user, declaration: ConflictDeclaration) -> bool:
    """The chair decides on assessors; the selection officer on the chair. Nobody on themself."""
    appointment = declaration.appointment
    if user.pk == declaration.member_id:
        return False
    if user.is_superuser:
        return True
    seat = jury_seat(declaration.member, appointment)
    if seat is not None and seat.role == JuryMember.Role.CHAIR:
        return can(user, "appointment.manage", appointment.procedure_id)
    own = jury_seat(user, appointment)
    return own is not None and own.role == JuryMember.Role.CHAIR


def declaration_decide(*, actor, declaration: ConflictDeclaration, stays: bool, reason: str) -> ConflictDeclaration:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reasons for the decision."))
    if not may_decide(actor, declaration):
        raise ValidationError(_("The jury chair decides on an assessor's declaration, and the selection officer "
                                "on the chair's; nobody decides on their own."))
    with transaction.atomic():
        session = lock(session_current(declaration.appointment))
        locked = ConflictDeclaration.objects.select_for_update().get(pk=declaration.pk)
        if not locked.has_link:
            raise ValidationError(_("A declaration without a link needs no decision."))
        if locked.decision != ConflictDeclaration.Decision.PENDING:
            raise ValidationError(_("This declaration has already been decided."))
        if session.state not in DECLARABLE_STATES:
            raise ValidationError(_("Declarations are decided before part 1 starts."))
        now = timezone.now()
        locked.decision = ConflictDeclaration.Decision.STAYS if stays else ConflictDeclaration.Decision.WITHDRAWS
        locked.decision_reason = reason
        locked.decided_by = actor
        locked.decided_at = now
        locked.save()
        event_add(session, SessionEvent.Kind.DECISION, actor=actor, at=now,
                  data={"member": str(locked.member), "decision": locked.decision}, detail=reason)
        audit_record(actor=actor, action="live_declaration.decided", obj=locked,
                     procedure_id=locked.appointment.procedure_id, from_state="pending", to_state=locked.decision,
                     reason=reason)
        session.version += 1
        session.save(update_fields=["version", "updated_at"])
        return locked
