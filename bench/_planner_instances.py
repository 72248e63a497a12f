"""Seeded planning instances for bench/planner.py (and the docs' figures).

Sizes from issue 13: S = 200 candidates / 8 juries / 5 days, M = 1,000 / 20 / 10,
L = 3,000 / 40 / 15. Dutch, French and a few German candidates; Dutch, French, bilingual
and a few German-speaking juries; juries available on whole days, half days or not at all;
one candidate in five unable to come on one to three half-days, some with a preference;
5 % take part from one of few rooms; fewer proctors than juries would need to start at once;
a lunch break, a daily maximum, a case before each interview and a group connection test
2–10 days before.
"""

from __future__ import annotations

import datetime as dt
import random

from interviewdesk.planning.instance import (
    AFTERNOON,
    MORNING,
    Candidate,
    DayWindow,
    Instance,
    Jury,
    Proctor,
    Room,
)

SIZES = {"S": (200, 8, 5), "M": (1000, 20, 10), "L": (3000, 40, 15)}
PROCTORS_PER_JURY = 1.5
FIRST_DAY = dt.date(2027, 1, 11)  # a Monday


def working_days(first: dt.date, count: int, *, step: int = 1) -> list[dt.date]:
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=step)
    return days


def _before(first: dt.date, count: int) -> list[dt.date]:
    days, day = [], first - dt.timedelta(days=1)
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= dt.timedelta(days=1)
    return sorted(days)


def _availability(rng: random.Random, days: list[dt.date], whole: float, half: float) -> frozenset:
    out = set()
    for d in days:
        r = rng.random()
        if r < whole:
            out |= {(d, MORNING), (d, AFTERNOON)}
        elif r < whole + half:
            out.add((d, rng.choice((MORNING, AFTERNOON))))
    return frozenset(out)


def instance(size: str, seed: int = 2027) -> Instance:
    n_candidates, n_juries, n_days = SIZES[size]
    rng = random.Random(f"{size}-{seed}")
    days = working_days(FIRST_DAY, n_days)
    halves = [(d, h) for d in days for h in (MORNING, AFTERNOON)]
    n_german_juries = max(1, n_juries // 12)
    juries = []
    for j in range(n_juries):
        if j < n_german_juries:
            languages = frozenset({"de", "fr"} if j % 2 == 0 else {"de", "nl"})
        else:
            r = rng.random()
            languages = frozenset({"nl"} if r < 0.45 else {"fr"} if r < 0.8 else {"nl", "fr"})
        juries.append(Jury(id=j + 1, languages=languages, available=_availability(rng, days, 0.85, 0.1),
                           max_per_day=6 if rng.random() < 0.7 else 5, name=f"Jury {j + 1}"))
    test_days = _before(FIRST_DAY, 5) + days
    n_proctors = round(n_juries * PROCTORS_PER_JURY)
    proctors = [Proctor(id=p + 1, available=_availability(rng, test_days, 0.9, 0.05), group_size=6)
                for p in range(n_proctors)]
    n_rooms = max(2, n_juries // 8)
    rooms = [Room(id=r + 1, free=frozenset(h for d in days if rng.random() < 0.7 for h in ((d, MORNING), (d, AFTERNOON))))
             for r in range(n_rooms)]
    candidates = []
    for c in range(n_candidates):
        r = rng.random()
        language = "de" if r < 0.04 else "fr" if r < 0.42 else "nl"
        unavailable = frozenset(rng.sample(halves, rng.randint(1, 3))) if rng.random() < 0.2 else frozenset()
        preferred = frozenset(h for h in halves if h[1] == MORNING) if rng.random() < 0.1 else frozenset()
        extra = rng.choice((15, 30)) if rng.random() < 0.04 else 0
        candidates.append(Candidate(id=c + 1, language=language, unavailable=unavailable, preferred=preferred,
                                    extra_minutes=extra, needs_room=rng.random() < 0.05))
    return Instance(days=tuple(days), candidates=tuple(candidates), juries=tuple(juries), proctors=tuple(proctors),
                    rooms=tuple(rooms),
                    window=DayWindow(start=8 * 60, lunch_start=12 * 60 + 45, lunch_end=13 * 60 + 30,
                                     end=17 * 60 + 30, grid=15),
                    interview_minutes=50, buffer_minutes=10, case_minutes=30, case_gap_minutes=0,
                    test_minutes=15, test_min_days_before=2, test_max_days_before=10, test_days=tuple(test_days))
