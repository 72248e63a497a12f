"""Read queries for the staff pages. Each list runs a fixed number of queries whatever its length."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case, OuterRef, Prefetch, QuerySet, Subquery, When
from django.utils.translation import gettext_lazy as _

from interviewdesk.core.text import LazyText
from interviewdesk.procedures.models import Candidate, Procedure
from interviewdesk.scheduling.models import Appointment

from .models import DeviceCheck, ProblemReport, RoomRequest
from .readiness import FactColumns, Facts, is_ready, item_states, with_facts

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

COLUMNS = [
    ("accepted", _("Interview accepted")),
    ("phone", _("Phone confirmed")),
    ("equipment", _("Equipment")),
    ("device_check", _("Device check")),
    ("connection_test", _("Connection test")),
    ("room", _("Room request")),
    ("adjustments", _("Adjustments")),
    ("rules", _("Rules accepted")),
]
# Cell value → (label, badge class). Which values count as ready is readiness.READY_STATES.
CELL = {
    "yes": (_("yes"), "ok"),
    "no": (_("no"), "bad"),
    "ok": (_("ok"), "ok"),
    "warning": (_("warning"), "warn"),
    "fail": (_("failed"), "bad"),
    "missing": (_("something missing"), "warn"),
    "booked": (_("booked"), "warn"),
    "passed": (_("passed"), "ok"),
    "problems": (_("problems"), "bad"),
    "no_show": (_("no show"), "bad"),
    "closed": (_("no longer possible"), ""),
    "open": (_("open"), "warn"),
    "late": (_("open, late"), "bad"),
    "approved": (_("approved"), "ok"),
    "refused": (_("refused"), "bad"),
    "requested": (_("requested"), "warn"),
    "none": (_("—"), ""),
}


@dataclass
class Row:
    candidate: Candidate
    interview: Appointment | None
    cells: list[tuple[str, str, LazyText, str, LazyText]]  # (column code, value, label, badge, column label)
    ready: bool


class RowColumns(FactColumns):
    interviews: list[Appointment]  # the active interviews, earliest first (prefetched)


def readiness_candidates(procedure: Procedure) -> QuerySet[WithAnnotations[Candidate, RowColumns]]:
    return (
        with_facts(Candidate.objects.filter(procedure=procedure).select_related("readiness"))
        .prefetch_related(Prefetch(
            "appointments",
            queryset=Appointment.objects.filter(kind=Appointment.Kind.INTERVIEW,
                                                status__in=Appointment.ACTIVE_STATUSES).order_by("starts_at"),
            to_attr="interviews",
        ))
        .order_by("last_name", "first_name", "id")
    )


def _facts(candidate: WithAnnotations[Candidate, RowColumns], interview: Appointment | None, house_rules_version: int) -> Facts:
    return Facts(
        interview_status=interview.status if interview else None,
        interview_starts_at=interview.starts_at if interview else None,
        readiness=getattr(candidate, "readiness", None), house_rules_version=house_rules_version,
        check_verdict=candidate.check_verdict, test_outcome=candidate.test_outcome,
        room_status=candidate.room_status, room_late=bool(candidate.room_late),
        has_adjustments=candidate.has_adjustments,
    )


def readiness_rows(procedure: Procedure, only_not_ready: bool = False,
                   candidates: Iterable[WithAnnotations[Candidate, RowColumns]] | None = None) -> list[Row]:
    """One row per candidate of `candidates` (default: every candidate of the procedure)."""
    rows = []
    for candidate in readiness_candidates(procedure) if candidates is None else candidates:
        interview = candidate.interviews[0] if candidate.interviews else None
        values = item_states(_facts(candidate, interview, procedure.house_rules_version))
        cells: list[tuple[str, str, LazyText, str, LazyText]] = [(code, values[code], CELL[values[code]][0], CELL[values[code]][1], column)
                 for code, column in COLUMNS]
        ready = is_ready(values)
        if only_not_ready and ready:
            continue
        rows.append(Row(candidate, interview, cells, ready))
    return rows


def room_requests(procedure: Procedure) -> QuerySet[RoomRequest]:
    """Open requests first (late ones on top), each with the candidate's steps a room can be given for."""
    steps = (Appointment.objects.filter(status__in=Appointment.ACTIVE_STATUSES)
             .exclude(kind=Appointment.Kind.CONNECTION_TEST).order_by("starts_at"))
    return (RoomRequest.objects.filter(candidate__procedure=procedure)
            .select_related("candidate", "appointment", "room", "decided_by")
            .prefetch_related(Prefetch("candidate__appointments", queryset=steps, to_attr="steps"))
            .order_by(Case(When(status=RoomRequest.Status.OPEN, then=0), default=1), "-late", "created_at"))


def failed_device_checks(procedure: Procedure) -> QuerySet[DeviceCheck]:
    """Each candidate's latest check, when it failed."""
    latest = DeviceCheck.objects.filter(candidate=OuterRef("candidate")).order_by("-created_at", "-id").values("pk")[:1]
    return (DeviceCheck.objects.filter(candidate__procedure=procedure, pk=Subquery(latest),
                                       verdict=DeviceCheck.Verdict.FAIL)
            .select_related("candidate").order_by("-created_at"))


def open_problems(procedure: Procedure) -> QuerySet[ProblemReport]:
    return (ProblemReport.objects.filter(candidate__procedure=procedure, resolved_at__isnull=True)
            .select_related("candidate").order_by("created_at"))
