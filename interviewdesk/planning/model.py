"""The CP-SAT model: a time-indexed jury timetable tied to candidates by an aggregated flow.

Variables (only feasible ones are created):
- `u[t, session, s]`: the jury of `session` holds an interview of type `t` starting at `s`;
- `a[k, half-day]`: how many candidates of class `k` (same language, type, feasible half-days
  and preferences: interchangeable, so grouping them is exact) are interviewed then;
- `b[l, t, session]`: how many of a session's type-`t` interviews are in language `l`;
- `keep[c]`: re-planning keeps candidate `c` where they are; `y[j, d]`: jury `j` works on day `d`.
Any integer solution decomposes into one slot per candidate (a flow), so decoding is exact.
Objectives are solved one after another, each fixed before the next (lexicographic).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .bounds import jury_days_bound
from .grid import Prepared, Session, Type, type_of
from .instance import Candidate, HalfDay
from .proposal import Placement, Stage

# Share of the time limit per objective; a stage that proves optimality early passes its rest on.
# Coverage gets most: on proctor-bound instances the warm start is several per cent short of it,
# and each stage pays CP-SAT's presolve again.
WEIGHTS = {"coverage": 8, "moves": 1, "finish_early": 1, "jury_days": 3, "idle": 1,
           "preferences": 0.5, "even_load": 0.5}
# When the warm start is short of the coverage bound, candidates left out weigh more than any
# later objective: coverage then gets at least this share of the whole budget (at M size under
# load, 57 % of it was spent mostly in presolve and found nothing better than the greedy plan).
COVERAGE_SHARE_WHEN_SHORT = 0.85


@dataclass
class _Model:
    m: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    u: dict = field(default_factory=dict)
    a: dict = field(default_factory=dict)
    b: dict = field(default_factory=dict)
    y: dict = field(default_factory=dict)
    keep: dict = field(default_factory=dict)
    classes: dict = field(default_factory=dict)  # key → [candidates] (pinned excluded)
    objectives: dict = field(default_factory=dict)  # name → (linear expression, sense +1 min / -1 max)
    ranges: dict = field(default_factory=dict)  # name → an upper bound on the objective's value
    last: object = None
    top: object = None
    idle_parts: list = field(default_factory=list)  # (first, end, idle, [(start, length, u)]) per jury half-day


def _class_key(prepared: Prepared, c: Candidate):
    return c.language, type_of(c), tuple(prepared.options[c.id]), tuple(sorted(c.preferred))


def _slot_key(prepared: Prepared, c: Candidate, slot) -> tuple[Type, Session, int] | None:
    half = prepared.instance.window.half_of(slot.start)
    key = (type_of(c), (slot.jury, slot.day, half), slot.start)
    if (slot.day, half) not in prepared.options[c.id]:
        return None
    if c.language not in prepared.instance.jury(slot.jury).languages:
        return None
    return key if slot.start in prepared.session_starts(key[0], key[1]) else None


class PinNoLongerFits(ValueError):
    def __init__(self, candidate_id: int):
        self.candidate_id = candidate_id
        super().__init__(f"the pinned interview of candidate {candidate_id} no longer fits")


def build(prepared: Prepared) -> _Model:
    inst = prepared.instance
    md = _Model()
    m = md.m
    for (t, session), starts in prepared.starts.items():
        for s in starts:
            md.u[(t, session, s)] = m.new_bool_var(f"u{len(md.u)}")

    fixed: dict[tuple[Type, Session], int] = {}
    for c in inst.candidates:
        if c.pinned is not None:
            key = _slot_key(prepared, c, c.pinned)
            if key is None:
                raise PinNoLongerFits(c.id)
            m.add(md.u[key] == 1)
            fixed[key[:2]] = fixed.get(key[:2], 0) + 1
        else:
            md.classes.setdefault(_class_key(prepared, c), []).append(c)
    kept_at: dict[tuple[Type, Session], list] = {}
    for c in inst.candidates:
        if c.pinned is None and c.current is not None:
            key = _slot_key(prepared, c, c.current)
            if key is not None:
                md.keep[c.id] = m.new_bool_var(f"keep{c.id}")
                m.add_implication(md.keep[c.id], md.u[key])
                kept_at.setdefault(key[:2], []).append(md.keep[c.id])

    flow_in: dict[tuple[str, Type, HalfDay], list] = {}
    for index, (key, members) in enumerate(md.classes.items()):
        language, type_, options, _pref = key
        for hd in options:
            var = m.new_int_var(0, len(members), f"a{index}_{hd[0].toordinal()}_{hd[1]}")
            md.a[(key, hd)] = var
            flow_in.setdefault((language, type_, hd), []).append(var)
        keeps = [md.keep[c.id] for c in members if c.id in md.keep]
        m.add(sum(md.a[(key, hd)] for hd in options) + sum(keeps) <= len(members))

    flow_out: dict[tuple[str, Type, HalfDay], list] = {}
    by_session: dict[tuple[Type, Session], list] = {}
    for (t, session), starts in prepared.starts.items():
        jury = inst.jury(session[0])
        for language in sorted(jury.languages):
            hd = (session[1], session[2])
            if (language, t, hd) in flow_in:
                var = m.new_int_var(0, len(starts), f"b{len(md.b)}")
                md.b[(language, t, session)] = var
                flow_out.setdefault((language, t, hd), []).append(var)
                by_session.setdefault((t, session), []).append(var)
    for flow_key, ins in flow_in.items():
        m.add(sum(ins) == sum(flow_out.get(flow_key, [])))
    for (t, session), starts in prepared.starts.items():
        used = [md.u[(t, session, s)] for s in starts]
        m.add(sum(by_session.get((t, session), [])) + fixed.get((t, session), 0)
              + sum(kept_at.get((t, session), [])) == sum(used))

    # The jury: one interview at a time (checked at every start: two overlapping intervals
    # always cover the later one's start), a daily maximum, and whether it works that day.
    per_jury_day: dict[tuple[int, dt.date], list] = {}
    for (t, session, s), var in md.u.items():
        per_jury_day.setdefault((session[0], session[1]), []).append((s, prepared.shapes[t].jury, var))
    for (jury_id, day), items in per_jury_day.items():
        for p in sorted({s for s, _l, _v in items}):
            covering = [v for s, length, v in items if s <= p < s + length]
            if len(covering) > 1:
                m.add_at_most_one(covering)
        limit = inst.jury(jury_id).max_per_day
        md.y[(jury_id, day)] = y = m.new_bool_var(f"y{jury_id}_{day.toordinal()}")
        m.add(sum(v for _s, _l, v in items) <= limit * y)
        m.add(sum(v for _s, _l, v in items) >= y)

    # Proctors per half-day and rooms per day: never more at once than there are.
    def cumulative(groups: dict, capacity, fixed_blocks) -> None:
        for where, items in groups.items():
            cap = capacity(where)
            fixed_here = fixed_blocks(where)
            for p in sorted({lo for lo, _hi, _v in items} | {lo for lo, _hi in fixed_here}):
                covering = [v for lo, hi, v in items if lo <= p < hi]
                free = cap - sum(1 for lo, hi in fixed_here if lo <= p < hi)
                if len(covering) > free:
                    m.add(sum(covering) <= free)

    if inst.needs_proctor:
        groups: dict = {}
        for (t, session, s), var in md.u.items():
            lo, hi = prepared.shapes[t].candidate_block(s)
            groups.setdefault((session[1], session[2]), []).append((lo, hi, var))
        cumulative(groups, lambda hd: prepared.proctor_cap[hd], lambda hd: prepared.test_blocks.get(hd, []))
    rooms: dict = {}
    for (t, session, s), var in md.u.items():
        if t[1]:
            lo, hi = prepared.shapes[t].candidate_block(s)
            rooms.setdefault(prepared.room_group(t, (session[1], session[2])), []).append((lo, hi, var))
    cumulative(rooms, prepared.room_capacity, lambda group: [])

    _objectives(prepared, md)
    return md


def _objectives(prepared: Prepared, md: _Model) -> None:
    inst = prepared.instance
    m = md.m
    md.objectives["coverage"] = (sum(md.u.values()), -1)
    if md.keep:
        md.objectives["moves"] = (sum(1 - k for k in md.keep.values()), 1)
    window = inst.window
    md.ranges = {
        "finish_early": len(inst.days),
        "jury_days": len(md.y),
        "idle": sum(window.bounds(s[2])[1] - window.bounds(s[2])[0] for s in prepared.sessions),
        "preferences": len(inst.candidates),
        "even_load": max((j.max_per_day for j in inst.juries), default=0) * len(inst.days),
    }
    last = m.new_int_var(0, max(len(inst.days) - 1, 0), "last_day")
    for (_jury, day), y in md.y.items():
        m.add(last >= prepared.day_index[day]).only_enforce_if(y)
    md.objectives["finish_early"] = (last, 1)
    md.objectives["jury_days"] = (sum(md.y.values()), 1)
    idle_terms = []
    per_session: dict[Session, list] = {}
    for (t, session, s), var in md.u.items():
        per_session.setdefault(session, []).append((s, prepared.shapes[t].jury, var))
    for session, items in per_session.items():
        lo, hi = window.bounds(session[2])
        first = m.new_int_var(lo, hi, "")
        end = m.new_int_var(lo, hi, "")
        m.add(end >= first)
        for s, length, var in items:
            m.add(first <= s).only_enforce_if(var)
            m.add(end >= s + length).only_enforce_if(var)
        idle = m.new_int_var(0, hi - lo, "")
        m.add(idle == end - first - sum(length * var for _s, length, var in items))
        idle_terms.append(idle)
        md.idle_parts.append((first, end, idle, items))
    md.objectives["idle"] = (sum(idle_terms), 1)
    preferred = [var for (key, hd), var in md.a.items() if hd in set(key[3])]
    md.objectives["preferences"] = (sum(preferred), -1)
    loads: dict[int, list] = {}
    for (_t, session, _s), var in md.u.items():
        loads.setdefault(session[0], []).append(var)
    top = m.new_int_var(0, max((j.max_per_day for j in inst.juries), default=0) * len(inst.days), "max_load")
    for vars_ in loads.values():
        m.add(top >= sum(vars_))
    md.objectives["even_load"] = (top, 1)
    md.last, md.top = last, top


def complete(md: _Model, values: dict) -> dict:
    """Add the auxiliary variables (last day, busiest load, idle per half-day) to an
    assignment of u, a, b, keep and y, so a hint is complete and objectives can be evaluated."""
    values = dict(values)
    days = sorted({day for (_j, day) in md.y})
    used = [days.index(day) for (_j, day), y in md.y.items() if values.get(y)]
    values[md.last] = max(used, default=0)
    loads: dict[int, int] = {}
    for (_t, session, _s), var in md.u.items():
        loads[session[0]] = loads.get(session[0], 0) + values.get(var, 0)
    values[md.top] = max(loads.values(), default=0)
    for first, end, idle, items in md.idle_parts:
        taken = [(s, length) for s, length, var in items if values.get(var)]
        if taken:
            values[first] = min(s for s, _l in taken)
            values[end] = max(s + length for s, length in taken)
            values[idle] = values[end] - values[first] - sum(length for _s, length in taken)
        else:
            values[first] = values[end] = first.proto.domain[0]
            values[idle] = 0
    return values


def evaluate(md: _Model, name: str, values: dict) -> int:
    """An objective's value under a complete assignment (see `complete`)."""
    if name == "coverage":
        return sum(values[v] for v in md.u.values())
    if name == "moves":
        return sum(1 - values[k] for k in md.keep.values())
    if name == "finish_early":
        return values[md.last]
    if name == "jury_days":
        return sum(values[y] for y in md.y.values())
    if name == "idle":
        return sum(values[idle] for _f, _e, idle, _i in md.idle_parts)
    if name == "preferences":
        return sum(values[var] for (key, hd), var in md.a.items() if hd in set(key[3]))
    return values[md.top]


def hint_values(prepared: Prepared, md: _Model, placements: list[Placement]) -> dict:
    """A full assignment of u, a, b, keep and y from placements (the greedy plan)."""
    inst = prepared.instance
    by_id = {c.id: c for c in inst.candidates}
    values = dict.fromkeys(md.u.values(), 0)
    values.update(dict.fromkeys(md.a.values(), 0))
    values.update(dict.fromkeys(md.b.values(), 0))
    values.update(dict.fromkeys(md.keep.values(), 0))
    values.update(dict.fromkeys(md.y.values(), 0))
    class_of = {c.id: key for key, members in md.classes.items() for c in members}
    for pl in placements:
        c = by_id[pl.candidate]
        half = inst.window.half_of(pl.start)
        t = type_of(c)
        session = (pl.jury, pl.day, half)
        values[md.u[(t, session, pl.start)]] = 1
        values[md.y[(pl.jury, pl.day)]] = 1
        if c.pinned is not None:
            continue
        current = c.current
        if current is not None and (current.jury, current.day, current.start) == (pl.jury, pl.day, pl.start) \
                and c.id in md.keep:
            values[md.keep[c.id]] = 1
            continue
        values[md.a[(class_of[c.id], (pl.day, half))]] += 1
        values[md.b[(c.language, t, session)]] += 1
    return values


def _parameters(solver: cp_model.CpSolver, *, seconds: float, seed: int, workers: int, deterministic: bool) -> None:
    p = solver.parameters
    p.random_seed = seed
    p.num_workers = workers
    # Probing is most of presolve on these models (seconds at M size) and gains little here.
    p.cp_model_probing_level = 0
    if deterministic:
        # Same answer on a busy or an idle machine: interleaved workers, limited by the
        # solver's deterministic clock; the wall clock only as a safety net.
        p.interleave_search = True
        p.max_deterministic_time = seconds
        p.max_time_in_seconds = seconds * 5 + 5
    else:
        p.max_time_in_seconds = seconds


def _stages(names: list[str]) -> list[list[str]]:
    """One solve per objective for coverage, moves and the first two of the chosen order; the
    last three share one solve with weights that keep their order (each presolve costs seconds)."""
    head = [n for n in names if n in ("coverage", "moves")]
    rest = [n for n in names if n not in head]
    return [[n] for n in head] + [[n] for n in rest[:2]] + ([rest[2:]] if rest[2:] else [])


def _combined(md: _Model, names: list[str]):
    """A weighted sum that orders `names` lexicographically (each weight exceeds the range below it)."""
    terms, weight = [], 1
    for name in reversed(names):
        expr, sense = md.objectives[name]
        terms.append(weight * (expr if sense > 0 else md.ranges[name] - expr))
        weight *= md.ranges[name] + 1
    return sum(terms)


def solve(prepared: Prepared, md: _Model, *, order: tuple[str, ...], hint: list[Placement], seed: int,
          time_limit: float, workers: int, coverage_bound: int, last_day_bound: dt.date | None = None,
          deterministic: bool = False, on_progress=None) -> tuple[dict | None, list[Stage]]:
    """Lexicographic solve. Returns the last solution's values (None: keep the hint) and the stages."""
    # The max-flow bound is valid, and lets the coverage stage stop as soon as it is reached.
    md.m.add(md.objectives["coverage"][0] <= coverage_bound)
    names = ["coverage", *(["moves"] if "moves" in md.objectives else []), *order]
    groups = _stages(names)
    values = complete(md, hint_values(prepared, md, hint))
    solution: dict | None = None
    stages: list[Stage] = []
    locked: dict[str, int] = {}  # objective → the value fixed for the stages after it
    deadline = time.monotonic() + time_limit
    budget = time_limit
    for index, group in enumerate(groups):
        if on_progress is not None:
            on_progress(group[0], 0.1 + 0.85 * index / len(groups))
        first = group[0]
        known = _already_optimal(prepared, md, first, values, hint, coverage_bound, last_day_bound)
        if len(group) == 1 and known is not None:
            _lock(md, first, known)
            locked[first] = known
            stages.append(Stage(objective=first, value=known, bound=known, status="OPTIMAL", seconds=0.0))
            continue
        # Deterministic mode shares out the budget by the solver's own clock, not the wall's.
        remaining = budget if deterministic else max(deadline - time.monotonic(), 0.5)
        share = sum(WEIGHTS[n] for n in group) / sum(WEIGHTS[n] for g in groups[index:] for n in g)
        if group == ["coverage"] and len(hint) < coverage_bound:
            share = max(share, COVERAGE_SHARE_WHEN_SHORT)
        floor = None
        if group == ["jury_days"]:
            # A valid lower bound given the coverage (and last day) fixed before; as a constraint
            # it also gives CP-SAT's search a bound it does not find itself at M size.
            last = locked.get("finish_early")
            floor = jury_days_bound(prepared, locked["coverage"],
                                    last_day=prepared.instance.days[last] if last is not None else None)
            floor = min(floor, evaluate(md, "jury_days", values))  # never above a plan in hand
            md.m.add(md.objectives["jury_days"][0] >= floor)
        md.m.clear_hints()
        for var, value in values.items():
            md.m.add_hint(var, value)
        expr, sense = md.objectives[first]
        if len(group) > 1:
            md.m.minimize(_combined(md, group))
        elif sense < 0:
            md.m.maximize(expr)
        else:
            md.m.minimize(expr)
        solver = cp_model.CpSolver()
        _parameters(solver, seconds=remaining * share, seed=seed, workers=workers, deterministic=deterministic)
        started = time.monotonic()
        status = solver.solve(md.m)
        took = time.monotonic() - started
        budget = max(budget - (solver.deterministic_time if deterministic else took), 0.5)
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        if found and _worse(md, group, solver, values):
            # The solver can return a solution worse than the hint it was given (when it could
            # not complete the hint in time): keep the hint then.
            found, status = False, cp_model.UNKNOWN
        if found:
            values = {var: solver.value(var) for var in values}
            solution = values
        for name in group:
            value = round(solver.value(md.objectives[name][0])) if found else evaluate(md, name, values)
            if status == cp_model.OPTIMAL:
                bound = value  # a shared solve proven optimal is optimal for each part in turn
            elif len(group) == 1 and found:
                bound = round(solver.best_objective_bound)
            else:
                bound = None
            if floor is not None:
                bound = max(bound or 0, floor)
            stages.append(Stage(objective=name, value=value, bound=bound, status=solver.status_name(status),
                                seconds=round(took, 2)))
            _lock(md, name, value)
            locked[name] = value
    return solution, stages


def _lock(md: _Model, name: str, value: int) -> None:
    expr, sense = md.objectives[name]
    md.m.add(expr >= value if sense < 0 else expr <= value)


def _already_optimal(prepared, md, name, values, hint, coverage_bound, last_day_bound) -> int | None:
    """The value of `name` when the current assignment provably reaches its bound (no solve needed)."""
    if name == "coverage" and len(hint) >= coverage_bound:
        return coverage_bound
    if name == "finish_early" and last_day_bound is not None:
        used = [prepared.day_index[day] for (_j, day), y in md.y.items() if values.get(y)]
        if used and max(used) == prepared.day_index[last_day_bound]:
            return max(used)
    return None


def _worse(md: _Model, group: list[str], solver: cp_model.CpSolver, values: dict) -> bool:
    """Whether the solver's solution is lexicographically worse than `values` on `group`."""
    for name in group:
        sense = md.objectives[name][1]
        found, held = round(solver.value(md.objectives[name][0])), evaluate(md, name, values)
        if found != held:
            return (found - held) * sense > 0
    return False


def decode(prepared: Prepared, md: _Model, values: dict) -> list[Placement]:
    inst = prepared.instance
    placements: list[Placement] = []
    taken: dict[tuple[Type, Session], list[int]] = {}
    for c in inst.candidates:
        slot = c.pinned if c.pinned is not None else (c.current if values.get(md.keep.get(c.id), 0) else None)
        if slot is not None:
            placements.append(Placement(c.id, slot.jury, slot.day, slot.start))
            taken.setdefault((type_of(c), (slot.jury, slot.day, inst.window.half_of(slot.start))), []).append(slot.start)
    slots: dict[tuple[str, Type, HalfDay], list[tuple[int, int]]] = {}
    for (t, session), starts in prepared.starts.items():
        used = [s for s in starts if values[md.u[(t, session, s)]]]
        for s in taken.get((t, session), []):
            used.remove(s)
        for language in sorted(inst.jury(session[0]).languages):
            var = md.b.get((language, t, session))
            n = values[var] if var is not None else 0
            slots.setdefault((language, t, (session[1], session[2])), []).extend(
                (session[0], s) for s in used[:n])
            used = used[n:]
    for key, members in md.classes.items():
        language, type_, options, _pref = key
        waiting = [c for c in members if not values.get(md.keep.get(c.id), 0)]
        waiting.sort(key=lambda c: (c.current is None, c.id))  # those who had a slot go first
        for hd in options:
            n = values[md.a[(key, hd)]]
            bucket = slots.get((language, type_, hd), [])
            for c in waiting[:n]:
                jury_id, s = bucket.pop(0)
                placements.append(Placement(c.id, jury_id, hd[0], s))
            waiting = waiting[n:]
    return placements
