"""State changes on procedures and candidates. Every change is audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from interviewdesk.core.audit import audit_record
from interviewdesk.core.phones import normalize_phone

from .models import Candidate, Procedure
from .signals import candidate_changed

# Which status may follow which. A closed procedure can be reopened by the officer, with a reason.
PROCEDURE_TRANSITIONS: dict[str, set[str]] = {
    Procedure.Status.DRAFT: {Procedure.Status.OPEN},
    Procedure.Status.OPEN: {Procedure.Status.CLOSED},
    Procedure.Status.CLOSED: {Procedure.Status.OPEN},
}

CANDIDATE_FIELDS = ("first_name", "last_name", "email", "phone", "language", "date_of_birth", "cv_text",
                    "motivation")


def procedure_set_status(*, actor, procedure: Procedure, to: str, reason: str = "") -> Procedure:
    """The one place a procedure's status changes; refuses transitions not in PROCEDURE_TRANSITIONS."""
    if to not in Procedure.Status.values:
        raise ValidationError(_("Unknown status."))
    with transaction.atomic():
        locked = Procedure.objects.select_for_update().get(pk=procedure.pk)
        if to not in PROCEDURE_TRANSITIONS[locked.status]:
            raise ValidationError(
                _("A procedure that is %(from)s cannot become %(to)s.")
                % {"from": locked.get_status_display(), "to": Procedure.Status(to).label}
            )
        if locked.status == Procedure.Status.CLOSED and not reason.strip():
            raise ValidationError(_("Give the reason for reopening the procedure."))
        from_state = locked.status
        locked.status = to
        locked.save(update_fields=["status"])
        audit_record(actor=actor, action="procedure.status", obj=locked, procedure_id=locked.pk,
                     from_state=from_state, to_state=to, reason=reason.strip())
    return locked


def normalize_email(email: str) -> str:
    """Trimmed, with the domain in lower case (the part mail servers treat case-insensitively)."""
    return BaseUserManager.normalize_email((email or "").strip())


def _email_taken(procedure_id: int, email: str, exclude_pk: int | None = None) -> bool:
    others = Candidate.objects.filter(procedure_id=procedure_id, email__iexact=email)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def _email_taken_error() -> ValidationError:
    return ValidationError(
        {"email": _("Another candidate in this procedure already has this e-mail address.")}, code="unique"
    )


def _clean_values(values: dict) -> dict:
    unknown = set(values) - set(CANDIDATE_FIELDS)
    if unknown:
        raise ValueError(f"not candidate fields: {sorted(unknown)}")
    cleaned = dict(values)
    if "email" in cleaned:
        cleaned["email"] = normalize_email(cleaned["email"])
    if "phone" in cleaned:
        try:
            cleaned["phone"] = normalize_phone(cleaned["phone"])
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from exc
    for name in ("first_name", "last_name"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    return cleaned


def _save(candidate: Candidate) -> None:
    """Save; a concurrent insert of the same e-mail (unique constraint) becomes the same clear error."""
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:
        if _email_taken(candidate.procedure_id, candidate.email, exclude_pk=candidate.pk):
            raise _email_taken_error() from exc
        raise


@transaction.atomic
def candidate_create(*, actor, procedure: Procedure, **values) -> Candidate:
    """Add one candidate. The phone is stored in E.164; the e-mail is unique within the procedure."""
    cleaned = _clean_values(values)
    if _email_taken(procedure.pk, cleaned.get("email", "")):
        raise _email_taken_error()
    candidate = Candidate(procedure=procedure, **cleaned)
    candidate.full_clean(exclude=["procedure"], validate_constraints=False)
    _save(candidate)
    audit_record(actor=actor, action="candidate.created", obj=candidate, procedure_id=procedure.pk)
    return candidate


@transaction.atomic
def candidate_update(*, actor, candidate: Candidate, **values) -> Candidate:
    """Change a candidate's details; the audit entry lists each changed field from → to."""
    cleaned = _clean_values(values)
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    changes = {name: (getattr(locked, name), value) for name, value in cleaned.items()
               if getattr(locked, name) != value}
    if not changes:
        return locked
    if "email" in changes and _email_taken(locked.procedure_id, cleaned["email"], exclude_pk=locked.pk):
        raise _email_taken_error()
    for name, (_old, new) in changes.items():
        setattr(locked, name, new)
    locked.full_clean(exclude=["procedure"], validate_constraints=False)
    _save(locked)
    audit_record(actor=actor, action="candidate.updated", obj=locked, procedure_id=locked.procedure_id,
                 changes=changes)
    candidate_changed.send(sender=Candidate, candidate=locked, actor=actor, fields=tuple(changes))
    return locked


def candidates_import(*, actor, procedure: Procedure, rows: Iterable[dict]) -> int:
    """Create all candidates of a checked import at once, or none.

    The rows come from procedures.importing (already normalised and checked against the
    e-mails in the procedure at preview time). One audit entry records the count, not one
    per candidate. Raises ValidationError if an e-mail was added meanwhile.
    """
    candidates = [Candidate(procedure=procedure, **{k: row[k] for k in CANDIDATE_FIELDS}) for row in rows]
    try:
        with transaction.atomic():
            Candidate.objects.bulk_create(candidates, batch_size=500)
            audit_record(actor=actor, action="candidates.imported", obj=procedure, procedure_id=procedure.pk,
                         changes={"candidates": (None, len(candidates))})
    except IntegrityError as exc:
        raise ValidationError(
            _("Some of these e-mail addresses were added to the procedure meanwhile. Nothing was imported; "
              "check the file again."), code="unique"
        ) from exc
    return len(candidates)
