"""What every solver shares: slot types, the start times each jury session offers, the
proctor and room capacity per half-day, and each candidate's feasible half-days.

A *type* is (extra minutes, needs a room, extra interview minutes): candidates of one type occupy people and rooms
the same way. A *session* is a jury's half-day `(jury, day, half)`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .instance import AFTERNOON, MORNING, Busy, Candidate, HalfDay, Instance

# (extra minutes, needs a room, extra interview minutes, the room assigned or 0); t[1]: needs a room
Type = tuple[int, bool, int, int]
PLAIN: Type = (0, False, 0, 0)  # no extra time, from home: most candidates
RoomGroup = tuple[HalfDay, int]  # (half-day, assigned room or 0 for the shared rooms)
SPECIAL_GRID_FACTOR = 2
Session = tuple[int, dt.date, int]  # (jury id, day, half)


@dataclass(frozen=True)
class Shape:
    """Where an interview starting at minute `s` puts everyone, relative to `s`."""

    lead: int  # the candidate (and the proctor) start this long before the interview: case + gap
    interview: int  # the interview's length
    jury: int  # the jury is busy this long from `s` (interview + scoring buffer)
    case: int  # the case's length (0: none)

    def candidate_block(self, s: int) -> tuple[int, int]:
        return s - self.lead, s + self.interview

    def jury_block(self, s: int) -> tuple[int, int]:
        return s, s + self.jury


def shape_of(instance: Instance, type_: Type) -> Shape:
    extra, _room, interview_extra, _assigned = type_
    if instance.case_minutes:
        case = instance.case_minutes + extra
        interview = instance.interview_minutes + interview_extra
        lead = case + instance.case_gap_minutes
    else:
        case, lead, interview = 0, 0, instance.interview_minutes + extra + interview_extra
    return Shape(lead=lead, interview=interview, jury=interview + instance.buffer_minutes, case=case)


def type_of(candidate: Candidate) -> Type:
    assigned = candidate.room or 0 if candidate.needs_room else 0
    return candidate.extra_minutes, candidate.needs_room, candidate.interview_extra_minutes, assigned


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _busy_overlaps(busy: tuple[Busy, ...], day: dt.date, block: tuple[int, int]) -> bool:
    return any(b.day == day and overlaps((b.start, b.end), block) for b in busy)


@dataclass
class Prepared:
    instance: Instance
    types: list[Type]
    shapes: dict[Type, Shape]
    sessions: list[Session]  # every jury half-day that is available
    starts: dict[tuple[Type, Session], list[int]]  # start minutes a session offers a type
    proctor_cap: dict[HalfDay, int]  # proctors free for a whole half-day (no other duty in it)
    case_proctors: dict[HalfDay, list[int]]
    room_cap: dict[HalfDay, int]  # shared rooms free for a whole half-day
    case_rooms: dict[HalfDay, list[int]]  # those rooms (a room assigned to a candidate is not shared)
    rooms_free: dict[HalfDay, set[int]]  # every room free for a whole half-day, assigned ones included
    test_blocks: dict[HalfDay, list[tuple[int, int]]]
    interview_days: dict[int, set[dt.date]]  # candidate → days a connection test allows
    options: dict[int, list[HalfDay]] = field(default_factory=dict)  # candidate → feasible half-days
    day_index: dict[dt.date, int] = field(default_factory=dict)

    def session_starts(self, type_: Type, session: Session) -> list[int]:
        return self.starts.get((type_, session), [])

    @staticmethod
    def room_group(type_: Type, half_day: HalfDay) -> RoomGroup:
        """Whose rooms a candidate of `type_` uses: their assigned room's, or the shared ones."""
        return half_day, type_[3]

    def room_capacity(self, group: RoomGroup) -> int:
        """Candidates a room group holds at once: one in an assigned room, one per shared room."""
        half_day, room = group
        if room:
            return 1 if room in self.rooms_free[half_day] else 0
        return self.room_cap[half_day]

    def juries_for(self, candidate: Candidate, half_day: HalfDay) -> list[int]:
        day, half = half_day
        type_ = type_of(candidate)
        return [j.id for j in self.instance.juries
                if candidate.language in j.languages and self.session_starts(type_, (j.id, day, half))]


def _interview_days(instance: Instance, candidate: Candidate, proctor_days: set[HalfDay]) -> set[dt.date]:
    """Days the candidate's interview may be held given the connection test that must come first."""
    days = set(instance.days)
    if not instance.test_minutes:
        return days
    if candidate.test is not None:
        return {d for d in days if candidate.test.day in instance.test_days_for(d)}
    usable = {td for td in instance.test_days
              if any((td, h) in proctor_days and (td, h) not in candidate.unavailable for h in (MORNING, AFTERNOON))}
    return {d for d in days if usable.intersection(instance.test_days_for(d))}


def prepare(instance: Instance) -> Prepared:
    window = instance.window
    types = sorted({type_of(c) for c in instance.candidates})
    shapes = {t: shape_of(instance, t) for t in types}
    day_set = set(instance.days)
    # Kept connection-test groups take one proctor each while they last (`test_blocks`).
    test_blocks: dict[HalfDay, list[tuple[int, int]]] = {}
    for test in sorted({c.test for c in instance.candidates if c.test is not None}, key=lambda t: (t.day, t.start)):
        test_blocks.setdefault((test.day, window.half_of(test.start)), []).append((test.start, test.end))
    case_proctors: dict[HalfDay, list[int]] = {}
    for day in instance.days:
        for half in (MORNING, AFTERNOON):
            lo, hi = window.bounds(half)
            case_proctors[(day, half)] = [
                p.id for p in instance.proctors
                if (day, half) in p.available
                and not _busy_overlaps(instance.proctor_busy.get(p.id, ()), day, (lo, hi))]
    proctor_cap = {hd: len(ids) for hd, ids in case_proctors.items()}
    rooms_free = {(day, half): {r.id for r in instance.rooms if (day, half) in r.free
                                and not _busy_overlaps(instance.room_busy.get(r.id, ()), day, window.bounds(half))}
                  for day in instance.days for half in (MORNING, AFTERNOON)}
    # A room the officer assigned to a candidate is theirs (and their fellows'): kept out of the
    # shared rooms, so handing out the shared ones can never collide with it (a restriction, no rule broken).
    assigned = {c.room for c in instance.candidates if c.needs_room and c.room}
    case_rooms = {hd: sorted(ids - assigned) for hd, ids in rooms_free.items()}
    room_cap = {hd: len(ids) for hd, ids in case_rooms.items()}

    fixed_starts: dict[tuple[Type, int, dt.date], set[int]] = {}
    for c in instance.candidates:
        for slot in (c.current, c.pinned):
            if slot is not None and slot.day in day_set:
                fixed_starts.setdefault((type_of(c), slot.jury, slot.day), set()).add(slot.start)

    sessions: list[Session] = []
    starts: dict[tuple[Type, Session], list[int]] = {}
    for jury in instance.juries:
        busy = instance.jury_busy.get(jury.id, ())
        for day in instance.days:
            for half in (MORNING, AFTERNOON):
                if (day, half) not in jury.available:
                    continue
                session = (jury.id, day, half)
                sessions.append(session)
                lo, hi = window.bounds(half)
                for t in types:
                    shape = shapes[t]
                    if instance.needs_proctor and not proctor_cap[(day, half)]:
                        continue
                    if t[1] and not (t[3] in rooms_free[(day, half)] if t[3] else room_cap[(day, half)]):
                        continue
                    # Candidates with extra time or a room are few: a coarser grid for them keeps
                    # the model small (a restriction, never a broken rule).
                    step = window.grid * (1 if t == PLAIN else SPECIAL_GRID_FACTOR)
                    grid = set(range(lo, hi, step)) | fixed_starts.get((t, jury.id, day), set())
                    ok = [s for s in sorted(grid)
                          if s - shape.lead >= lo and s + shape.jury <= hi
                          and not _busy_overlaps(busy, day, shape.jury_block(s))]
                    if ok:
                        starts[(t, session)] = ok
    proctor_days = {hd for p in instance.proctors for hd in p.available}
    if instance.test_minutes:
        proctor_days |= {(d, h) for d in instance.test_days for h in (MORNING, AFTERNOON)
                         if any((d, h) in p.available for p in instance.proctors)}
    prepared = Prepared(instance=instance, types=types, shapes=shapes, sessions=sessions, starts=starts,
                        proctor_cap=proctor_cap, case_proctors=case_proctors, room_cap=room_cap,
                        case_rooms=case_rooms, rooms_free=rooms_free, test_blocks=test_blocks,
                        interview_days={c.id: _interview_days(instance, c, proctor_days) for c in instance.candidates},
                        day_index={d: i for i, d in enumerate(instance.days)})
    for c in instance.candidates:
        prepared.options[c.id] = [
            (day, half) for day in instance.days for half in (MORNING, AFTERNOON)
            if (day, half) not in c.unavailable and day in prepared.interview_days[c.id]
            and prepared.juries_for(c, (day, half))]
    return prepared
