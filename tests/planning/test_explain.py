"""Reasons the planner gives, per unplanned and per planned candidate."""

from __future__ import annotations

import datetime as dt

from interviewdesk.planning.explain import text
from interviewdesk.planning.instance import AFTERNOON, MORNING, Candidate, Instance, Jury, Proctor, Slot
from interviewdesk.planning.solver import plan

MON, TUE = dt.date(2027, 1, 11), dt.date(2027, 1, 12)
BOTH = frozenset((d, h) for d in (MON, TUE) for h in (MORNING, AFTERNOON))


def _instance(*candidates, juries=None) -> Instance:
    juries = juries or (Jury(1, frozenset({"nl"}), BOTH, 4), Jury(2, frozenset({"de"}), frozenset({(MON, MORNING)}), 4))
    return Instance(days=(MON, TUE), candidates=candidates, juries=juries, proctors=(Proctor(1, BOTH),))


def test_a_german_candidate_free_only_when_no_german_jury_sits_is_explained_with_the_day():
    only_tuesday = frozenset({(MON, MORNING), (MON, AFTERNOON)})
    proposal = plan(_instance(Candidate(1, "de", unavailable=only_tuesday)), time_limit=5, deterministic=True)
    reason = proposal.unplanned[1]
    assert reason.code == "no_jury_when_available"
    assert reason.params["days"] == ["2027-01-12"]
    assert text(reason) == "German-speaking, available only on 2027-01-12; no German jury then"


def test_a_language_no_jury_speaks_is_named():
    proposal = plan(_instance(Candidate(1, "fr")), time_limit=5, deterministic=True)
    assert text(proposal.unplanned[1]) == "French-speaking; no jury speaks French"


def test_the_only_possible_half_day_is_given_as_the_reason():
    not_monday_afternoon = BOTH - {(MON, AFTERNOON)}
    proposal = plan(_instance(Candidate(1, "nl", unavailable=not_monday_afternoon)), time_limit=5, deterministic=True)
    item = proposal.item_for(1)
    assert (item.day, item.start >= 12 * 60 + 30) == (MON, True)
    assert text(item.why) == "the only half-day when they and a Dutch jury can both take part"


def test_when_the_only_slot_is_held_by_a_flexible_candidate_that_one_moves_and_the_move_is_counted():
    # One Dutch jury, one interview a day. Candidate 1 holds Monday but could also come on
    # Tuesday; candidate 2 can only come on Monday. Planning the rest moves candidate 1.
    jury = Jury(1, frozenset({"nl"}), BOTH, 1)
    held = Candidate(1, "nl", current=Slot(1, MON, 9 * 60))
    newcomer = Candidate(2, "nl", unavailable=frozenset({(TUE, MORNING), (TUE, AFTERNOON)}))
    proposal = plan(_instance(held, newcomer, juries=(jury,)), time_limit=5, deterministic=True)
    assert proposal.figures.planned == 2
    assert proposal.figures.moves == 1
    assert proposal.item_for(1).day == TUE and proposal.item_for(1).moved
    assert text(proposal.item_for(1).why) == "moved so that more candidates fit"
    assert proposal.item_for(2).day == MON
