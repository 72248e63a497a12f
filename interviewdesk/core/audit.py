"""Writing the audit log. Every state change in the product goes through audit_record."""

from __future__ import annotations

from typing import Any

from django.db import models

from .batching import insert
from .models import AuditEntry


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def audit_record(
    *,
    actor: Any = None,
    action: str,
    obj: models.Model,
    procedure_id: int | None = None,
    from_state: str = "",
    to_state: str = "",
    changes: dict[str, tuple[Any, Any]] | None = None,
    reason: str = "",
    actor_label: str = "",
    client_address: str | None = None,
) -> AuditEntry:
    """Record one change. `actor` is a staff user, or None with an `actor_label` (worker, candidate).

    Inside `core.batching.deferred_inserts()` the entry is written when the block ends, after the
    rows it may describe; an `obj` created in the same block gets its id filled in then."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        actor=user,
        actor_label=actor_label or ("" if user else "system"),
        action=action,
        object_type=obj._meta.label_lower,
        object_id="" if obj.pk is None else str(obj.pk),
        procedure_id=procedure_id,
        from_state=from_state or "",
        to_state=to_state or "",
        changes={k: [_jsonable(a), _jsonable(b)] for k, (a, b) in (changes or {}).items()},
        reason=reason,
        client_address=client_address or None,
    )
    if obj.pk is None:  # a row that is itself waiting in the same deferred_inserts() block
        return insert(entry, before_write=lambda e: setattr(e, "object_id", str(obj.pk)))
    return insert(entry)


def audit_history(obj: models.Model):
    """The audit entries of one object, newest first."""
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related(
        "actor"
    )
