"""Retention per procedure: when a closed procedure's candidate data are due for erasure, and the sweep
that erases them (registered in tasks.py, also run by `manage.py retention_sweep`)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from interviewdesk.core.audit import audit_record
from interviewdesk.core.models import AuditEntry
from interviewdesk.procedures.models import Candidate, Procedure

from ..models import CandidateErasure, RetentionPolicy
from .erasure import candidates_erase, erasure_plan


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """The same Brussels wall-clock time `months` later (31 January + 1 month: the last day of February).
    A time that does not exist that day (spring-forward night) reads with the offset before the change."""
    local = timezone.localtime(moment)
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day, tzinfo=timezone.get_current_timezone(), fold=0)


def retention_months(procedure: Procedure) -> int:
    policy = RetentionPolicy.objects.filter(procedure=procedure).first()
    return policy.months if policy else settings.RETENTION_MONTHS


def closed_at(procedure: Procedure) -> dt.datetime | None:
    """When the procedure was (last) closed: its latest "closed" status entry in the audit log, or,
    for a procedure closed without one, when it was created. None while it is not closed."""
    if procedure.status != Procedure.Status.CLOSED:
        return None
    at = (AuditEntry.objects.filter(object_type="procedures.procedure", object_id=str(procedure.pk),
                                    action="procedure.status", to_state=Procedure.Status.CLOSED)
          .order_by("-at", "-id").values_list("at", flat=True).first())
    return at or procedure.created_at


@dataclass(frozen=True)
class RetentionState:
    procedure: Procedure
    months: int
    closed_at: dt.datetime | None
    erase_at: dt.datetime | None  # None while the procedure is open

    @property
    def due(self) -> bool:
        return self.erase_at is not None and self.erase_at <= timezone.now()


def retention_state(procedure: Procedure) -> RetentionState:
    months = retention_months(procedure)
    closed = closed_at(procedure)
    return RetentionState(procedure, months, closed, add_months(closed, months) if closed else None)


def pending_candidate_ids(procedure: Procedure) -> list[int]:
    return list(Candidate.objects.filter(procedure=procedure).exclude(
        pk__in=CandidateErasure.objects.values("candidate_id")).values_list("pk", flat=True))


def due_procedures() -> list[RetentionState]:
    """Closed procedures whose retention period is over and that still hold a candidate not erased."""
    states = []
    for procedure in Procedure.objects.filter(status=Procedure.Status.CLOSED).order_by("pk"):
        state = retention_state(procedure)
        if state.due and pending_candidate_ids(procedure):
            states.append(state)
    return states


def retention_plan() -> list[tuple[RetentionState, int, dict[str, int]]]:
    """The dry run: per due procedure, how many candidates and what would be erased. Reads only."""
    plan = []
    for state in due_procedures():
        ids = pending_candidate_ids(state.procedure)
        plan.append((state, len(ids), erasure_plan(candidate_ids=ids)))
    return plan


BATCH = 200


def retention_sweep(*, actor_label: str = "worker") -> list[tuple[Procedure, int, dict[str, int]]]:
    """Erase the candidates of every procedure past its retention period. One transaction per group of
    candidates; audited per procedure with numbers only. Idempotent: erased candidates are skipped."""
    done = []
    for state in due_procedures():
        procedure = state.procedure
        total: dict[str, int] = {}
        erased = 0
        while True:
            with transaction.atomic():
                ids = pending_candidate_ids(procedure)[:BATCH]
                if not ids:
                    break
                counts = candidates_erase(candidate_ids=ids, cause=CandidateErasure.Cause.RETENTION)
                for key, count in counts.items():
                    total[key] = total.get(key, 0) + count
                erased += len(ids)
                audit_record(actor_label=actor_label, action="procedure.retention_erase", obj=procedure,
                             procedure_id=procedure.pk,
                             changes={"candidates": (None, len(ids)), **{k: (None, v) for k, v in counts.items()}},
                             reason="retention period over")
        done.append((procedure, erased, total))
    return done
