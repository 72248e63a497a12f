"""Which live attempt of an interview the jury scores, and whether it may be scored at all.

A rescheduled appointment keeps its id (same calendar UID) and gets a new live attempt, so
score sheets carry the attempt they were opened in: notes taken during a stopped attempt never
count towards the new one.
"""

from __future__ import annotations

from django.db.models import Exists, IntegerField, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from interviewdesk.live.models import LiveSession, State
from interviewdesk.live.selectors import session_was_stopped
from interviewdesk.scheduling.models import Appointment

from .models import ScoreSheet


def current_attempt(appointment: Appointment) -> int:
    """The number of the appointment's latest live attempt; 1 before any session exists."""
    return appointment.live_sessions.aggregate(n=Max("attempt"))["n"] or 1


def current_attempt_expression(appointment_ref: str = "pk"):
    """`current_attempt` as a query expression over `OuterRef(appointment_ref)`, for one query per list."""
    latest = (LiveSession.objects.filter(appointment_id=OuterRef(appointment_ref)).order_by("-attempt")
              .values("attempt")[:1])
    return Coalesce(Subquery(latest, output_field=IntegerField()), Value(1))


def with_current_attempt(appointments: QuerySet[Appointment]) -> QuerySet[Appointment]:
    return appointments.annotate(current_attempt=current_attempt_expression())


def submitted_in_current_attempt(user) -> Exists:
    """Whether `user` submitted their sheet for the current attempt of the outer (annotated) appointment."""
    return Exists(ScoreSheet.objects.filter(appointment_id=OuterRef("pk"), member=user,
                                            attempt=OuterRef("current_attempt"),
                                            status=ScoreSheet.Status.SUBMITTED))


def _latest_begun_missed(appointment: Appointment) -> bool:
    latest = appointment.live_sessions.exclude(state=State.SCHEDULED).order_by("-attempt").first()
    return latest is not None and latest.state in (State.NO_SHOW, State.NEEDS_NEW_APPOINTMENT)


def scoring_refusal(appointment: Appointment) -> str | None:
    """Why this interview may not be scored now, or None when it may."""
    if appointment.status == Appointment.Status.STOPPED or session_was_stopped(appointment):
        return _("This interview's session was stopped: it is not scored. If the candidate gets a new "
                 "appointment, the jury scores that new session once it has begun.")
    if appointment.status in (Appointment.Status.CANCELLED, Appointment.Status.NO_SHOW) \
            or _latest_begun_missed(appointment):
        return _("A cancelled or missed interview is not scored.")
    return None
