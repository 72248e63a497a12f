"""Moving one interview of a proposal by hand, under the same hard rules the planner keeps.

The rules are `check.broken_rules`, run on the instance the run plans (the planning problem
as it is now): the proposal's items on the days the move touches, once as they are and once
with the item moved. What the move breaks is what the second check finds and the first does
not, so a rule some other item already broke (a room booked elsewhere since the run) is not
laid at this move's door. The proctor and the room go along when they can; otherwise the first
other proctor or room that is free then takes over. The connection test stays where it is: a
move that takes the interview out of its test's days is refused, saying which days fit
(docs/planning.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from .check import Broken, broken_rules
from .instance import Instance
from .proposal import Figures, Item, Proposal

PROCTOR_RULES = frozenset({"no_proctor", "proctor_unavailable", "proctor_overlap", "proctor_busy"})
ROOM_RULES = frozenset({"no_room", "room_overlap", "room_busy", "assigned_room"})


def moved(original: Item, *, jury: int, day: dt.date, start: int) -> Item:
    """The item at `start` on `day` with `jury`; the case keeps its place before the interview."""
    shift = start - original.start
    return dataclasses.replace(
        original, jury=jury, day=day, start=start, end=original.end + shift,
        case_start=original.case_start + shift if original.case_start is not None else None,
        case_end=original.case_end + shift if original.case_end is not None else None)


def _days(item: Item) -> set[dt.date]:
    return {item.day} | ({item.test.day} if item.test else set())


def new_problems(instance: Instance, others: list[Item], before: Item, after: Item) -> list[Broken]:
    """The rules `after` breaks that `before` did not, among the items it can meet."""
    days = _days(before) | _days(after)
    near = [i for i in others if _days(i) & days]

    def check(item: Item) -> list[Broken]:
        items = [*near, item]
        return broken_rules(instance, Proposal(items=items, unplanned={}, figures=Figures(planned=len(items))))

    known = set(check(before))
    return list(dict.fromkeys(b for b in check(after) if b not in known))


def place(instance: Instance, others: list[Item], original: Item, *, jury: int, day: dt.date,
          start: int) -> tuple[Item, list[Broken]]:
    """The moved item (with the proctor and room it can have there) and the rules it breaks."""
    item = moved(original, jury=jury, day=day, start=start)
    problems = new_problems(instance, others, original, item)
    if any(b.code in PROCTOR_RULES for b in problems):
        item, problems = _another(instance, others, original, item, problems, PROCTOR_RULES,
                                  [dataclasses.replace(item, proctor=p.id) for p in instance.proctors])
    if original.room is not None and any(b.code in ROOM_RULES for b in problems):
        item, problems = _another(instance, others, original, item, problems, ROOM_RULES,
                                  [dataclasses.replace(item, room=r.id) for r in instance.rooms])
    return item, problems


def _another(instance: Instance, others: list[Item], original: Item, item: Item, problems: list[Broken],
             rules: frozenset[str], options: list[Item]) -> tuple[Item, list[Broken]]:
    """The first of `options` (another proctor or room) that breaks none of `rules`; else `item`."""
    for option in options:
        found = new_problems(instance, others, original, option)
        if not any(b.code in rules for b in found):
            return option, found
    return item, problems
