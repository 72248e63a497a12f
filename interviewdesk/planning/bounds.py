"""An upper bound on coverage, computed apart from the solver, from two maximum flows:

- candidates (grouped) → jury half-days they could use → jury-days (daily maximum) → sink;
- candidates (grouped) → jury half-days → half-days (what the proctors free that half-day
  can take, one after another) → sink.

Each relaxes the rest (the other flow's limit, rooms, connection tests, the exact clock), so
every feasible plan is a flow of both and the smaller value bounds coverage from above."""

from __future__ import annotations

from ortools.graph.python import max_flow

from .grid import Prepared, type_of


def _session_fit(prepared: Prepared, session) -> int:
    """Most interviews a jury half-day can hold (shortest type, earliest-end packing)."""
    best = 0
    for t in prepared.types:
        count, free = 0, None
        length = prepared.shapes[t].jury
        for s in prepared.session_starts(t, session):
            if free is None or s >= free:
                count, free = count + 1, s + length
        best = max(best, count)
    return best


def _proctor_fit(prepared: Prepared, half_day) -> int:
    """Sessions one proctor can hold one after another in a half-day (shortest candidate block)."""
    window = prepared.instance.window
    lo, hi = window.bounds(half_day[1])
    length = min(s.lead + s.interview for s in prepared.shapes.values())
    return (hi - lo) // length if length else 0


def coverage_bound(prepared: Prepared, *, last_day=None) -> int:
    """Most candidates any plan can interview (with `last_day`: by that day)."""
    bound = _bound(prepared, by_jury_day=True, last_day=last_day)
    if prepared.instance.needs_proctor:
        bound = min(bound, _bound(prepared, by_jury_day=False, last_day=last_day))
    return bound


def earliest_last_day(prepared: Prepared, coverage: int):
    """The first day by which `coverage` interviews could be held at all (a lower bound on the last day)."""
    days = list(prepared.instance.days)
    lo, hi = 0, len(days) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if coverage_bound(prepared, last_day=days[mid]) >= coverage:
            hi = mid
        else:
            lo = mid + 1
    return days[lo] if days else None


def _bound(prepared: Prepared, *, by_jury_day: bool, last_day=None) -> int:
    inst = prepared.instance
    groups: dict[tuple, int] = {}
    for c in inst.candidates:
        key = (c.language, type_of(c), tuple(prepared.options[c.id]))
        groups[key] = groups.get(key, 0) + 1
    flow = max_flow.SimpleMaxFlow()
    source, sink = 0, 1
    ids: dict[tuple, int] = {}

    def node(key) -> int:
        if key not in ids:
            ids[key] = len(ids) + 2
        return ids[key]

    fit_cache: dict = {}
    for (language, type_, day_options), size in groups.items():
        g = node(("group", language, type_, day_options))
        flow.add_arc_with_capacity(source, g, size)
        for day, half in day_options:
            if last_day is not None and day > last_day:
                continue
            for jury in inst.juries:
                session = (jury.id, day, half)
                if language not in jury.languages or not prepared.session_starts(type_, session):
                    continue
                if session not in fit_cache:
                    fit_cache[session] = _session_fit(prepared, session)
                    after = ("jury-day", jury.id, day) if by_jury_day else ("half-day", day, half)
                    flow.add_arc_with_capacity(node(("session", session)), node(after), fit_cache[session])
                flow.add_arc_with_capacity(g, node(("session", session)), size)
    for node_key, index in ids.items():
        if node_key[0] == "jury-day":
            flow.add_arc_with_capacity(index, sink, inst.jury(node_key[1]).max_per_day)
        elif node_key[0] == "half-day":
            hd = (node_key[1], node_key[2])
            capacity = prepared.proctor_cap[hd] * _proctor_fit(prepared, hd)
            flow.add_arc_with_capacity(index, sink, max(capacity, 0))
    if flow.solve(source, sink) != flow.OPTIMAL:
        raise RuntimeError("max flow failed")
    return flow.optimal_flow()


def jury_days_bound(prepared: Prepared, coverage: int, *, last_day=None) -> int:
    """Fewest jury-days any plan of `coverage` interviews needs (by `last_day`, if given).

    A jury-day holds at most its daily maximum, and no more than its half-days fit; taking the
    largest such capacities first until they reach `coverage` relaxes everything else (languages,
    proctors, rooms), so it bounds the jury-days from below. CP-SAT's own bound on its sum of
    booleans is often 0 at M size: this one is what the figures report when it is higher."""
    inst = prepared.instance
    fit: dict[tuple[int, object], int] = {}
    for session in prepared.sessions:
        jury_id, day, _half = session
        if last_day is not None and day > last_day:
            continue
        fit[(jury_id, day)] = fit.get((jury_id, day), 0) + _session_fit(prepared, session)
    capacities = sorted((min(n, inst.jury(jury_id).max_per_day) for (jury_id, _day), n in fit.items()), reverse=True)
    total = days = 0
    for capacity in capacities:
        if total >= coverage:
            break
        total, days = total + capacity, days + 1
    return days
