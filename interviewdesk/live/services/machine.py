"""The session state machine: one function per transition, each locked, checked and audited.

Every transition locks the session row (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises
writers with BEGIN IMMEDIATE), re-reads the state and checks it against models.TRANSITIONS,
so two staff members acting at once leave the session consistent: the second one is refused.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from interviewdesk.core.audit import audit_record
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_set_status

from ..models import (
    PHASE_STATES,
    TRANSITIONS,
    ConflictDeclaration,
    Disconnection,
    LiveSession,
    PhaseTiming,
    SessionEvent,
    State,
    StopCode,
    stop_reason_text,
)
from ..signals import extra_minutes_requested

# Appointment status that follows when the session ends this way.
APPOINTMENT_STATUS: dict[str, str] = {
    State.CLOSED: Appointment.Status.DONE,
    State.STOPPED: Appointment.Status.STOPPED,
    State.NO_SHOW: Appointment.Status.NO_SHOW,
}
RETRY_STATES = (State.STOPPED, State.NO_SHOW, State.NEEDS_NEW_APPOINTMENT)


class IllegalTransition(ValidationError):
    pass


def no_show_minutes() -> int:
    return getattr(settings, "LIVE_NO_SHOW_MINUTES", 15)


def _superseded(latest: LiveSession, appointment: Appointment) -> bool:
    """A stopped or missed attempt whose appointment got a new start time is history: the new time
    gets a new attempt."""
    return latest.state in RETRY_STATES and appointment.is_active and latest.planned_start != appointment.starts_at


def session_shown(appointment: Appointment) -> LiveSession:
    """The attempt a page shows, read only: the current one, or, before it exists, the one the first
    move will create, unsaved and in its first state (a GET writes nothing; `lock` creates it)."""
    latest = appointment.live_sessions.order_by("-attempt").first()
    if latest is not None and not _superseded(latest, appointment):
        return latest
    return LiveSession(appointment=appointment, attempt=latest.attempt + 1 if latest else 1,
                       planned_start=appointment.starts_at, extra_minutes=_carried_extra_minutes(appointment, latest))


def _carried_extra_minutes(appointment: Appointment, latest: LiveSession | None) -> int:
    # The approved extra time is the candidate's, not the attempt's: it carries over. The first
    # attempt starts from what the selection officer approved in the portal for this step.
    return latest.extra_minutes if latest else approved_extra_minutes(appointment)


def session_current(appointment: Appointment) -> LiveSession:
    """The appointment's current attempt, created when missing. Only the services call it, inside the
    transaction of the move that needs the row; pages read `session_shown`."""
    latest = appointment.live_sessions.order_by("-attempt").first()
    if latest is not None and not _superseded(latest, appointment):
        return latest
    session, _created = LiveSession.objects.get_or_create(
        appointment=appointment, attempt=latest.attempt + 1 if latest else 1,
        defaults={"planned_start": appointment.starts_at,
                  "extra_minutes": _carried_extra_minutes(appointment, latest)},
    )
    return session


def approved_extra_minutes(appointment: Appointment) -> int:
    """Extra minutes approved as a reasonable adjustment for this appointment, else 0. The portal,
    which keeps adjustments and sits above live, answers `extra_minutes_requested`."""
    answers = extra_minutes_requested.send(sender=Appointment, appointment=appointment)
    return max((int(minutes or 0) for _receiver, minutes in answers), default=0)


def lock(session: LiveSession) -> LiveSession:
    """The session row, locked until the end of the current transaction, freshly read. A session a
    page showed before it existed (`session_shown`, unsaved) is created here, in the transaction of
    the move that needs it (get_or_create on the unique appointment + attempt: two first moves at once
    make one row, and the second is then checked against the first's new state)."""
    if session.pk is None:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("lock() belongs inside the move's transaction")
        session = session_current(session.appointment)
    return LiveSession.objects.select_for_update().get(pk=session.pk)


def event_add(session: LiveSession, kind: str, *, actor=None, actor_label: str = "", data: dict | None = None,
              detail: str = "", at: dt.datetime | None = None) -> SessionEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return SessionEvent.objects.create(
        session=session, at=at or timezone.now(), kind=kind, actor=user,
        actor_label=actor_label or ("" if user else "system"), data=data or {}, detail=detail,
    )


def touch(session: LiveSession) -> None:
    """Raise the version the consoles poll, so every open console redraws within one poll."""
    session.version += 1
    session.save(update_fields=["version", "updated_at"])


def open_disconnection(session: LiveSession) -> Disconnection | None:
    if session.pk is None:  # an attempt not begun (session_shown) has lost nothing
        return None
    return session.disconnections.filter(resolved_at__isnull=True).first()


def undeclared_members(appointment: Appointment) -> list[str]:
    """Names of jury members whose declaration is missing or waits for a decision."""
    jury = appointment.jury
    if jury is None:
        return []
    declarations = {d.member_id: d for d in ConflictDeclaration.objects.filter(appointment=appointment)}
    missing = []
    for seat in jury.members.select_related("user"):
        declaration = declarations.get(seat.user_id)
        if declaration is None or not declaration.is_settled:
            missing.append(str(seat.user))
    return missing


def handles_connection(user, appointment: Appointment) -> bool:
    """The session's proctor and its jury's chair — those who phone the candidate — start the
    reconnection clock, call, reconnect and stop. Other staff (assessors, other juries) add notes."""
    if not getattr(user, "is_authenticated", False):
        return False
    if appointment.proctor_id == user.pk:
        return True
    jury = appointment.jury
    return jury is not None and jury.members.filter(user=user, role="chair").exists()


def refuse_unless_handler(user, appointment: Appointment) -> None:
    if not handles_connection(user, appointment):
        raise ValidationError(_("Only the proctor of this session or the chair of its jury can start the "
                                "reconnection clock, call the candidate, reconnect or stop the session."),
                              code="not_handler")


def _refuse(message: str, code: str = "not_possible") -> None:
    raise IllegalTransition(message, code=code)


# Refusal codes: "not_possible" never changes for this appointment (wrong state, kind, no case);
# "not_now" may pass later (a lost connection, a missing declaration, too early for "no show").
NOT_NOW = "not_now"


def _check(session: LiveSession, to: str, now: dt.datetime) -> None:
    appointment = session.appointment
    if to not in TRANSITIONS[session.state]:
        _refuse(_("A session that is “%(from)s” cannot become “%(to)s”.")
                % {"from": State(session.state).label, "to": State(to).label})
    if to == State.PREPARATION and not (
        appointment.kind == Appointment.Kind.PREPARATION or appointment.procedure.has_pre_stage
    ):
        _refuse(_("This procedure has no preparation (case or technical test)."))
    if to == State.PART_1 and appointment.kind != Appointment.Kind.INTERVIEW:
        _refuse(_("A preparation appointment has no interview parts: close it at the end of the preparation."))
    if to == State.CLOSED and session.state == State.PREPARATION and appointment.kind == Appointment.Kind.INTERVIEW:
        _refuse(_("After the preparation comes part 1 of the interview."))
    if (to in PHASE_STATES or to == State.CLOSED) and open_disconnection(session):
        _refuse(_("The connection is lost: record the reconnection first."), NOT_NOW)
    if to == State.CANDIDATE_WAITING and not appointment.is_active:
        _refuse(_("This appointment is %(status)s.") % {"status": appointment.get_status_display()})
    if to == State.NO_SHOW:
        limit = appointment.starts_at + dt.timedelta(minutes=no_show_minutes())
        if now < limit:
            local = timezone.localtime(limit)
            _refuse(_("A candidate can be marked absent from %(time)s (%(zone)s) on.")
                    % {"time": local.strftime("%H:%M"), "zone": local.tzname()}, NOT_NOW)
    if to == State.PART_1:
        missing = undeclared_members(appointment)
        if missing:
            _refuse(_("Part 1 cannot start: the conflict-of-interest declaration of %(names)s is missing "
                      "or waits for a decision.") % {"names": ", ".join(missing)}, NOT_NOW)


def transition_refusal(session: LiveSession, to: str, now: dt.datetime | None = None) -> IllegalTransition | None:
    """Why `session` cannot move to `to` now (the same checks as the move itself), or None.
    Pages ask this to offer only what would succeed and to say why the rest waits."""
    try:
        _check(session, to, now or timezone.now())
    except IllegalTransition as refusal:
        return refusal
    return None


def _sync_appointment(session: LiveSession, to: str, actor, reason: str, actor_label: str) -> None:
    status = APPOINTMENT_STATUS.get(to)
    if status is None:
        return
    appointment = Appointment.objects.get(pk=session.appointment_id)
    # An appointment that was never marked invited (planned) keeps its status: the session
    # itself is the record of what happened.
    if status in Appointment.TRANSITIONS[appointment.status]:
        appointment_set_status(actor=actor, appointment=appointment, to=status, reason=reason,
                               actor_label=actor_label)


def _stop(session: LiveSession, *, reason: str, code: str, params: dict, now: dt.datetime) -> None:
    """Record why, close an open disconnection and count its time as lost in the phase it interrupted."""
    session.stop_reason, session.stop_code, session.stop_params = reason, code, params
    session.stopped_at = now
    for disconnection in Disconnection.objects.filter(session=session, resolved_at__isnull=True):
        lost = int((now - disconnection.started_at).total_seconds())
        PhaseTiming.objects.filter(session=session, phase=disconnection.phase).update(
            seconds_lost=F("seconds_lost") + lost)
        disconnection.resolved_at, disconnection.outcome = now, Disconnection.Outcome.STOPPED
        disconnection.save(update_fields=["resolved_at", "outcome"])


def apply(session: LiveSession, to: str, *, actor, reason: str = "", actor_label: str = "",
          now: dt.datetime | None = None, stop_code: str = StopCode.BY_STAFF,
          stop_params: dict | None = None) -> LiveSession:
    """Check and perform one transition on a session locked by the caller.

    `reason` is what people wrote; a stop's own cause is `stop_code` + `stop_params`, worded when read.
    """
    now = now or timezone.now()
    _check(session, to, now)
    from_state = session.state
    data: dict[str, object] = {"from": from_state, "to": to}
    audit_reason = reason
    if to == State.STOPPED:
        _stop(session, reason=reason, code=stop_code, params=stop_params or {}, now=now)
        data.update(code=stop_code, params=stop_params or {})
        with translation.override("en"):  # the audit log keeps one readable sentence
            audit_reason = stop_reason_text(stop_code, stop_params or {}, reason)
    if from_state in PHASE_STATES:
        PhaseTiming.objects.filter(session=session, phase=from_state, ended_at__isnull=True).update(ended_at=now)
    if to in PHASE_STATES:
        PhaseTiming.objects.create(session=session, phase=to, started_at=now)
    session.state = to
    session.state_changed_at = now
    session.version += 1
    session.save()
    event_add(session, SessionEvent.Kind.TRANSITION, actor=actor, actor_label=actor_label, at=now,
              data=data, detail=reason)
    audit_record(actor=actor, action="live_session.transition", obj=session,
                 procedure_id=session.appointment.procedure_id, from_state=from_state, to_state=to,
                 reason=audit_reason, actor_label=actor_label)
    _sync_appointment(session, to, actor, audit_reason, actor_label)
    return session


def _move(session: LiveSession, to: str, *, actor, reason: str = "", actor_label: str = "") -> LiveSession:
    with transaction.atomic():
        return apply(lock(session), to, actor=actor, reason=reason, actor_label=actor_label)


def session_checkin(*, actor, session: LiveSession) -> LiveSession:
    """The proctor sees the candidate in the lobby."""
    return _move(session, State.CANDIDATE_WAITING, actor=actor)


def session_mark_no_show(*, actor, session: LiveSession, reason: str = "") -> LiveSession:
    return _move(session, State.NO_SHOW, actor=actor, reason=reason)


def session_rules_confirm(*, actor, session: LiveSession, rules_reminded: bool, camera_microphone_on: bool,
                          room_check_note: str = "") -> LiveSession:
    if not (rules_reminded and camera_microphone_on):
        raise ValidationError(_("Confirm both that the rules were reminded and that camera and microphone are on."))
    with transaction.atomic():
        locked = lock(session)
        locked.rules_reminded = True
        locked.camera_microphone_on = True
        locked.room_check_note = room_check_note.strip()
        apply(locked, State.RULES_CONFIRMED, actor=actor, reason=locked.room_check_note)
        return locked


def session_preparation_start(*, actor, session: LiveSession) -> LiveSession:
    return _move(session, State.PREPARATION, actor=actor)


def session_part_1_start(*, actor, session: LiveSession) -> LiveSession:
    return _move(session, State.PART_1, actor=actor)


def session_part_2_start(*, actor, session: LiveSession) -> LiveSession:
    return _move(session, State.PART_2, actor=actor)


def session_close(*, actor, session: LiveSession) -> LiveSession:
    return _move(session, State.CLOSED, actor=actor)


def session_stop(*, actor, session: LiveSession, reason: str, actor_label: str = "") -> LiveSession:
    """Stop a session (identity not confirmed, rule violation, disconnection). Never scored."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for stopping the session."))
    refuse_unless_handler(actor, session.appointment)
    return _move(session, State.STOPPED, actor=actor, reason=reason.strip(), actor_label=actor_label)


def session_extra_time_set(*, actor, session: LiveSession, minutes: int) -> LiveSession:
    """Record the candidate's approved extra time for the preparation."""
    with transaction.atomic():
        locked = lock(session)
        old = locked.extra_minutes
        locked.extra_minutes = minutes
        locked.save(update_fields=["extra_minutes", "updated_at"])
        touch(locked)
        audit_record(actor=actor, action="live_session.extra_time", obj=locked,
                     procedure_id=locked.appointment.procedure_id, changes={"extra_minutes": (old, minutes)})
        return locked
