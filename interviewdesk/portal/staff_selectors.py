"""Read queries for the staff pages. Each list runs a fixed number of queries whatever its length."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Exists, OuterRef, Prefetch, QuerySet, Subquery, When
from django.utils.translation import gettext_lazy as _

from interviewdesk.procedures.models import Candidate, Procedure
from interviewdesk.scheduling.models import Appointment

from .models import AdjustmentRequest, ConnectionTestBooking, DeviceCheck, ProblemReport, RoomRequest
from .readiness import Facts, is_ready, item_states

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
    cells: list[tuple[str, str, str, str, str]]  # (column code, value, label, badge, column label)
    ready: bool


def _latest(model, field: str):
    return Subquery(model.objects.filter(candidate=OuterRef("pk")).order_by("-created_at", "-id").values(field)[:1])


def readiness_candidates(procedure: Procedure) -> QuerySet[Candidate]:
    active_booking = ConnectionTestBooking.objects.filter(
        candidate=OuterRef("pk"), appointment__status__in=Appointment.ACTIVE_STATUSES
    ).order_by("-created_at")
    return (
        Candidate.objects.filter(procedure=procedure)
        .select_related("readiness")
        .annotate(
            check_verdict=_latest(DeviceCheck, "verdict"),
            test_outcome=Subquery(active_booking.values("outcome")[:1]),
            room_status=_latest(RoomRequest, "status"),
            room_late=_latest(RoomRequest, "late"),
            has_adjustments=Exists(AdjustmentRequest.objects.filter(candidate=OuterRef("pk"))),
        )
        .prefetch_related(Prefetch(
            "appointments",
            queryset=Appointment.objects.filter(kind=Appointment.Kind.INTERVIEW,
                                                status__in=Appointment.ACTIVE_STATUSES).order_by("starts_at"),
            to_attr="interviews",
        ))
        .order_by("last_name", "first_name", "id")
    )


def _facts(candidate: Candidate, interview: Appointment | None, house_rules_version: int) -> Facts:
    return Facts(
        interview_status=interview.status if interview else None,
        interview_starts_at=interview.starts_at if interview else None,
        readiness=getattr(candidate, "readiness", None), house_rules_version=house_rules_version,
        check_verdict=candidate.check_verdict, test_outcome=candidate.test_outcome,
        room_status=candidate.room_status, room_late=bool(candidate.room_late),
        has_adjustments=candidate.has_adjustments,
    )


def readiness_rows(procedure: Procedure, only_not_ready: bool = False, candidates=None) -> list[Row]:
    """One row per candidate of `candidates` (default: every candidate of the procedure)."""
    rows = []
    for candidate in readiness_candidates(procedure) if candidates is None else candidates:
        interview = candidate.interviews[0] if candidate.interviews else None
        values = item_states(_facts(candidate, interview, procedure.house_rules_version))
        cells = [(code, values[code], CELL[values[code]][0], CELL[values[code]][1], column)
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
