"""Every hard rule, checked on a finished proposal straight from the instance (not from the
solver's own structures): by the property tests and the benchmark (`violations`, in English),
and by the product when the officer moves an item by hand (`broken_rules`: a code and its
parameters per broken rule, which `reasons.rule_text` says in the officer's language)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import combinations

from .instance import Instance
from .proposal import Proposal


@dataclass(frozen=True)
class Broken:
    """One broken rule. `code` and `params` identify it (two checks of one plan give equal ones);
    `text` says it in English for tests and the benchmark."""

    code: str
    params: tuple = ()  # sorted (name, value) pairs: hashable, so plans can be compared
    text: str = field(default="", compare=False)

    @property
    def values(self) -> dict:
        return dict(self.params)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _broken(out: list[Broken], code: str, text: str, **params) -> None:
    out.append(Broken(code, tuple(sorted(params.items())), text))


def violations(instance: Instance, proposal: Proposal) -> list[str]:
    return [b.text for b in broken_rules(instance, proposal)]


def broken_rules(instance: Instance, proposal: Proposal) -> list[Broken]:
    out: list[Broken] = []
    w = instance.window
    by_id = {c.id: c for c in instance.candidates}
    juries = {j.id: j for j in instance.juries}
    proctors = {p.id: p for p in instance.proctors}
    rooms = {r.id: r for r in instance.rooms}
    seen: set[int] = set()
    jury_blocks: dict = {}
    candidate_blocks: dict = {}
    proctor_blocks: dict = {}  # (proctor, day) → [(interval, kind, test slot)]
    room_blocks: dict = {}
    for it in proposal.items:
        c = by_id[it.candidate]
        j = juries[it.jury]
        day: dt.date = it.day
        if it.candidate in seen:
            _broken(out, "twice", f"candidate {c.id} planned twice", candidate=c.id)
        seen.add(it.candidate)
        half = w.half_of(it.start)
        lo, hi = w.bounds(half)
        start = it.block_start
        if c.language not in j.languages:
            _broken(out, "language", f"candidate {c.id} ({c.language}) with jury {j.id} {sorted(j.languages)}",
                    candidate=c.id, language=c.language, jury=j.id)
        if day not in instance.days:
            _broken(out, "outside_window", f"candidate {c.id} on {day}, outside the planning window",
                    candidate=c.id, day=day)
        if (day, half) not in j.available:
            _broken(out, "jury_unavailable", f"jury {j.id} not available on {day} half {half}",
                    jury=j.id, day=day, half=half)
        if (day, half) in c.unavailable:
            _broken(out, "candidate_unavailable", f"candidate {c.id} unavailable on {day} half {half}",
                    candidate=c.id, day=day, half=half)
        jury_end = it.end + instance.buffer_minutes
        if start < lo or jury_end > hi:
            _broken(out, "outside_half_day", f"candidate {c.id}: {start}-{jury_end} outside the half-day {lo}-{hi}",
                    candidate=c.id, start=start, end=jury_end, lo=lo, hi=hi)
        expected = instance.interview_minutes + c.interview_extra_minutes + (0 if instance.case_minutes
                                                                              else c.extra_minutes)
        if it.end - it.start != expected:
            _broken(out, "length", f"candidate {c.id}: interview of {it.end - it.start} min, expected {expected}",
                    candidate=c.id, minutes=it.end - it.start, expected=expected)
        if instance.case_minutes:
            if it.case_start is None or it.case_end is None \
                    or it.case_end - it.case_start != instance.case_minutes + c.extra_minutes:
                _broken(out, "case", f"candidate {c.id}: case missing or of the wrong length", candidate=c.id)
            elif it.case_end + instance.case_gap_minutes != it.start:
                _broken(out, "case_gap",
                        f"candidate {c.id}: case does not end {instance.case_gap_minutes} min before the interview",
                        candidate=c.id, gap=instance.case_gap_minutes)
        if c.pinned is not None and (c.pinned.jury, c.pinned.day, c.pinned.start) != (it.jury, day, it.start):
            _broken(out, "pin_moved", f"candidate {c.id}: pinned interview moved", candidate=c.id)
        for b in instance.jury_busy.get(j.id, ()):
            if b.day == day and _overlap((b.start, b.end), (it.start, jury_end)):
                _broken(out, "jury_busy", f"jury {j.id} busy elsewhere at {day} {it.start}",
                        jury=j.id, day=day, start=it.start)
        jury_blocks.setdefault((j.id, day), []).append(((it.start, jury_end), c.id))
        candidate_blocks.setdefault((c.id, day), []).append((start, it.end))
        if instance.needs_proctor:
            p = proctors.get(it.proctor) if it.proctor is not None else None
            if p is None:
                _broken(out, "no_proctor", f"candidate {c.id}: no proctor", candidate=c.id)
            else:
                if (day, half) not in p.available:
                    _broken(out, "proctor_unavailable", f"proctor {p.id} not available on {day} half {half}",
                            proctor=p.id, day=day, half=half)
                proctor_blocks.setdefault((p.id, day), []).append(((start, it.end), "session", None))
        if c.needs_room:
            r = rooms.get(it.room) if it.room is not None else None
            if r is None or (day, half) not in r.free:
                _broken(out, "no_room", f"candidate {c.id}: needs a room, has none free that day",
                        candidate=c.id, day=day)
            elif c.room and r.id != c.room:
                _broken(out, "assigned_room", f"candidate {c.id}: in room {r.id}, not in the room {c.room} assigned "
                        "to them", candidate=c.id)
            else:
                room_blocks.setdefault((r.id, day), []).append((start, it.end))
        if instance.test_minutes:
            t = it.test
            if t is None:
                _broken(out, "no_test", f"candidate {c.id}: no connection test", candidate=c.id)
                continue
            # The days before the interview hold for a test kept from before too (the planner
            # only offers a candidate with a kept test the days it allows: grid.candidate_days).
            if t.day not in instance.test_days_for(day):
                _broken(out, "test_day", f"candidate {c.id}: test on {t.day}, not allowed for an interview on {day}",
                        candidate=c.id, test_day=t.day, day=day)
            if t.day not in instance.test_days and c.test != t:
                _broken(out, "test_closed", f"candidate {c.id}: test on a day not open for tests",
                        candidate=c.id, test_day=t.day)
            if (t.day, w.half_of(t.start)) in c.unavailable and c.test != t:
                _broken(out, "test_candidate_unavailable", f"candidate {c.id}: test when unavailable",
                        candidate=c.id, test_day=t.day)
            tp = proctors.get(t.proctor)
            if tp is None or (t.day, w.half_of(t.start)) not in tp.available:
                _broken(out, "test_proctor_unavailable", f"candidate {c.id}: test proctor not available",
                        candidate=c.id, test_day=t.day)
            candidate_blocks.setdefault((c.id, t.day), []).append((t.start, t.end))
            proctor_blocks.setdefault((t.proctor, t.day), []).append(((t.start, t.end), "test", t))
    for (jury_id, day), blocks in jury_blocks.items():
        if len(blocks) > juries[jury_id].max_per_day:
            _broken(out, "jury_max",
                    f"jury {jury_id}: {len(blocks)} interviews on {day}, more than {juries[jury_id].max_per_day}",
                    jury=jury_id, day=day, count=len(blocks), max=juries[jury_id].max_per_day)
        for (a, ca), (b, cb) in combinations(blocks, 2):
            if _overlap(a, b):
                _broken(out, "jury_overlap", f"jury {jury_id}: candidates {ca} and {cb} overlap on {day}",
                        jury=jury_id, day=day, candidates=(ca, cb))
    for (cid, day), blocks in candidate_blocks.items():
        for a, b in combinations(blocks, 2):
            if _overlap(a, b):
                _broken(out, "candidate_overlap", f"candidate {cid}: two appointments overlap on {day}",
                        candidate=cid, day=day)
    for (pid, day), blocks in proctor_blocks.items():
        tests: dict = {}
        for _iv, kind, slot in blocks:
            if kind == "test":
                tests[slot] = tests.get(slot, 0) + 1
        for n in tests.values():
            if n > proctors[pid].group_size:
                _broken(out, "test_group_full", f"proctor {pid}: {n} candidates in one test group on {day}",
                        proctor=pid, day=day, count=n)
        distinct = [(iv, kind, slot) for iv, kind, slot in blocks if kind == "session"] + [
            ((s.start, s.end), "test", s) for s in tests]
        for (a, ka, _sa), (b, kb, _sb) in combinations(distinct, 2):
            if _overlap(a, b):
                _broken(out, "proctor_overlap", f"proctor {pid}: two sessions overlap on {day} ({ka}, {kb})",
                        proctor=pid, day=day, a=a, b=b)
        for busy in instance.proctor_busy.get(pid, ()):
            if busy.day == day and any(_overlap((busy.start, busy.end), iv) for iv, _k, _s in distinct):
                _broken(out, "proctor_busy", f"proctor {pid} busy elsewhere on {day}", proctor=pid, day=day)
    for (rid, day), blocks in room_blocks.items():
        for a, b in combinations(blocks, 2):
            if _overlap(a, b):
                _broken(out, "room_overlap", f"room {rid}: two candidates at once on {day}", room=rid, day=day,
                        a=a, b=b)
        for busy in instance.room_busy.get(rid, ()):
            if busy.day == day and any(_overlap((busy.start, busy.end), iv) for iv in blocks):
                _broken(out, "room_busy", f"room {rid} busy elsewhere on {day}", room=rid, day=day)
    if proposal.figures.planned != len(proposal.items):
        _broken(out, "figures", "figures disagree with the items")
    return out
