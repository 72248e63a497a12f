"""From placements to a proposal: proctors and rooms by interval partitioning (exact, because
the solvers keep their load within the capacity at every moment), connection tests in group
slots in the proctors' free time, and the figures."""

from __future__ import annotations

import datetime as dt

from .grid import Prepared, type_of
from .instance import AFTERNOON, MORNING, Candidate, TestSlot
from .proposal import Figures, Item, Placement


def _partition(blocks: list[tuple[tuple[int, int], int, int | None]], resources: list[int]) -> dict[int, int]:
    """Blocks (interval, candidate, preferred resource) → resource, earliest start first.

    Any free resource will do (interval partitioning); the preferred one (where a candidate
    already is) first, then the lowest, so work concentrates on few people."""
    free_at = dict.fromkeys(resources, -1)
    chosen: dict[int, int] = {}
    for (start, end), cid, preferred in sorted(blocks, key=lambda b: (b[0][0], b[1])):
        free = [r for r in resources if free_at[r] <= start]
        if not free:
            raise AssertionError("capacity exceeded: the solver broke its own cumulative constraint")
        pick = preferred if preferred in free else free[0]
        chosen[cid] = pick
        free_at[pick] = end
    return chosen


class _TestBook:
    """Connection-test group slots: joined while seats are left, opened on a free proctor half-day."""

    def __init__(self, prepared: Prepared, taken: dict[tuple[int, dt.date], list[tuple[int, int]]],
                 moved: dict[TestSlot, TestSlot]):
        self.p = prepared
        self.taken = taken  # (proctor, day) → sessions they proctor
        self.groups: dict[TestSlot, int] = {}
        for c in prepared.instance.candidates:
            if c.test is not None:
                slot = moved.get(c.test, c.test)
                self.groups[slot] = self.groups.get(slot, 0) + 1

    def _size(self, proctor: int) -> int:
        return next(p.group_size for p in self.p.instance.proctors if p.id == proctor)

    def book(self, candidate: Candidate, interview_day: dt.date) -> TestSlot | None:
        inst = self.p.instance
        window = inst.window
        allowed = inst.test_days_for(interview_day)
        for td in allowed:  # join a group with a free seat, closest to the interview first
            for slot in sorted(self.groups, key=lambda g: (g.start, g.proctor)):
                if (slot.day == td and (td, window.half_of(slot.start)) not in candidate.unavailable
                        and self.groups[slot] < self._size(slot.proctor)):
                    self.groups[slot] += 1
                    return slot
        for td in allowed:  # open a new group slot
            for half in (MORNING, AFTERNOON):
                if (td, half) in candidate.unavailable:
                    continue
                lo, hi = window.bounds(half)
                for proctor in inst.proctors:
                    if (td, half) not in proctor.available:
                        continue
                    busy = [(b.start, b.end) for b in inst.proctor_busy.get(proctor.id, ()) if b.day == td]
                    busy += self.taken.get((proctor.id, td), [])
                    busy += [(g.start, g.end) for g in self.groups if g.proctor == proctor.id and g.day == td]
                    for s in range(lo, hi - inst.test_minutes + 1, window.grid):
                        if all(not (s < e and b < s + inst.test_minutes) for b, e in busy):
                            slot = TestSlot(proctor.id, td, s, s + inst.test_minutes)
                            self.groups[slot] = 1
                            return slot
        return None


def finish(prepared: Prepared, placements: list[Placement], *, method: str) -> tuple[list[Item], set[int]]:
    """Items with proctors, rooms and tests; and the candidates dropped for want of a test."""
    inst = prepared.instance
    window = inst.window
    by_id = {c.id: c for c in inst.candidates}
    proctor_of: dict[int, int] = {}
    room_of: dict[int, int] = {}
    per_halfday: dict[tuple[dt.date, int], list] = {}
    per_room_group: dict[tuple[tuple[dt.date, int], int], list] = {}
    for pl in placements:
        c = by_id[pl.candidate]
        block = prepared.shapes[type_of(c)].candidate_block(pl.start)
        kept = c.pinned or c.current
        per_halfday.setdefault((pl.day, window.half_of(pl.start)), []).append(
            (block, c.id, kept.proctor if kept else None))
        if c.needs_room:
            group = prepared.room_group(type_of(c), (pl.day, window.half_of(pl.start)))
            per_room_group.setdefault(group, []).append((block, c.id, kept.room if kept else None))
    # Kept connection-test groups are partitioned with the sessions (the solvers counted them
    # in the proctors' load), keyed by a negative number; they keep their proctor when it is free.
    kept_tests = sorted({c.test for c in inst.candidates if c.test is not None},
                        key=lambda t: (t.day, t.start, t.proctor))
    test_key = {t: -(n + 1) for n, t in enumerate(kept_tests)}
    for t in kept_tests:
        hd = (t.day, window.half_of(t.start))
        if hd in prepared.case_proctors:
            per_halfday.setdefault(hd, []).append(((t.start, t.end), test_key[t], t.proctor))
    taken: dict[tuple[int, dt.date], list[tuple[int, int]]] = {}
    moved_tests: dict[TestSlot, TestSlot] = {}
    if inst.needs_proctor:
        for hd, blocks in per_halfday.items():
            chosen = _partition(blocks, prepared.case_proctors[hd])
            for block, key, _preferred in blocks:
                taken.setdefault((chosen[key], hd[0]), []).append(block)
            proctor_of.update({k: v for k, v in chosen.items() if k >= 0})
            for t in kept_tests:
                if test_key[t] in chosen and chosen[test_key[t]] != t.proctor:
                    moved_tests[t] = TestSlot(chosen[test_key[t]], t.day, t.start, t.end)
    for (hd, assigned), blocks in per_room_group.items():
        # An assigned room holds its candidates one at a time (the solvers saw to it); the shared
        # rooms are handed out by interval partitioning.
        room_of.update(_partition(blocks, [assigned] if assigned else prepared.case_rooms[hd]))

    tests = _TestBook(prepared, taken, moved_tests)
    items: list[Item] = []
    dropped: set[int] = set()
    for pl in sorted(placements, key=lambda p: (p.day, p.start, p.jury, p.candidate)):
        c = by_id[pl.candidate]
        test = None
        if inst.test_minutes:
            test = moved_tests.get(c.test, c.test) if c.test else tests.book(c, pl.day)
            if test is None:
                dropped.add(c.id)
                continue
        shape = prepared.shapes[type_of(c)]
        case_start = pl.start - shape.lead if shape.case else None
        previous = c.current
        moved = previous is not None and (previous.jury, previous.day, previous.start) != (pl.jury, pl.day, pl.start)
        items.append(Item(candidate=c.id, jury=pl.jury, day=pl.day, start=pl.start, end=pl.start + shape.interview,
                          case_start=case_start, case_end=case_start + shape.case if case_start is not None else None,
                          proctor=proctor_of.get(c.id), room=room_of.get(c.id), test=test,
                          pinned=c.pinned is not None, moved=moved))
    return items, dropped


def figures_of(prepared: Prepared, items: list[Item], *, method: str) -> Figures:
    inst = prepared.instance
    sessions: dict[tuple[int, dt.date, int], list[tuple[int, int]]] = {}
    loads: dict[int, int] = {}
    asked = met = 0
    by_id = {c.id: c for c in inst.candidates}
    for item in items:
        shape = prepared.shapes[type_of(by_id[item.candidate])]
        key = (item.jury, item.day, inst.window.half_of(item.start))
        sessions.setdefault(key, []).append(shape.jury_block(item.start))
        loads[item.jury] = loads.get(item.jury, 0) + 1
        c = by_id[item.candidate]
        if c.preferred:
            asked += 1
            met += (item.day, inst.window.half_of(item.start)) in c.preferred
    idle = 0
    for blocks in sessions.values():
        idle += max(b[1] for b in blocks) - min(b[0] for b in blocks) - sum(b[1] - b[0] for b in blocks)
    planned_ids = {i.candidate for i in items}
    moves = sum(1 for i in items if i.moved) + sum(
        1 for c in inst.candidates if c.current is not None and c.id not in planned_ids)
    return Figures(candidates=len(inst.candidates), planned=len(items),
                   last_day=max((i.day for i in items), default=None),
                   jury_days=len({(i.jury, i.day) for i in items}), idle_minutes=idle,
                   preferred_met=met, preferred_asked=asked, max_load=max(loads.values(), default=0),
                   moves=moves, method=method)
