"""Issue 13: the room the officer assigned when approving a room request (it has what the candidate
asked for) is the one the planner uses; no other room will do, and nobody else sits in it."""

from __future__ import annotations

import dataclasses

import pytest

from interviewdesk.planning import services
from interviewdesk.planning.check import violations
from interviewdesk.planning.instance import AFTERNOON, MORNING, Candidate, Instance, Jury, Proctor, Room
from interviewdesk.planning.moves import place
from interviewdesk.planning.selectors import planning_instance
from interviewdesk.planning.solver import plan, plan_greedy
from interviewdesk.portal.models import RoomRequest
from interviewdesk.procedures.models import HalfDay, RoomFreeDay
from interviewdesk.scheduling.models import Appointment
from tests.factories import RoomFactory

from .helpers import planning_procedure
from .strategies import DAYS

SHARED, ASSIGNED = 1, 2


def _instance(*, assigned_room_free: bool = True) -> Instance:
    day = DAYS[0]
    everywhere = frozenset({(day, MORNING), (day, AFTERNOON)})
    return Instance(
        days=(day,),
        juries=(Jury(id=1, languages=frozenset({"nl"}), available=everywhere, max_per_day=6),
                Jury(id=2, languages=frozenset({"nl"}), available=everywhere, max_per_day=6)),
        candidates=(Candidate(id=1, language="nl", needs_room=True, room=ASSIGNED),
                    Candidate(id=2, language="nl", needs_room=True),
                    Candidate(id=3, language="nl", needs_room=True, room=ASSIGNED),
                    Candidate(id=4, language="nl")),
        proctors=(Proctor(id=1, available=everywhere), Proctor(id=2, available=everywhere)),
        rooms=(Room(id=SHARED, free=everywhere), Room(id=ASSIGNED, free=everywhere if assigned_room_free else frozenset())),
        interview_minutes=60, buffer_minutes=0)


@pytest.mark.parametrize("method", ["greedy", "cp-sat"])
def test_candidates_sit_in_the_room_assigned_to_them_and_nobody_else_does(method):
    instance = _instance()
    proposal = plan_greedy(instance) if method == "greedy" else plan(instance, time_limit=5, deterministic=True)
    assert violations(instance, proposal) == []
    rooms = {item.candidate: item.room for item in proposal.items}
    assert rooms == {1: ASSIGNED, 2: SHARED, 3: ASSIGNED, 4: None}


def test_an_assigned_room_that_is_never_free_leaves_the_candidate_unplanned_though_another_room_is():
    instance = _instance(assigned_room_free=False)
    proposal = plan(instance, time_limit=5, deterministic=True)
    assert violations(instance, proposal) == []
    assert {item.candidate for item in proposal.items} == {2, 4}
    assert proposal.unplanned[1].code == proposal.unplanned[3].code == "no_room"


def test_the_checker_refuses_another_room_than_the_assigned_one():
    instance = _instance()
    proposal = plan_greedy(instance)
    item = proposal.item_for(1)
    assert item is not None
    proposal.items[proposal.items.index(item)] = dataclasses.replace(item, room=SHARED)
    assert any("not in the room 2 assigned to them" in v for v in violations(instance, proposal))


@pytest.mark.django_db
def test_the_room_approved_for_a_candidate_reaches_the_planner_and_the_applied_appointments():
    s = planning_procedure(candidates=2)
    assigned, other = RoomFactory(name="Quiet room"), RoomFactory(name="Other room")
    RoomFreeDay.objects.bulk_create(RoomFreeDay(room=room, date=day, part=part)
                                    for room in (assigned, other) for day in s.days for part in HalfDay.values)
    candidate = s.candidates[0]
    RoomRequest.objects.create(candidate=candidate, reason="no quiet place", needs="a wired connection",
                               status=RoomRequest.Status.APPROVED, room=assigned)
    by_id = {c.id: c for c in planning_instance(s.procedure).candidates}
    assert (by_id[candidate.pk].needs_room, by_id[candidate.pk].room) == (True, assigned.pk)

    run = services.planning_run_start(actor=s.officer, procedure=s.procedure, time_limit=5)
    services.planning_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.items.get(candidate=candidate).room_id == assigned.pk
    services.proposal_apply(actor=s.officer, run=run)
    interview = Appointment.objects.get(candidate=candidate, kind=Appointment.Kind.INTERVIEW)
    assert (interview.room_id, interview.mode) == (assigned.pk, Appointment.Mode.PROVIDED_ROOM)


def test_moving_a_candidate_by_hand_never_hands_them_another_room_than_their_own():
    instance = _instance()
    proposal = plan_greedy(instance)
    first, third = proposal.item_for(1), proposal.item_for(3)
    assert first is not None and third is not None
    others = [i for i in proposal.items if i.candidate != 1]
    # Onto the time the other candidate of the same room has (another jury): the room is taken.
    item, problems = place(instance, others, first, jury=2 if third.jury == 1 else 1, day=third.day,
                           start=third.start)
    assert item.room == ASSIGNED
    assert {b.code for b in problems} & {"room_overlap", "assigned_room"}
