"""Closing light jury-days after the solver (greedy.fewer_jury_days): everyone keeps an
interview, every hard rule holds, no jury-day is added and the last day never gets later."""

from __future__ import annotations

from hypothesis import given

from interviewdesk.planning.check import violations
from interviewdesk.planning.greedy import fewer_jury_days, greedy
from interviewdesk.planning.grid import PLAIN, prepare
from interviewdesk.planning.instance import AFTERNOON, MORNING, Candidate, Instance, Jury, Proctor
from interviewdesk.planning.proposal import Placement
from interviewdesk.planning.solver import _proposal

from .strategies import DAYS, instances
from .test_solver_properties import SETTINGS


def _jury_days(placements) -> set:
    return {(p.jury, p.day) for p in placements}


@SETTINGS
@given(instances())
def test_closing_jury_days_keeps_every_candidate_and_every_rule(instance):
    prepared = prepare(instance)
    before = greedy(prepared)
    after = fewer_jury_days(prepared, before)
    assert sorted(p.candidate for p in after) == sorted(p.candidate for p in before)
    assert _jury_days(after) <= _jury_days(before)
    if before:
        assert max(p.day for p in after) <= max(p.day for p in before)
    proposal = _proposal(prepared, after, method="test", started=0.0, bound=len(before))
    assert violations(instance, proposal) == []


def test_two_juries_holding_one_interview_each_on_a_day_become_one():
    day = DAYS[0]
    everywhere = frozenset({(day, MORNING), (day, AFTERNOON)})
    instance = Instance(
        days=(day,), juries=(Jury(id=1, languages=frozenset({"nl"}), available=everywhere, max_per_day=4),
                             Jury(id=2, languages=frozenset({"nl"}), available=everywhere, max_per_day=4)),
        candidates=(Candidate(id=1, language="nl"), Candidate(id=2, language="nl")),
        proctors=(Proctor(id=1, available=everywhere, group_size=1), Proctor(id=2, available=everywhere, group_size=1)),
        rooms=(), interview_minutes=60, buffer_minutes=0, case_minutes=0, case_gap_minutes=0,
        test_minutes=0, test_days=())
    prepared = prepare(instance)
    start = prepared.session_starts(PLAIN, (1, day, MORNING))[0]
    spread = [Placement(1, 1, day, start), Placement(2, 2, day, start)]
    closed = fewer_jury_days(prepared, spread)
    assert len(_jury_days(closed)) == 1
    assert violations(instance, _proposal(prepared, closed, method="test", started=0.0, bound=2)) == []
