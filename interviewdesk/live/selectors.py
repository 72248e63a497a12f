"""Read queries of the live session: the timeline, the console rows, the officer's follow-ups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from interviewdesk.procedures.models import JuryMember, Membership, Role
from interviewdesk.scheduling import visibility
from interviewdesk.scheduling.models import Appointment

from .models import (
    LIVE_STATES,
    CallAttempt,
    ConflictDeclaration,
    Disconnection,
    FollowUp,
    IdentityCheck,
    Incident,
    LiveSession,
    PhaseTiming,
    ProblemReport,
    SessionEvent,
    State,
    stop_reason_text,
)
from .services.machine import no_show_minutes

CONSOLE_KINDS = (Appointment.Kind.INTERVIEW, Appointment.Kind.PREPARATION)
# Declarations matter until part 1 starts.
DECLARATIONS_SETTLED_STATES = (State.PART_1, State.PART_2, State.CLOSED, State.STOPPED, State.NO_SHOW,
                               State.NEEDS_NEW_APPOINTMENT)


def _label(event: SessionEvent) -> str:
    data = event.data
    kind = event.kind
    K = SessionEvent.Kind
    if kind == K.TRANSITION:
        return _("%(from)s → %(to)s") % {"from": State(data["from"]).label, "to": State(data["to"]).label}
    if kind == K.IDENTITY:
        return _("Identity check: %(document)s, %(result)s") % {
            "document": IdentityCheck.Document(data["document"]).label,
            "result": IdentityCheck.Result(data["result"]).label}
    if kind == K.INCIDENT:
        return _("Incident: %(category)s (%(decision)s)") % {
            "category": Incident.Category(data["category"]).label,
            "decision": Incident.Decision(data["decision"]).label}
    if kind == K.DISCONNECTED:
        return _("Connection lost: reconnection clock of %(minutes)s minutes started") % data
    if kind == K.CALL:
        return _("Phone call to the candidate: %(outcome)s") % {"outcome": CallAttempt.Outcome(data["outcome"]).label}
    if kind == K.RECONNECTED:
        return _("Reconnected: %(minutes)s minute(s) lost, added to the phase") % {"minutes": data["minutes_lost"]}
    if kind == K.TIMED_OUT:
        return _("No reconnection within %(minutes)s minutes") % data
    if kind == K.DECLARATION:
        if data["has_link"]:
            return _("%(member)s declares a link with the candidate") % data
        return _("%(member)s declares no link with the candidate") % data
    if kind == K.DECISION:
        return _("Decision on %(member)s: %(decision)s") % {
            "member": data["member"], "decision": ConflictDeclaration.Decision(data["decision"]).label}
    return str(SessionEvent.Kind(kind).label)


def _detail(event: SessionEvent) -> str:
    """What people wrote; a stop's cause (a code) is worded here, in the reader's language."""
    if event.kind == SessionEvent.Kind.TRANSITION and event.data.get("code"):
        return stop_reason_text(event.data["code"], event.data.get("params", {}), event.detail)
    return event.detail


def _actor_label(code: str) -> str:
    return {"candidate": _("candidate"), "worker": _("automatic"), "system": _("system")}.get(code, code)


def session_timeline(appointment: Appointment) -> list[dict]:
    """Every recorded fact of every attempt of the appointment, oldest first:
    [{"at": aware datetime, "label": translated str, "detail": str}]."""
    events = SessionEvent.objects.filter(session__appointment=appointment).select_related("actor")
    return [
        {"at": e.at, "label": _label(e), "detail": _detail(e), "by": str(e.actor) if e.actor else _actor_label(e.actor_label),
         "kind": e.kind}
        for e in events
    ]


# Timeline events whose words belong to a need: without it the reader sees only that the event
# happened (the kind's name), not what was written or declared.
_NEED_OF_KIND = {
    SessionEvent.Kind.IDENTITY: visibility.DAY,
    SessionEvent.Kind.DECLARATION: visibility.DECLARATIONS,
    SessionEvent.Kind.DECISION: visibility.DECLARATIONS,
}


def _without_contents(event: dict) -> dict:
    if event["kind"] == SessionEvent.Kind.IDENTITY:
        return {**event, "detail": ""}  # the jury reads that the check was done and its result
    return {**event, "label": str(SessionEvent.Kind(event["kind"]).label), "detail": ""}


def session_timeline_for(user, appointment: Appointment) -> list[dict]:
    """The timeline as `user` may read it: what the proctor noted at the identity check only for
    those who run the day (scheduling.visibility.DAY: the officer, the session's proctor); who
    declared a link with the candidate, and the decisions on it, only for the officer and the jury
    (scheduling.visibility.DECLARATIONS)."""
    needs = visibility.appointment_needs(user, appointment)
    return [_without_contents(event) if _NEED_OF_KIND.get(event["kind"], visibility.NAME) not in needs else event
            for event in session_timeline(appointment)]


def session_was_stopped(appointment: Appointment) -> bool:
    """True when the latest attempt that actually began was stopped: nothing of it may be scored."""
    for session in appointment.live_sessions.order_by("-attempt"):
        if session.state == State.SCHEDULED:
            continue
        return session.stopped_at is not None
    return False


@dataclass
class ConsoleRow:
    appointment: Appointment
    session: LiveSession | None
    jury: list[JuryMember]
    disconnection: Disconnection | None = None
    problems: list[ProblemReport] = field(default_factory=list)
    preparation_ends_at: dt.datetime | None = None
    alerts: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        return self.session.state if self.session else State.SCHEDULED

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)


def preparation_end(session: LiveSession, phases: list[PhaseTiming], minutes: int) -> dt.datetime | None:
    """When the running preparation ends: its start + allotted + approved extra time + time lost."""
    if session.state != State.PREPARATION:
        return None
    timing = next((p for p in phases if p.phase == State.PREPARATION), None)
    if timing is None:
        return None
    return timing.started_at + dt.timedelta(minutes=minutes + session.extra_minutes, seconds=timing.seconds_lost)


def preparation_minutes(appointment: Appointment) -> int:
    procedure = appointment.procedure
    if appointment.kind == Appointment.Kind.PREPARATION and not procedure.pre_stage_minutes:
        return int((appointment.ends_at - appointment.starts_at).total_seconds() // 60)
    return procedure.pre_stage_minutes


def _today_bounds(day: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
    day = day or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def console_appointments(procedures: QuerySet, day: dt.date | None = None, scope: Q | None = None
                         ) -> QuerySet[Appointment]:
    """The day's sessions of `procedures`; `scope` (scheduling.visibility.appointment_scope) keeps a
    jury member's or proctor's own."""
    start, end = _today_bounds(day)
    return Appointment.objects.filter(scope or Q(), procedure__in=procedures, kind__in=CONSOLE_KINDS, starts_at__gte=start,
                                      starts_at__lt=end).exclude(status=Appointment.Status.CANCELLED)


def console_version(procedures: QuerySet, day: dt.date | None = None, scope: Q | None = None) -> str:
    """One cheap aggregate that changes whenever anything shown on the console changes."""
    row = console_appointments(procedures, day, scope).aggregate(
        n=Count("id", distinct=True), appointments=Max("updated_at"), sessions=Sum("live_sessions__version"),
        attempts=Count("live_sessions"),
    )
    stamp = row["appointments"].timestamp() if row["appointments"] else 0
    # The minute matters too: "late" alerts appear with time passing, not with a change.
    minute = int(timezone.now().timestamp() // 60)
    return f"{row['n']}.{row['attempts']}.{row['sessions'] or 0}.{int(stamp * 1000)}.{minute}"


def in_live_state(appointments: QuerySet[Appointment], state: str) -> QuerySet[Appointment]:
    """The appointments whose latest attempt is in `state` ("scheduled" before the first), as the
    console's State column shows it: filtered in SQL, so the console pages the result."""
    latest = LiveSession.objects.filter(appointment=OuterRef("pk")).order_by("-attempt").values("state")[:1]
    return appointments.annotate(live_state=Coalesce(Subquery(latest), Value(State.SCHEDULED.value))).filter(
        live_state=state)


def console_listed(procedures: QuerySet, day: dt.date | None = None, scope: Q | None = None,
                   appointments: QuerySet[Appointment] | None = None) -> QuerySet[Appointment]:
    """The console's appointments in order, with what a row shows read in a fixed number of queries
    (the view takes one page of them). `appointments`: the day's, already searched or filtered."""
    if appointments is None:
        appointments = console_appointments(procedures, day, scope)
    return (
        appointments
        .select_related("candidate", "procedure", "jury", "proctor", "meeting_link__meeting")
        .prefetch_related(
            Prefetch("jury__members", queryset=JuryMember.objects.select_related("user")),
            Prefetch("live_sessions", queryset=LiveSession.objects.order_by("-attempt").prefetch_related(
                Prefetch("disconnections", queryset=Disconnection.objects.filter(resolved_at__isnull=True)
                         .prefetch_related("calls"), to_attr="open_disconnections"),
                Prefetch("problem_reports", queryset=ProblemReport.objects.filter(acknowledged_at__isnull=True),
                         to_attr="open_problems"),
                "phases",
            )),
            "conflict_declarations",
        )
        .order_by("starts_at", "id")
    )


def console_rows(procedures: QuerySet, day: dt.date | None = None, *, appointments=None) -> list[ConsoleRow]:
    """A row per appointment: `appointments` (a page of `console_listed`) or all of the day's."""
    now = timezone.now()
    if appointments is None:
        appointments = console_listed(procedures, day)
    rows = []
    for appointment in appointments:
        sessions = list(appointment.live_sessions.all())
        session = sessions[0] if sessions else None
        row = ConsoleRow(appointment=appointment, session=session, jury=list(appointment.jury.members.all())
                         if appointment.jury_id else [])
        if session is not None:
            row.disconnection = session.open_disconnections[0] if session.open_disconnections else None
            row.problems = session.open_problems
            row.preparation_ends_at = preparation_end(session, list(session.phases.all()),
                                                      preparation_minutes(appointment))
        _alerts(row, now)
        rows.append(row)
    return rows


def _alerts(row: ConsoleRow, now: dt.datetime) -> None:
    appointment = row.appointment
    if row.disconnection:
        row.alerts.append(_("Connection lost"))
    if row.preparation_ends_at and now >= row.preparation_ends_at and not row.disconnection:
        row.alerts.append(_("Preparation time is up"))
    if row.problems:
        row.alerts.append(_("Problem reported by the candidate"))
    if row.state == State.SCHEDULED and now >= appointment.starts_at + dt.timedelta(minutes=no_show_minutes()):
        row.alerts.append(_("Candidate not seen %(minutes)s minutes after the start") % {"minutes": no_show_minutes()})
    if appointment.kind == Appointment.Kind.INTERVIEW and row.state not in DECLARATIONS_SETTLED_STATES:
        declared = {d.member_id: d for d in appointment.conflict_declarations.all()}
        if any(m.user_id not in declared or not declared[m.user_id].is_settled for m in row.jury):
            row.alerts.append(_("Conflict-of-interest declarations incomplete"))


def session_version(session: LiveSession) -> str:
    if session.pk is None:  # an attempt shown before its first move (services.session_shown)
        version = f"new.{session.attempt}"
    else:
        version = f"{session.pk}.{session.version}.{int(session.updated_at.timestamp() * 1000)}"
    if session.state == State.SCHEDULED:  # "mark as absent" becomes possible with time alone
        version += f".{int(timezone.now().timestamp() // 60)}"
    return version


def open_follow_ups(procedures: QuerySet) -> QuerySet[FollowUp]:
    return (FollowUp.objects.filter(procedure__in=procedures, done_at__isnull=True)
            .select_related("appointment__candidate", "procedure").order_by("created_at", "id"))


def follow_up_counts(procedures: QuerySet) -> dict[int, int]:
    return dict(FollowUp.objects.filter(procedure__in=procedures, done_at__isnull=True)
                .values_list("procedure_id").annotate(n=Count("id")).values_list("procedure_id", "n"))


def candidate_live_appointment(candidate) -> Appointment | None:
    """The appointment whose session is running for this candidate, if any."""
    session = (LiveSession.objects.filter(appointment__candidate=candidate, state__in=LIVE_STATES)
               .select_related("appointment").order_by("-appointment__starts_at", "-attempt").first())
    return session.appointment if session else None


def incidents_of(appointment: Appointment) -> QuerySet[Incident]:
    return Incident.objects.filter(session__appointment=appointment).select_related("reported_by")



def candidate_in_preparation(candidate) -> bool:
    """Whether one of the candidate's sessions is in its preparation: the portal then offers the problem form."""
    return LiveSession.objects.filter(appointment__candidate=candidate, state=State.PREPARATION).exists()


# --- conflict-of-interest declarations ahead of time ---------------------------------------------

def _undeclared(appointment: Appointment) -> list[str]:
    """Names of the jury members whose declaration is missing or undecided (prefetched rows)."""
    if appointment.jury is None:
        return []
    declared = {d.member_id: d for d in appointment.conflict_declarations.all()}
    return [str(seat.user) for seat in appointment.jury.members.all()
            if seat.user_id not in declared or not declared[seat.user_id].is_settled]


def _coming_interviews(now: dt.datetime) -> QuerySet[Appointment]:
    """Interviews not over yet whose part 1 has not started: declarations still matter for them."""
    settled = LiveSession.objects.filter(appointment=OuterRef("pk"), state__in=DECLARATIONS_SETTLED_STATES)
    return (Appointment.objects.filter(kind=Appointment.Kind.INTERVIEW, status__in=Appointment.ACTIVE_STATUSES,
                                       ends_at__gt=now, jury__isnull=False)
            .annotate(settled=Exists(settled)).filter(settled=False))


def declarations_to_make(user, limit: int = 50) -> list[Appointment]:
    """The user's coming interviews (as a jury member) without their own declaration, soonest first."""
    return list(_coming_interviews(timezone.now()).filter(jury__members__user=user)
                .exclude(conflict_declarations__member=user)
                .select_related("candidate", "procedure").order_by("starts_at", "id")[:limit])


def declarations_to_decide(user, limit: int = 50) -> list[ConflictDeclaration]:
    """Declared links waiting for this user's decision: a chair decides on the jury's assessors,
    a selection officer on a chair (the rule of `services.may_decide`)."""
    pending = (ConflictDeclaration.objects.filter(has_link=True, decision=ConflictDeclaration.Decision.PENDING,
                                                  appointment__in=_coming_interviews(timezone.now()))
               .exclude(member=user).select_related("appointment__candidate", "appointment__procedure", "member"))
    as_chair = pending.filter(appointment__jury__members__user=user, appointment__jury__members__role="chair")
    officer_of = Membership.objects.filter(user=user, role=Role.SELECTION_OFFICER).values("procedure_id")
    chairs = JuryMember.objects.filter(jury_id=OuterRef("appointment__jury_id"), user_id=OuterRef("member_id"),
                                       role="chair")
    as_officer = pending.filter(appointment__procedure_id__in=officer_of).annotate(of_chair=Exists(chairs)) \
        .filter(of_chair=True)
    rows = {d.pk: d for d in [*as_chair, *as_officer]}
    return sorted(rows.values(), key=lambda d: (d.appointment.starts_at, d.pk))[:limit]


def _declaration_missing() -> Exists:
    """In SQL what `_undeclared` finds in Python: a member of the appointment's jury without a
    settled declaration (none, or a declared link not decided yet; ConflictDeclaration.is_settled)."""
    settled = ConflictDeclaration.objects.filter(
        Q(has_link=False) | ~Q(decision=ConflictDeclaration.Decision.PENDING),
        appointment_id=OuterRef(OuterRef("pk")), member_id=OuterRef("user_id"))
    return Exists(JuryMember.objects.filter(~Exists(settled), jury_id=OuterRef("jury_id")))


def interviews_missing_declarations(procedures: QuerySet, days: int = 7, scope: Q | None = None
                                    ) -> QuerySet[Appointment]:
    """Interviews of the coming days (after today) whose declarations are not all made and decided,
    soonest first. Decided in SQL, so that the console reads one page of them: at 3,000 candidates
    the coming week holds over a thousand such interviews (379 KB and 0.6 s when all were listed)."""
    _start, end_of_today = _today_bounds(None)
    return (
        _coming_interviews(timezone.now())
        .filter(_declaration_missing(), scope or Q(), procedure__in=procedures, starts_at__gte=end_of_today,
                starts_at__lt=end_of_today + dt.timedelta(days=days))
        .select_related("candidate", "procedure")
        .prefetch_related(Prefetch("jury__members", queryset=JuryMember.objects.select_related("user")),
                          "conflict_declarations")
        .order_by("starts_at", "id")
    )


def with_missing_members(appointments) -> list[tuple[Appointment, list[str]]]:
    """Each appointment (of `interviews_missing_declarations`) with the names of who is missing."""
    return [(a, _undeclared(a)) for a in appointments]


def missing_declarations_ahead(procedures: QuerySet, days: int = 7, scope: Q | None = None
                               ) -> list[tuple[Appointment, list[str]]]:
    """Every interview of the coming days with declarations missing, with who is missing: the console
    flags them before the candidate waits in the lobby (the console itself pages them)."""
    return with_missing_members(interviews_missing_declarations(procedures, days, scope))
