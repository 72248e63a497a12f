"""Small planning instances for property tests: every kind of constraint, few of each."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from interviewdesk.planning.instance import AFTERNOON, MORNING, Candidate, Instance, Jury, Proctor, Room

DAYS = (dt.date(2027, 1, 11), dt.date(2027, 1, 12), dt.date(2027, 1, 13))
TEST_DAYS = (dt.date(2027, 1, 6), dt.date(2027, 1, 7), dt.date(2027, 1, 8), *DAYS)
LANGUAGES = ("nl", "fr", "de")


@st.composite
def instances(draw, max_candidates: int = 10) -> Instance:
    n_days = draw(st.integers(1, 3))
    days = DAYS[:n_days]
    halves = [(d, h) for d in days for h in (MORNING, AFTERNOON)]
    halfday_sets = st.frozensets(st.sampled_from(halves))
    juries = tuple(
        Jury(id=j + 1, languages=draw(st.frozensets(st.sampled_from(LANGUAGES), min_size=1, max_size=2)),
             available=draw(halfday_sets), max_per_day=draw(st.integers(1, 5)))
        for j in range(draw(st.integers(1, 3))))
    with_tests = draw(st.booleans())
    test_days = TEST_DAYS if with_tests else ()
    proctor_halves = [(d, h) for d in TEST_DAYS for h in (MORNING, AFTERNOON)]
    proctors = tuple(Proctor(id=p + 1, available=draw(st.frozensets(st.sampled_from(proctor_halves), min_size=2)),
                             group_size=draw(st.integers(1, 3)))
                     for p in range(draw(st.integers(1, 3))))
    rooms = tuple(Room(id=r + 1, free=draw(st.frozensets(st.sampled_from(halves))))
                  for r in range(draw(st.integers(0, 2))))
    candidates = tuple(
        Candidate(id=c + 1, language=draw(st.sampled_from(LANGUAGES)),
                  unavailable=draw(st.frozensets(st.sampled_from(halves), max_size=2)),
                  preferred=draw(st.frozensets(st.sampled_from(halves), max_size=2)),
                  extra_minutes=draw(st.sampled_from((0, 0, 0, 15))), needs_room=draw(st.booleans()),
                  interview_extra_minutes=draw(st.sampled_from((0, 0, 0, 10))),
                  # Sometimes the room the officer assigned (it may not be free: then no other will do).
                  room=draw(st.sampled_from((None, None, *(r.id for r in rooms)))))
        for c in range(draw(st.integers(1, max_candidates))))
    return Instance(days=days, candidates=candidates, juries=juries, proctors=proctors, rooms=rooms,
                    interview_minutes=draw(st.sampled_from((45, 60))), buffer_minutes=draw(st.sampled_from((0, 15))),
                    case_minutes=draw(st.sampled_from((0, 30))), case_gap_minutes=draw(st.sampled_from((0, 15))),
                    test_minutes=15 if with_tests else 0, test_min_days_before=draw(st.integers(1, 2)),
                    test_max_days_before=7, test_days=test_days)
