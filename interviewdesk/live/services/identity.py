"""The identity check: the document type and the result, never an image or a document number."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import IdentityCheck, LiveSession, SessionEvent, State, StopCode
from .machine import IllegalTransition, apply, event_add, lock


def session_identity_record(*, actor, session: LiveSession, document_type: str, result: str,
                            note: str = "") -> LiveSession:
    """Record the check. A match moves the session on; a mismatch or no document stops it."""
    if result not in IdentityCheck.Result.values or document_type not in IdentityCheck.Document.values:
        raise ValidationError(_("Choose the document and the result."))
    if result == IdentityCheck.Result.MATCH and document_type == IdentityCheck.Document.NONE:
        raise ValidationError(_("An identity cannot match without a document."))
    note = note.strip()
    with transaction.atomic():
        locked = lock(session)
        if locked.state != State.CANDIDATE_WAITING:
            raise IllegalTransition(
                _("The identity is checked while the candidate waits in the lobby; this session is “%(state)s”.")
                % {"state": State(locked.state).label}
            )
        now = timezone.now()
        IdentityCheck.objects.create(session=locked, document_type=document_type, result=result, note=note,
                                     checked_by=actor, checked_at=now)
        event_add(locked, SessionEvent.Kind.IDENTITY, actor=actor, at=now,
                  data={"document": document_type, "result": result}, detail=note)
        if result == IdentityCheck.Result.MATCH:
            apply(locked, State.IDENTITY_CHECKED, actor=actor, now=now)
        else:
            apply(locked, State.STOPPED, actor=actor, reason=note, now=now, stop_code=StopCode.IDENTITY,
                  stop_params={"result": result, "document": document_type})
        return locked
