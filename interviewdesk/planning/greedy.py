"""The baseline a careful person (or a booking tool) would produce, and the solver's warm start.

Most-constrained first: candidates with the fewest feasible half-days go first, each into
the earliest half-day they can take, preferring a jury whose day is already open, at the
earliest start where jury, proctors and rooms are free.
"""

from __future__ import annotations

import datetime as dt
import functools

from .grid import Prepared, RoomGroup, Session, Type, type_of
from .instance import Candidate, Slot
from .proposal import Placement


def fits_cumulative(blocks: list[tuple[int, int]], new: tuple[int, int], capacity: int) -> bool:
    """Whether `new` can join `blocks` with at most `capacity` of them at any moment."""
    if capacity <= 0:
        return False
    points = [new[0], *(b[0] for b in blocks if new[0] < b[0] < new[1])]
    return all(sum(1 for b in blocks if b[0] <= p < b[1]) < capacity for p in points)


class Board:
    """What is taken so far: jury time, proctor and room load. Only ever grows."""

    def __init__(self, prepared: Prepared):
        self.p = prepared
        self.jury_blocks: dict[tuple[int, dt.date], list[tuple[int, int]]] = {}
        self.proctor_blocks: dict[tuple[dt.date, int], list[tuple[int, int]]] = {
            hd: list(blocks) for hd, blocks in prepared.test_blocks.items()}
        self.room_blocks: dict[RoomGroup, list[tuple[int, int]]] = {}
        self.dead: set[tuple[Type, Session]] = set()  # no start fits any more (resources only shrink)

    def can(self, type_: Type, session: Session, s: int) -> bool:
        jury_id, day, half = session
        shape = self.p.shapes[type_]
        taken = self.jury_blocks.get((jury_id, day), [])
        if len(taken) >= self.p.instance.jury(jury_id).max_per_day:
            return False
        jb = shape.jury_block(s)
        if any(b[0] < jb[1] and jb[0] < b[1] for b in taken):
            return False
        cb = shape.candidate_block(s)
        if self.p.instance.needs_proctor and not fits_cumulative(
                self.proctor_blocks.get((day, half), []), cb, self.p.proctor_cap[(day, half)]):
            return False
        group = self.p.room_group(type_, (day, half))
        return not (type_[1] and not fits_cumulative(self.room_blocks.get(group, []), cb,
                                                     self.p.room_capacity(group)))

    def take(self, type_: Type, session: Session, s: int) -> None:
        jury_id, day, half = session
        shape = self.p.shapes[type_]
        self.jury_blocks.setdefault((jury_id, day), []).append(shape.jury_block(s))
        self.proctor_blocks.setdefault((day, half), []).append(shape.candidate_block(s))
        if type_[1]:
            self.room_blocks.setdefault(self.p.room_group(type_, (day, half)), []).append(shape.candidate_block(s))

    def give_back(self, type_: Type, session: Session, s: int) -> None:
        """Undo `take` (for compaction; the `dead` cache is not used then)."""
        jury_id, day, half = session
        shape = self.p.shapes[type_]
        self.jury_blocks[(jury_id, day)].remove(shape.jury_block(s))
        self.proctor_blocks[(day, half)].remove(shape.candidate_block(s))
        if type_[1]:
            self.room_blocks[self.p.room_group(type_, (day, half))].remove(shape.candidate_block(s))

    def first_start(self, type_: Type, session: Session) -> int | None:
        if (type_, session) in self.dead:
            return None
        for s in self.p.session_starts(type_, session):
            if self.can(type_, session, s):
                return s
        self.dead.add((type_, session))
        return None

    def place_at(self, candidate: Candidate, slot: Slot) -> bool:
        """Put a candidate back where they are (re-planning), if that still fits."""
        session = (slot.jury, slot.day, self.p.instance.window.half_of(slot.start))
        hd = (slot.day, session[2])
        if hd not in self.p.options[candidate.id]:
            return False
        if candidate.language not in self.p.instance.jury(slot.jury).languages:
            return False
        type_ = type_of(candidate)
        if slot.start not in self.p.session_starts(type_, session) or not self.can(type_, session, slot.start):
            return False
        self.take(type_, session, slot.start)
        return True


def _busy_days_first(jury_blocks: dict, day: dt.date, jury_id: int) -> tuple[bool, int]:
    """Juries already sitting on `day` first (fewer jury-days), then by id (deterministic)."""
    return ((jury_id, day) not in jury_blocks, jury_id)


def greedy(prepared: Prepared) -> list[Placement]:
    instance = prepared.instance
    board = Board(prepared)
    placements: list[Placement] = []
    placed: set[int] = set()
    for c in instance.candidates:  # pinned first: they never move
        if c.pinned is not None and board.place_at(c, c.pinned):
            placements.append(Placement(c.id, c.pinned.jury, c.pinned.day, c.pinned.start))
            placed.add(c.id)
    for c in instance.candidates:  # then everyone where they already are
        if c.id not in placed and c.pinned is None and c.current is not None and board.place_at(c, c.current):
            placements.append(Placement(c.id, c.current.jury, c.current.day, c.current.start))
            placed.add(c.id)
    rest = sorted((c for c in instance.candidates if c.id not in placed and c.pinned is None),
                  key=lambda c: (len(prepared.options[c.id]), c.id))
    for c in rest:
        type_ = type_of(c)
        for day, half in prepared.options[c.id]:
            juries = prepared.juries_for(c, (day, half))
            juries.sort(key=functools.partial(_busy_days_first, board.jury_blocks, day))
            found = None
            for jury_id in juries:
                s = board.first_start(type_, (jury_id, day, half))
                if s is not None:
                    found = (jury_id, s)
                    break
            if found:
                board.take(type_, (found[0], day, half), found[1])
                placements.append(Placement(c.id, found[0], day, found[1]))
                break
    return placements


def _board_with(prepared: Prepared, placements: list[Placement], by_id: dict) -> Board:
    board = Board(prepared)
    for pl in placements:
        c = by_id[pl.candidate]
        board.take(type_of(c), (pl.jury, pl.day, prepared.instance.window.half_of(pl.start)), pl.start)
    return board


def compact(prepared: Prepared, placements: list[Placement]) -> list[Placement]:
    """Close gaps inside jury half-days: each interview, in order, moves to the earliest start
    after the previous one where jury, proctors and rooms allow. Only placements that are new
    in this plan move (kept and pinned ones stay), so coverage, days and moves are unchanged."""
    inst = prepared.instance
    by_id = {c.id: c for c in inst.candidates}
    result = list(placements)
    board = _board_with(prepared, result, by_id)
    sessions: dict[Session, list[int]] = {}
    for index, pl in enumerate(result):
        sessions.setdefault((pl.jury, pl.day, inst.window.half_of(pl.start)), []).append(index)
    for session, indexes in sorted(sessions.items()):
        indexes.sort(key=lambda i: result[i].start)
        previous_end = None
        for i in indexes:
            pl = result[i]
            c = by_id[pl.candidate]
            type_ = type_of(c)
            shape = prepared.shapes[type_]
            if c.pinned is None and c.current is None and previous_end is not None and pl.start > previous_end:
                board.give_back(type_, session, pl.start)
                better = next((s for s in prepared.session_starts(type_, session)
                               if previous_end <= s < pl.start and board.can(type_, session, s)), pl.start)
                board.take(type_, session, better)
                pl = result[i] = Placement(pl.candidate, pl.jury, pl.day, better)
            previous_end = pl.start + shape.jury
    return result


# Jury-days tried per call: a count, not a clock, so the same plan comes out on a busy machine.
EMPTY_TRIES = 60


def fewer_jury_days(prepared: Prepared, placements: list[Placement]) -> list[Placement]:
    """Close jury-days by moving all their interviews into jury-days that stay open.

    The lightest jury-days are tried first; an interview may go to any start of another open
    jury-day of a jury speaking the candidate's language on one of the candidate's half-days,
    where jury, proctors and rooms allow (the Board's rules). A jury-day is closed only when all
    its interviews find a place, so coverage is unchanged and no day is added (the last day
    cannot move). Only interviews new in this plan move, like in `compact`."""
    inst = prepared.instance
    by_id = {c.id: c for c in inst.candidates}
    result = list(placements)
    board = _board_with(prepared, result, by_id)
    by_day: dict[tuple[int, dt.date], list[int]] = {}
    for index, pl in enumerate(result):
        by_day.setdefault((pl.jury, pl.day), []).append(index)

    def movable(indexes: list[int]) -> bool:
        return all(by_id[result[i].candidate].pinned is None and by_id[result[i].candidate].current is None
                   for i in indexes)

    tried: set[tuple[int, dt.date]] = set()
    for _ in range(EMPTY_TRIES):
        choices = sorted((len(ix), key) for key, ix in by_day.items() if key not in tried and ix and movable(ix))
        if not choices:
            break
        _n, closing = choices[0]
        tried.add(closing)
        moved: list[tuple[int, Placement]] = []
        for i in by_day[closing]:
            pl = result[i]
            c = by_id[pl.candidate]
            type_ = type_of(c)
            board.give_back(type_, (pl.jury, pl.day, inst.window.half_of(pl.start)), pl.start)
            target = _elsewhere(prepared, board, c, type_, by_day, closing)
            if target is None:
                board.take(type_, (pl.jury, pl.day, inst.window.half_of(pl.start)), pl.start)
                break
            board.take(type_, target[0], target[1])
            moved.append((i, Placement(c.id, target[0][0], target[0][1], target[1])))
        else:
            for i, new in moved:
                result[i] = new
                by_day.setdefault((new.jury, new.day), []).append(i)
            by_day[closing] = []
            continue
        for i, new in moved:  # not every interview found a place: put them all back
            c = by_id[new.candidate]
            old = result[i]
            board.give_back(type_of(c), (new.jury, new.day, inst.window.half_of(new.start)), new.start)
            board.take(type_of(c), (old.jury, old.day, inst.window.half_of(old.start)), old.start)
    return result


def _elsewhere(prepared: Prepared, board: Board, c: Candidate, type_: Type, by_day: dict,
               closing: tuple[int, dt.date]) -> tuple[Session, int] | None:
    """The first start for `c` in another open jury-day, or None."""
    for day, half in prepared.options[c.id]:
        for jury_id in prepared.juries_for(c, (day, half)):
            if (jury_id, day) == closing or not by_day.get((jury_id, day)):
                continue
            session = (jury_id, day, half)
            for s in prepared.session_starts(type_, session):
                if board.can(type_, session, s):
                    return session, s
    return None
