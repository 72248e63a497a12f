"""Bulk send: "send all pending invitations" of a procedure, with progress, resumable.

Starting is idempotent: while a run is unfinished, a second start returns it (a partial
unique constraint backs this up against two concurrent clicks). The run's first task splits
the procedure's pending candidates into groups of GROUP_SIZE and queues one task per group, so
as many workers as there are render groups side by side. Each group is one short transaction
that ends by queueing the group's delivery task; the group that leaves nothing pending marks the
run finished. A crash leaves the already-invited candidates invited (no longer pending) and the
sweep restarts the run (`bulk_send_run`, group after group), which continues with the rest;
so do candidates planned after the split. Nothing is sent twice: a group locks its
appointments and sends only those still "planned", and each calendar version has a dedupe key.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from interviewdesk.core.audit import audit_record
from interviewdesk.core.batching import deferred_inserts
from interviewdesk.procedures.models import Candidate
from interviewdesk.scheduling.models import Appointment

from ..content import connection_tests_prefetched
from ..links import personal_links_ensure
from ..models import BulkSend, Message
from .invitations import (
    appointments_for_sending,
    candidate_request_due,
    invitation_send_locked,
    sending_refusal,
)
from .shared_events import shared_events_lock


def pending_filter(procedure_id: int) -> Q:
    return Q(procedure_id=procedure_id, status=Appointment.Status.PLANNED, starts_at__gt=timezone.now())


def pending_appointments(procedure_id: int):
    return Appointment.objects.filter(pending_filter(procedure_id))


def bulk_send_start(*, procedure, actor=None) -> tuple[BulkSend, bool]:
    """The running bulk send of the procedure, or a new one. Returns (run, created)."""
    from .. import tasks  # (tasks imports this module: imported when used)

    running = BulkSend.objects.filter(procedure=procedure, finished_at__isnull=True).first()
    if running:
        return running, False
    try:
        with transaction.atomic():
            run = BulkSend.objects.create(procedure=procedure, started_by=actor,
                                          total=pending_appointments(procedure.pk).count())
            audit_record(actor=actor, action="bulk_send.started", obj=run, procedure_id=procedure.pk,
                         changes={"total": (None, run.total)})
            tasks.enqueue_bulk(run)
    except IntegrityError:
        return BulkSend.objects.get(procedure=procedure, finished_at__isnull=True), False
    return run, True


GROUP_SIZE = 50  # candidates per transaction and per delivery task (25 cost ≈ 8 % more worker CPU per invitation)


def bulk_send_split(*, run_id: int) -> int:
    """The run's first task: one group task per GROUP_SIZE pending candidates, queued together
    (workers take them in parallel). Returns the number of groups."""
    from .. import tasks  # (tasks imports this module: imported when used)

    run = BulkSend.objects.get(pk=run_id)
    candidate_ids = list(pending_appointments(run.procedure_id).order_by("candidate_id")
                         .values_list("candidate_id", flat=True).distinct())
    groups = [candidate_ids[i:i + GROUP_SIZE] for i in range(0, len(candidate_ids), GROUP_SIZE)]
    with transaction.atomic():
        for group in groups:
            tasks.enqueue_bulk_group(run, group)
        BulkSend.objects.filter(pk=run.pk).update(touched_at=timezone.now())
    if not groups:
        _finish_if_done(run)
    return len(groups)


def bulk_send_group(*, run_id: int, candidate_ids: list[int]) -> int:
    """One group task: send the group's pending invitations; the last group finishes the run."""
    run = BulkSend.objects.select_related("started_by").get(pk=run_id)
    sent = bulk_send_step(run=run, candidate_ids=candidate_ids)
    _finish_if_done(run)
    return sent


def _finish_if_done(run: BulkSend) -> None:
    """Mark the run finished once nothing of the procedure is pending. Called after a group has
    committed: of two groups ending together, the later one sees both committed."""
    if not pending_appointments(run.procedure_id).exists():
        BulkSend.objects.filter(pk=run.pk, finished_at__isnull=True).update(finished_at=timezone.now())


def bulk_send_step(*, run: BulkSend, candidate_ids: list[int] | None = None, limit: int = GROUP_SIZE) -> int:
    """Queue the invitations of a group of candidates (`candidate_ids`, else the first `limit`
    pending ones) in one transaction, with one delivery task for all of them. Returns how many
    appointments were sent (those already sent meanwhile are skipped).

    The group is locked and read in one query (with invitations and connection tests), its
    personal links are made sure of together, and every new row (links, invitations, messages, audit
    entries) is written with one INSERT per table when the group is done (core.batching)."""
    from .. import tasks  # (tasks imports this module: imported when used)

    if candidate_ids is None:
        candidate_ids = list(
            pending_appointments(run.procedure_id).order_by("candidate_id").values_list("candidate_id", flat=True)
            .distinct()[:limit]
        )
    with transaction.atomic(), connection_tests_prefetched(candidate_ids):
        appointments = [
            a for a in appointments_for_sending().filter(pending_filter(run.procedure_id), candidate_id__in=candidate_ids)
            .order_by("candidate_id", "starts_at")
            if sending_refusal(a) is None  # (the filter already says so; this is the one place that decides)
        ]
        shared_events_lock(appointments)
        with deferred_inserts() as written:
            # Every candidate keeps one link, made sure of for the whole group at once (one SELECT, one
            # INSERT for the new ones); their mails carry its placeholder (messaging.links).
            needing: dict[int, Candidate] = {}
            until: dict[int, dt.datetime] = {}
            for a in appointments:
                if candidate_request_due(a):
                    needing[a.candidate_id] = a.candidate
                    until[a.candidate_id] = max(until.get(a.candidate_id, a.ends_at), a.ends_at)
            mark = personal_links_ensure(candidates=list(needing.values()), needed_until=until,
                                         actor=run.started_by) if needing else ""
            for appointment in appointments:
                invitation_send_locked(appointment=appointment, actor=run.started_by, bulk_send=run, enqueue=False,
                                       personal_link=lambda: mark)
        tasks.enqueue_batch([m.pk for m in written.of(Message)])
        BulkSend.objects.filter(pk=run.pk).update(touched_at=timezone.now())
    return len(appointments)


def bulk_send_run(*, run_id: int) -> BulkSend:
    """The whole run in this process, group after group: how the sweep resumes a run whose tasks
    died (and what the tests call)."""
    run = BulkSend.objects.select_related("started_by").get(pk=run_id)
    while run.finished_at is None:
        if not bulk_send_step(run=run):
            BulkSend.objects.filter(pk=run.pk).update(finished_at=timezone.now())
            run.refresh_from_db()
    return run


def bulk_progress(run: BulkSend) -> dict:
    counts = Message.objects.filter(bulk_send=run, kind="invitation").aggregate(
        queued=Count("pk", filter=Q(state__in=[Message.State.QUEUED, Message.State.SENDING])),
        sent=Count("pk", filter=Q(state=Message.State.SENT)),
        failed=Count("pk", filter=Q(state=Message.State.FAILED)),
    )
    total = max(run.total, counts["queued"] + counts["sent"] + counts["failed"])
    done = counts["sent"] + counts["failed"]
    return {**counts, "total": total, "done": done, "finished": run.finished_at is not None and done >= total,
            "percent": round(100 * done / total) if total else 100}

