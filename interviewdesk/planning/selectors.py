"""From the database to the planner's plain data (`Instance`), and back to names for pages.

Everything about a procedure is read in a constant number of queries, whatever its size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Set as AbstractSet

from django.db.models import Q
from django.utils import timezone

from interviewdesk.core.workdays import closed_days, is_working_day, working_days_before
from interviewdesk.portal.planning_needs import candidate_planning_needs
from interviewdesk.procedures.availability import room_free_half_days, staff_available_half_days
from interviewdesk.procedures.models import HalfDay, JuryMember, Membership, Procedure, Role, Room
from interviewdesk.scheduling.models import Appointment

from .instance import AFTERNOON, MORNING, Busy, Candidate, DayWindow, Instance, Jury, Proctor, Slot, TestSlot
from .instance import Room as PlanRoom
from .models import PlanningRun

# Between the end of the case and the interview (the demo's procedures use the same gap).
CASE_GAP_MINUTES = 15
# A connection test is held the policy's number of working days before the interview, or up
# to this many working days earlier when that day is full.
TEST_EARLIER_WORKING_DAYS = 4
PART = {HalfDay.MORNING: MORNING, HalfDay.AFTERNOON: AFTERNOON}


def _minutes(t: dt.time | None, default: int) -> int:
    return t.hour * 60 + t.minute if t else default


def _local(value: dt.datetime) -> tuple[dt.date, int]:
    local = timezone.localtime(value)
    return local.date(), local.hour * 60 + local.minute


def _half_days(rows) -> frozenset:
    return frozenset((day, PART[part]) for day, part in rows)


def planning_days(procedure: Procedure) -> list[dt.date]:
    days = procedure.planning_days()
    closed = closed_days({d.year for d in days}) if days else set()
    return [d for d in days if is_working_day(d, closed)]


def _window(procedure: Procedure) -> DayWindow:
    start = _minutes(procedure.day_starts_at, 8 * 60 + 30)
    end = _minutes(procedure.day_ends_at, 17 * 60)
    lunch_start = _minutes(procedure.lunch_starts_at, (start + end) // 2)
    lunch_end = _minutes(procedure.lunch_ends_at, lunch_start) if procedure.lunch_starts_at else lunch_start
    return DayWindow(start=start, lunch_start=lunch_start, lunch_end=lunch_end, end=end, grid=15)


def _busy(appointments, key) -> dict[int, tuple[Busy, ...]]:
    out: dict[int, list[Busy]] = {}
    for a in appointments:
        for owner in key(a):
            day, start = _local(a.starts_at)
            _d, end = _local(a.ends_at)
            out.setdefault(owner, []).append(Busy(day, start, end if end > start else 24 * 60))
    return {k: tuple(v) for k, v in out.items()}


def planning_instance(procedure: Procedure, *, pinned: dict[int, Slot] | None = None,
                      left_out: AbstractSet[int] = frozenset()) -> Instance:
    """The planning problem of `procedure` now: every candidate without a done interview;
    those holding an active interview are kept there unless moving them lets more in."""
    pinned = pinned or {}
    days = planning_days(procedure)
    window = _window(procedure)
    has_case = procedure.has_pre_stage
    needs = candidate_planning_needs(procedure=procedure)
    available = staff_available_half_days(procedure=procedure)

    appointments = list(Appointment.objects.filter(procedure=procedure).exclude(status=Appointment.Status.CANCELLED)
                        .order_by("starts_at", "id"))
    interviews: dict[int, Appointment] = {}
    tests: dict[int, Appointment] = {}
    done: set[int] = set()
    for a in appointments:
        if a.kind == Appointment.Kind.INTERVIEW:
            if a.status == Appointment.Status.DONE:
                done.add(a.candidate_id)
            elif a.is_active or a.candidate_id not in interviews:
                interviews[a.candidate_id] = a
        elif a.kind == Appointment.Kind.CONNECTION_TEST and a.is_active:
            tests[a.candidate_id] = a
    # An active interview outside the planning window stays where the officer put it: its
    # candidate is not planned again, and its appointments keep their people and rooms busy.
    day_set = set(days)
    fixed = {cid for cid, a in interviews.items() if a.is_active and _local(a.starts_at)[0] not in day_set}
    kept = [a for a in appointments if a.candidate_id in fixed and a.is_active]

    members: dict[int, list[int]] = {}
    for jury_id, user_id in JuryMember.objects.filter(jury__procedure=procedure).values_list("jury_id", "user_id"):
        members.setdefault(jury_id, []).append(user_id)
    juries = []
    for jury in procedure.juries.order_by("id"):
        people = members.get(jury.pk, [])
        halves = frozenset.intersection(*(frozenset(_half_days(available.get(u, ()))) for u in people)) \
            if people else frozenset()
        juries.append(Jury(id=jury.pk, languages=frozenset(jury.languages), available=halves,
                           max_per_day=procedure.max_interviews_per_jury_day, name=jury.name))
    proctor_ids = sorted(set(Membership.objects.filter(procedure=procedure, role=Role.PROCTOR)
                             .values_list("user_id", flat=True)))
    proctors = [Proctor(id=u, available=_half_days(available.get(u, ())),
                        group_size=procedure.connection_test_group_size) for u in proctor_ids]
    first, last = (days[0], days[-1]) if days else (None, None)
    rooms = [PlanRoom(id=room_id, free=_half_days(halves))
             for room_id, halves in sorted(room_free_half_days(first=first - dt.timedelta(days=30) if first else None,
                                                               last=last).items())]

    candidates = []
    for c in procedure.candidates.order_by("id"):
        if c.pk in done or c.pk in left_out or c.pk in fixed:
            continue
        need = needs.get(c.pk)
        interview = interviews.get(c.pk)
        current = None
        if interview is not None and interview.is_active and interview.jury_id is not None:
            day, start = _local(interview.starts_at)
            current = Slot(interview.jury_id, day, start, proctor=interview.proctor_id, room=interview.room_id)
        test = tests.get(c.pk)
        test_slot = None
        if test is not None and test.proctor_id is not None:  # a group test always has its proctor
            day, start = _local(test.starts_at)
            test_slot = TestSlot(test.proctor_id, day, start, _local(test.ends_at)[1])
        # Extra time on the case and on the interview are separate decisions and add up, each to its
        # own step (docs/planning.md, "Extra time"); without a case only the interview's counts.
        case_extra = need.extra_for(Appointment.Kind.PREPARATION) if need and has_case else 0
        interview_extra = need.extra_for(Appointment.Kind.INTERVIEW) if need else 0
        candidates.append(Candidate(
            id=c.pk, language=c.language, unavailable=_half_days(need.unavailable) if need else frozenset(),
            preferred=_half_days(need.preferred) if need else frozenset(),
            extra_minutes=case_extra if has_case else interview_extra,
            interview_extra_minutes=interview_extra if has_case else 0, needs_room=bool(need and need.needs_room),
            room=need.room_id if need and need.needs_room else None,
            current=current if c.pk not in pinned else None, pinned=pinned.get(c.pk), test=test_slot))

    # Time the same people and rooms spend on other procedures' appointments in the window.
    jury_people = {u: j for j, people in members.items() for u in people}
    others = list(Appointment.objects.filter(
        status__in=Appointment.ACTIVE_STATUSES, starts_at__date__gte=(first or dt.date.min),
        starts_at__date__lte=(last or dt.date.max)).exclude(procedure=procedure)
        .filter(Q(proctor_id__in=proctor_ids) | Q(jury__members__user_id__in=list(jury_people)) | Q(room__isnull=False))
        .prefetch_related("jury__members").distinct())
    jury_busy = _busy(others, lambda a: {jury_people[m.user_id] for m in (a.jury.members.all() if a.jury_id else [])
                                          if m.user_id in jury_people})
    proctor_busy = _busy(others + kept, lambda a: [a.proctor_id] if a.proctor_id in proctor_ids else [])
    room_busy = _busy(others + kept, lambda a: [a.room_id] if a.room_id else [])
    for jury_id, busy in _busy(kept, lambda a: {jury_people[u] for u in members.get(a.jury_id, ())
                                                 if u in jury_people}).items():
        jury_busy[jury_id] = jury_busy.get(jury_id, ()) + busy

    n = procedure.connection_test_days_before
    by_day = {}
    if n:
        for d in days:
            by_day[d] = tuple(working_days_before(d, n + k) for k in range(TEST_EARLIER_WORKING_DAYS + 1))
    test_days = tuple(sorted({td for tds in by_day.values() for td in tds} | set(days)))
    return Instance(
        days=tuple(days), candidates=tuple(candidates), juries=tuple(juries), proctors=tuple(proctors),
        rooms=tuple(rooms), window=window, interview_minutes=procedure.interview_minutes,
        buffer_minutes=procedure.scoring_buffer_minutes,
        case_minutes=procedure.pre_stage_minutes if has_case else 0,
        case_gap_minutes=CASE_GAP_MINUTES if has_case else 0,
        test_minutes=procedure.connection_test_minutes if n else 0, test_days=test_days,
        test_days_by_interview_day=by_day if n else None,
        jury_busy=jury_busy, proctor_busy=proctor_busy, room_busy=room_busy)


def latest_run(procedure: Procedure) -> PlanningRun | None:
    return procedure.planning_runs.order_by("-created_at", "-id").first()


def rooms_by_id(ids) -> dict[int, Room]:
    return Room.objects.in_bulk(list(ids))
