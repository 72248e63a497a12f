"""Writing many rows with one statement per model instead of one per row.

A bulk send creates, per candidate, a personal link, an invitation, a message and a few audit
entries, and changes the appointment's status. Saved one by one that is a round trip (and ORM
work) per row: 15.4 statements per invitation, against about 19 per group of 50 (0.4 per
invitation) written this way, and 138 → 193 messages/s in `make bench` (docs/messaging.md); inside `deferred_inserts()` the services hand their new rows to `insert()` and
their changed rows to `update()`, and they are written together when the block ends: first
the changes (one UPDATE per model and set of values: a bulk send sets the same status on a
whole group), then one `bulk_create` per model, in the order the models were first seen.
Audit entries go last: they describe the other rows, and an entry about a row created in the
same block learns that row's id only once it is written (see core.audit).

Rules for code inside the block:
- a row handed to `insert()` has no primary key until the block ends, so nothing may refer
  to it by id before then (a foreign key to it, a query for it); a row handed to `update()`
  keeps its old values in the database until then (the caller holds its lock, and reads the
  instance, not the table);
- the block must end inside the same transaction as the change that caused the rows (wrap it
  in `transaction.atomic()`), so they commit or roll back together;
- `bulk_create` sends no `post_save` signals and calls no `save()`, and `QuerySet.update` neither:
  only models without a `save()` of their own and without `pre_save`/`post_save` receivers may be
  deferred (today AccessToken, Invitation, Message, AuditEntry, Appointment). The block refuses any
  other when it writes (`refuse_unless_deferrable`), rather than skip its code silently;
  `auto_now` fields get one time for the whole block.

Outside the block `insert()` and `update()` are a plain `save()`, so the same service code
serves single changes and bulk ones.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.db import models
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from .models import AuditEntry

M = TypeVar("M", bound=models.Model)


def refuse_unless_deferrable(model: type[models.Model]) -> None:
    """TypeError when writing `model` in bulk would skip code: its own `save()`, or receivers of
    `pre_save`/`post_save`, which `bulk_create` and `QuerySet.update` never call."""
    if model.save is not models.Model.save:
        raise TypeError(f"{model.__name__} has its own save(): it cannot be written in bulk (core.batching)")
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
        raise TypeError(f"{model.__name__} has pre_save/post_save receivers: it cannot be written in bulk "
                        "(core.batching)")


class Pending:
    """The rows collected by one `deferred_inserts()` block, grouped by model."""

    def __init__(self) -> None:
        self.rows: dict[type[models.Model], list[models.Model]] = {}
        self.before_write: list[tuple[models.Model, Callable[[models.Model], None]]] = []
        # (model, field names, their values) → the rows that get exactly these values
        self.changes: dict[tuple, list] = {}

    def add(self, obj: models.Model, before_write: Callable[[Any], None] | None) -> None:
        self.rows.setdefault(type(obj), []).append(obj)
        if before_write:
            self.before_write.append((obj, before_write))

    def of(self, model: type[models.Model]) -> list[models.Model]:
        """The collected rows of `model` (with their ids once the block has ended)."""
        return self.rows.get(model, [])

    def change(self, obj: models.Model, fields: list[str]) -> None:
        model = type(obj)
        names = tuple(sorted(f for f in fields if not getattr(model._meta.get_field(f), "auto_now", False)))
        values = tuple(getattr(obj, _attname(model, f)) for f in names)
        self.changes.setdefault((model, names, values), []).append(obj)

    def write(self) -> None:
        for model in {model for model, _names, _values in self.changes} | set(self.rows):
            refuse_unless_deferrable(model)
        now = timezone.now()
        for (model, names, values), objs in self.changes.items():
            stamped = {f.attname: now for f in model._meta.concrete_fields if getattr(f, "auto_now", False)}
            for obj in objs:
                for attname, value in stamped.items():
                    setattr(obj, attname, value)
            model._default_manager.filter(pk__in=[obj.pk for obj in objs]).update(
                **{_attname(model, f): v for f, v in zip(names, values, strict=True)}, **stamped)

        order = [m for m in self.rows if m is not AuditEntry] + ([AuditEntry] if AuditEntry in self.rows else [])
        hooks: dict[int, list[Callable]] = {}
        for obj, hook in self.before_write:
            hooks.setdefault(id(obj), []).append(hook)
        for model in order:
            rows = self.rows[model]
            for obj in rows:
                for hook in hooks.get(id(obj), ()):
                    hook(obj)
            model._default_manager.bulk_create(rows)


_PENDING: contextvars.ContextVar[Pending | None] = contextvars.ContextVar("deferred_inserts", default=None)


@contextlib.contextmanager
def deferred_inserts() -> Iterator[Pending]:
    """Collect the rows `insert()` is given in this block and write them when it ends without error.
    An error discards them (the surrounding transaction rolls back the rest)."""
    if _PENDING.get() is not None:
        raise RuntimeError("deferred_inserts() blocks do not nest")
    pending = Pending()
    token = _PENDING.set(pending)
    try:
        yield pending
    finally:
        _PENDING.reset(token)
    pending.write()


def _attname(model: type[models.Model], name: str) -> str:
    """The column attribute of a field given by name or attname ("jury" → "jury_id")."""
    field = model._meta.get_field(name)
    return field.attname if isinstance(field, models.Field) else name


def insert(obj: M, *, before_write: Callable[[M], None] | None = None) -> M:
    """Create `obj`: now, or at the end of the enclosing `deferred_inserts()` block.
    `before_write(obj)` runs just before the row is written (to fill in another new row's id)."""
    pending = _PENDING.get()
    if pending is None:
        if before_write:
            before_write(obj)
        obj.save(force_insert=True)
    else:
        pending.add(obj, before_write)
    return obj


def update(obj: models.Model, fields: list[str]) -> models.Model:
    """Save `fields` of an existing row: now, or at the end of the enclosing `deferred_inserts()`
    block, together with every other row of the model that gets the same values."""
    pending = _PENDING.get()
    if pending is None:
        obj.save(update_fields=fields)
    else:
        pending.change(obj, fields)
    return obj


def deferring() -> bool:
    """Whether new rows are being collected (their ids are not known yet)."""
    return _PENDING.get() is not None
