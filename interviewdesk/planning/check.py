"""Every hard rule, checked on a finished proposal straight from the instance (not from the
solver's own structures), for the property tests and the benchmark."""

from __future__ import annotations

from itertools import combinations

from .instance import Instance
from .proposal import Proposal


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def violations(instance: Instance, proposal: Proposal) -> list[str]:
    out: list[str] = []
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
        if it.candidate in seen:
            out.append(f"candidate {c.id} planned twice")
        seen.add(it.candidate)
        half = w.half_of(it.start)
        lo, hi = w.bounds(half)
        start = it.block_start
        if c.language not in j.languages:
            out.append(f"candidate {c.id} ({c.language}) with jury {j.id} {sorted(j.languages)}")
        if it.day not in instance.days:
            out.append(f"candidate {c.id} on {it.day}, outside the planning window")
        if (it.day, half) not in j.available:
            out.append(f"jury {j.id} not available on {it.day} half {half}")
        if (it.day, half) in c.unavailable:
            out.append(f"candidate {c.id} unavailable on {it.day} half {half}")
        jury_end = it.end + instance.buffer_minutes
        if start < lo or jury_end > hi:
            out.append(f"candidate {c.id}: {start}-{jury_end} outside the half-day {lo}-{hi}")
        expected = instance.interview_minutes + c.interview_extra_minutes + (0 if instance.case_minutes
                                                                              else c.extra_minutes)
        if it.end - it.start != expected:
            out.append(f"candidate {c.id}: interview of {it.end - it.start} min, expected {expected}")
        if instance.case_minutes:
            if it.case_start is None or it.case_end is None \
                    or it.case_end - it.case_start != instance.case_minutes + c.extra_minutes:
                out.append(f"candidate {c.id}: case missing or of the wrong length")
            elif it.case_end + instance.case_gap_minutes != it.start:
                out.append(f"candidate {c.id}: case does not end {instance.case_gap_minutes} min before the interview")
        if c.pinned is not None and (c.pinned.jury, c.pinned.day, c.pinned.start) != (it.jury, it.day, it.start):
            out.append(f"candidate {c.id}: pinned interview moved")
        for b in instance.jury_busy.get(j.id, ()):
            if b.day == it.day and _overlap((b.start, b.end), (it.start, jury_end)):
                out.append(f"jury {j.id} busy elsewhere at {it.day} {it.start}")
        jury_blocks.setdefault((j.id, it.day), []).append(((it.start, jury_end), c.id))
        candidate_blocks.setdefault((c.id, it.day), []).append((start, it.end))
        if instance.needs_proctor:
            p = proctors.get(it.proctor) if it.proctor is not None else None
            if p is None:
                out.append(f"candidate {c.id}: no proctor")
            else:
                if (it.day, half) not in p.available:
                    out.append(f"proctor {p.id} not available on {it.day} half {half}")
                proctor_blocks.setdefault((p.id, it.day), []).append(((start, it.end), "session", None))
        if c.needs_room:
            r = rooms.get(it.room) if it.room is not None else None
            if r is None or (it.day, half) not in r.free:
                out.append(f"candidate {c.id}: needs a room, has none free that day")
            else:
                room_blocks.setdefault((r.id, it.day), []).append((start, it.end))
        if instance.test_minutes:
            t = it.test
            if t is None:
                out.append(f"candidate {c.id}: no connection test")
                continue
            if t.day not in instance.test_days_for(it.day) and c.test != t:
                out.append(f"candidate {c.id}: test on {t.day}, not allowed for an interview on {it.day}")
            if t.day not in instance.test_days and c.test != t:
                out.append(f"candidate {c.id}: test on a day not open for tests")
            if (t.day, w.half_of(t.start)) in c.unavailable and c.test != t:
                out.append(f"candidate {c.id}: test when unavailable")
            tp = proctors.get(t.proctor)
            if tp is None or (t.day, w.half_of(t.start)) not in tp.available:
                out.append(f"candidate {c.id}: test proctor not available")
            candidate_blocks.setdefault((c.id, t.day), []).append((t.start, t.end))
            proctor_blocks.setdefault((t.proctor, t.day), []).append(((t.start, t.end), "test", t))
    for (jury_id, day), blocks in jury_blocks.items():
        if len(blocks) > juries[jury_id].max_per_day:
            out.append(f"jury {jury_id}: {len(blocks)} interviews on {day}, more than {juries[jury_id].max_per_day}")
        for (a, ca), (b, cb) in combinations(blocks, 2):
            if _overlap(a, b):
                out.append(f"jury {jury_id}: candidates {ca} and {cb} overlap on {day}")
    for (cid, day), blocks in candidate_blocks.items():
        for a, b in combinations(blocks, 2):
            if _overlap(a, b):
                out.append(f"candidate {cid}: two appointments overlap on {day}")
    for (pid, day), blocks in proctor_blocks.items():
        tests: dict = {}
        for _iv, kind, slot in blocks:
            if kind == "test":
                tests[slot] = tests.get(slot, 0) + 1
        for n in tests.values():
            if n > proctors[pid].group_size:
                out.append(f"proctor {pid}: {n} candidates in one test group on {day}")
        distinct = [(iv, kind, slot) for iv, kind, slot in blocks if kind == "session"] + [
            ((s.start, s.end), "test", s) for s in tests]
        for (a, ka, _sa), (b, kb, _sb) in combinations(distinct, 2):
            if _overlap(a, b):
                out.append(f"proctor {pid}: two sessions overlap on {day} ({ka}, {kb})")
        for busy in instance.proctor_busy.get(pid, ()):
            if busy.day == day and any(_overlap((busy.start, busy.end), iv) for iv, _k, _s in distinct):
                out.append(f"proctor {pid} busy elsewhere on {day}")
    for (rid, day), blocks in room_blocks.items():
        for a, b in combinations(blocks, 2):
            if _overlap(a, b):
                out.append(f"room {rid}: two candidates at once on {day}")
        for busy in instance.room_busy.get(rid, ()):
            if busy.day == day and any(_overlap((busy.start, busy.end), iv) for iv in blocks):
                out.append(f"room {rid} busy elsewhere on {day}")
    if proposal.figures.planned != len(proposal.items):
        out.append("figures disagree with the items")
    return out
