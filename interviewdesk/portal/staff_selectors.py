"""Read queries for the staff pages. Each list runs a fixed number of queries whatever its length."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Exists, OuterRef, Prefetch, QuerySet, Subquery, When
from django.utils.translation import gettext_lazy as _

from interviewdesk.procedures.models import Candidate, Procedure
from interviewdesk.scheduling.models import Appointment

from .models import AdjustmentRequest, ConnectionTestBooking, DeviceCheck, ProblemReport, RoomRequest

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
# Cell value → (label, badge class, counts as ready)
CELL = {
    "yes": (_("yes"), "ok", True),
    "no": (_("no"), "bad", False),
    "ok": (_("ok"), "ok", True),
    "warning": (_("warning"), "warn", True),
    "fail": (_("failed"), "bad", False),
    "missing": (_("something missing"), "warn", True),
    "booked": (_("booked"), "warn", True),
    "passed": (_("passed"), "ok", True),
    "problems": (_("problems"), "bad", False),
    "no_show": (_("no show"), "bad", False),
    "open": (_("open"), "warn", False),
    "late": (_("open, late"), "bad", False),
    "approved": (_("approved"), "ok", True),
    "refused": (_("refused"), "bad", True),
    "requested": (_("requested"), "warn", True),
    "none": (_("—"), "", True),
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


def _values(candidate: Candidate, interview: Appointment | None, rules_version: int) -> dict[str, str]:
    readiness = getattr(candidate, "readiness", None)
    equipment = "no"
    if readiness and readiness.equipment_declared_at:
        equipment = "missing" if readiness.equipment_missing else "yes"
    if candidate.room_status:
        room = "late" if candidate.room_status == "open" and candidate.room_late else candidate.room_status
    else:
        room = "open" if equipment == "missing" else "none"
    return {
        "accepted": "yes" if interview and interview.status == Appointment.Status.CONFIRMED else "no",
        "phone": "yes" if readiness and readiness.phone_confirmed_at else "no",
        "equipment": equipment,
        "device_check": candidate.check_verdict or "no",
        "connection_test": ("booked" if candidate.test_outcome == "pending" else candidate.test_outcome) or "no",
        "room": room,
        "adjustments": "requested" if candidate.has_adjustments else "none",
        # An acceptance of house rules that have changed since counts as not accepted (docs/setup.md).
        "rules": "yes" if readiness and readiness.rules_acknowledged_at
        and (readiness.rules_version or 1) == rules_version else "no",
    }


def readiness_rows(procedure: Procedure, only_not_ready: bool = False, candidates=None) -> list[Row]:
    """One row per candidate of `candidates` (default: every candidate of the procedure)."""
    rows = []
    for candidate in readiness_candidates(procedure) if candidates is None else candidates:
        interview = candidate.interviews[0] if candidate.interviews else None
        values = _values(candidate, interview, procedure.house_rules_version)
        cells = [(code, values[code], CELL[values[code]][0], CELL[values[code]][1], column)
                 for code, column in COLUMNS]
        ready = all(CELL[value][2] for value in values.values())
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
