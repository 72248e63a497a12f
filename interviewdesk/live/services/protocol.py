"""Incidents and the disconnection protocol.

"Connection lost" starts a server-side clock (Procedure.disconnection_minutes). Two triggers
can stop the session when it runs out: a task enqueued with run_after=deadline in the same
transaction, and a periodic sweep (live/tasks.py). Both call disconnection_expire, which locks
the session and acts only while the disconnection is open and overdue: exactly once, and
never after a reconnection.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interviewdesk.core.audit import audit_record

from ..models import (
    LIVE_STATES,
    PHASE_STATES,
    CallAttempt,
    Disconnection,
    Incident,
    LiveSession,
    PhaseTiming,
    SessionEvent,
    State,
    StopCode,
)
from .followup import need_new_appointment
from .machine import (
    IllegalTransition,
    apply,
    event_add,
    lock,
    open_disconnection,
    refuse_unless_handler,
    touch,
)


def _start_clock(session: LiveSession, *, actor, now: dt.datetime) -> Disconnection:
    from .. import tasks  # tasks import services: late import keeps the layers one-way at import time

    if open_disconnection(session):
        raise IllegalTransition(_("The reconnection clock is already running."))
    minutes = session.appointment.procedure.disconnection_minutes
    disconnection = Disconnection.objects.create(
        session=session, phase=session.state, started_at=now, deadline=now + dt.timedelta(minutes=minutes),
        started_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    event_add(session, SessionEvent.Kind.DISCONNECTED, actor=actor, at=now, data={"minutes": minutes})
    audit_record(actor=actor, action="live_session.disconnected", obj=disconnection,
                 procedure_id=session.appointment.procedure_id, to_state="open")
    # Inside the transaction: the task row commits or rolls back with the disconnection.
    tasks.disconnection_timeout.using(run_after=disconnection.deadline).enqueue(disconnection.pk)
    return disconnection


def incident_log(*, actor, session: LiveSession, category: str, description: str,
                 decision: str = Incident.Decision.NOTED) -> Incident:
    """Log an incident. "Connection lost" starts the reconnection clock; "session stopped" stops it."""
    description = description.strip()
    if category not in Incident.Category.values or decision not in Incident.Decision.values:
        raise ValidationError(_("Choose a category and a decision."))
    if not description:
        raise ValidationError(_("Describe what happened."))
    with transaction.atomic():
        locked = lock(session)
        procedure = locked.appointment.procedure
        if locked.state not in LIVE_STATES:
            raise IllegalTransition(_("Incidents are logged while the session runs; this session is “%(state)s”.")
                                    % {"state": State(locked.state).label})
        if decision == Incident.Decision.STOPPED or category == Incident.Category.CONNECTION_LOST:
            refuse_unless_handler(actor, locked.appointment)
        now = timezone.now()
        incident = Incident.objects.create(session=locked, category=category, description=description,
                                           decision=decision, phase=locked.state, reported_by=actor, at=now)
        event_add(locked, SessionEvent.Kind.INCIDENT, actor=actor, at=now,
                  data={"category": category, "decision": decision}, detail=description)
        audit_record(actor=actor, action="live_session.incident", obj=incident, procedure_id=procedure.pk,
                     to_state=decision, reason=description)
        if decision == Incident.Decision.STOPPED:
            apply(locked, State.STOPPED, actor=actor, reason=description, now=now, stop_code=StopCode.INCIDENT,
                  stop_params={"category": category})
        elif category == Incident.Category.CONNECTION_LOST:
            _start_clock(locked, actor=actor, now=now)
            touch(locked)
        else:
            touch(locked)
        return incident


def disconnection_call_log(*, actor, session: LiveSession, outcome: str) -> CallAttempt:
    """One phone call to the candidate while the clock runs."""
    if outcome not in CallAttempt.Outcome.values:
        raise ValidationError(_("Choose the outcome of the call."))
    with transaction.atomic():
        locked = lock(session)
        refuse_unless_handler(actor, locked.appointment)
        disconnection = open_disconnection(locked)
        if disconnection is None:
            raise IllegalTransition(_("Calls are logged while the connection is lost."))
        now = timezone.now()
        call = CallAttempt.objects.create(disconnection=disconnection, at=now, outcome=outcome, called_by=actor)
        event_add(locked, SessionEvent.Kind.CALL, actor=actor, at=now, data={"outcome": outcome})
        audit_record(actor=actor, action="live_session.call", obj=call, procedure_id=locked.appointment.procedure_id,
                     to_state=outcome)
        touch(locked)
        return call


def disconnection_reconnect(*, actor, session: LiveSession) -> Disconnection:
    """The candidate is back: the phase resumes, and the time lost is added to it."""
    with transaction.atomic():
        locked = lock(session)
        refuse_unless_handler(actor, locked.appointment)
        disconnection = open_disconnection(locked)
        if disconnection is None:
            raise IllegalTransition(_("There is no lost connection to resume."))
        now = timezone.now()
        overdue = now >= disconnection.deadline
        if not overdue:
            return _resume(locked, disconnection, actor=actor, now=now)
    # Too late: the clock decides, whoever clicks first (the worker may not have run yet).
    disconnection_expire(disconnection_id=disconnection.pk, actor_label="system")
    raise IllegalTransition(_("The reconnection time had run out: the session is stopped."))


def _resume(locked: LiveSession, disconnection: Disconnection, *, actor, now: dt.datetime) -> Disconnection:
    lost = int((now - disconnection.started_at).total_seconds())
    disconnection.resolved_at = now
    disconnection.outcome = Disconnection.Outcome.RECONNECTED
    disconnection.save(update_fields=["resolved_at", "outcome"])
    if locked.state in PHASE_STATES:
        timing = PhaseTiming.objects.get(session=locked, phase=locked.state)
        timing.seconds_lost += lost
        timing.save(update_fields=["seconds_lost"])
    minutes = -(-lost // 60)
    event_add(locked, SessionEvent.Kind.RECONNECTED, actor=actor, at=now,
              data={"minutes_lost": minutes, "phase": locked.state})
    audit_record(actor=actor, action="live_session.reconnected", obj=disconnection,
                 procedure_id=locked.appointment.procedure_id, from_state="open", to_state="reconnected",
                 changes={"seconds_lost": (None, lost)})
    touch(locked)
    return disconnection


def disconnection_expire(*, disconnection_id: int, actor_label: str = "worker") -> bool:
    """Stop the session if this disconnection is still open and overdue. True if it acted."""
    with transaction.atomic():
        session_id = Disconnection.objects.filter(pk=disconnection_id).values_list("session_id", flat=True).first()
        if session_id is None:
            return False
        locked = LiveSession.objects.select_for_update().get(pk=session_id)  # lock order: session first
        disconnection = Disconnection.objects.get(pk=disconnection_id)
        now = timezone.now()
        if disconnection.resolved_at is not None or disconnection.deadline > now:
            return False
        minutes = locked.appointment.procedure.disconnection_minutes
        event_add(locked, SessionEvent.Kind.TIMED_OUT, actor_label=actor_label, at=now, data={"minutes": minutes})
        # The stop closes the disconnection and counts its time as lost in the phase.
        apply(locked, State.STOPPED, actor=None, actor_label=actor_label, now=now, stop_code=StopCode.TIMED_OUT,
              stop_params={"minutes": minutes})
        Disconnection.objects.filter(pk=disconnection.pk).update(outcome=Disconnection.Outcome.TIMED_OUT)
        need_new_appointment(locked, actor=None, actor_label=actor_label)
        return True


def disconnections_expire_overdue() -> int:
    """The sweep: stop every session whose reconnection time has passed. Idempotent."""
    overdue = Disconnection.objects.filter(resolved_at__isnull=True, deadline__lte=timezone.now())
    return sum(disconnection_expire(disconnection_id=pk) for pk in overdue.values_list("pk", flat=True))
