"""`plan(instance) -> Proposal`: the one entry point (benchmark, property tests, product)."""

from __future__ import annotations

import time

from .bounds import coverage_bound, earliest_last_day, jury_days_bound
from .explain import why_here, why_unplanned
from .finish import figures_of, finish
from .greedy import compact, fewer_jury_days, greedy
from .grid import prepare
from .instance import DEFAULT_ORDER, OBJECTIVES, Instance
from .model import build, decode, solve
from .proposal import Proposal


def _proposal(prepared, placements, *, method: str, started: float, bound: int) -> Proposal:
    items, dropped = finish(prepared, placements, method=method)
    by_id = {c.id: c for c in prepared.instance.candidates}
    items = [type(i)(**{**i.__dict__, "why": why_here(prepared, by_id[i.candidate], i)}) for i in items]
    planned = {i.candidate for i in items}
    unplanned = {c.id: why_unplanned(prepared, c, dropped_for_test=c.id in dropped)
                 for c in prepared.instance.candidates if c.id not in planned}
    figures = figures_of(prepared, items, method=method)
    figures.plannable_bound = bound
    figures.lost_to_tests = len(dropped)
    figures.seconds = round(time.monotonic() - started, 2)
    return Proposal(items=items, unplanned=unplanned, figures=figures)


def _jury_days_before_the_tail(order: tuple[str, ...]) -> bool:
    """Whether fewer jury-days outrank idle time, preferences and even load in the officer's order
    (closing a day can cost those; the finishing day cannot get later)."""
    return all(order.index("jury_days") < order.index(name) for name in ("idle", "preferences", "even_load"))


def plan_greedy(instance: Instance) -> Proposal:
    started = time.monotonic()
    prepared = prepare(instance)
    proposal = _proposal(prepared, greedy(prepared), method="greedy", started=started,
                         bound=coverage_bound(prepared))
    f = proposal.figures
    # The fewest jury-days any plan of the greedy's coverage by its last day needs: its gap can
    # then be read beside the solver's, at each one's own coverage.
    f.jury_days_bound = jury_days_bound(prepared, f.planned, last_day=f.last_day)
    return proposal


def plan(instance: Instance, *, seed: int = 1, time_limit: float = 30.0,
         objective_order: tuple[str, ...] = DEFAULT_ORDER, workers: int = 2,
         deterministic: bool = False, on_progress=None) -> Proposal:
    """A proposal for every candidate that can be planned.

    Coverage comes first; when re-planning (candidates with a `current` slot), the fewest
    moves next; then `objective_order`, any order of the five objectives in `OBJECTIVES`.
    `deterministic=True` gives the same proposal for the same seed on any machine load
    (the time limit then counts the solver's deterministic time); otherwise the workers race
    and the wall clock stops them, which finds better plans in the same time.
    `on_progress(step, fraction)` is called between steps (the product shows it).
    """
    if sorted(objective_order) != sorted(OBJECTIVES):
        raise ValueError(f"objective_order must order exactly {OBJECTIVES}")
    started = time.monotonic()
    prepared = prepare(instance)
    bound = coverage_bound(prepared)
    warm = greedy(prepared)
    if on_progress is not None:
        on_progress("greedy", 0.05)
    md = build(prepared)
    # In deterministic mode the budget must not depend on the wall clock (building the model
    # takes longer on a busy machine): the whole limit goes to the solver's deterministic clock.
    spent = 0.0 if deterministic else time.monotonic() - started
    last_day_bound = earliest_last_day(prepared, len(warm)) if warm else None
    values, stages = solve(prepared, md, order=tuple(objective_order), hint=warm, seed=seed,
                           time_limit=max(time_limit - spent, 1.0), workers=workers, coverage_bound=bound,
                           last_day_bound=last_day_bound, deterministic=deterministic, on_progress=on_progress)
    placements = decode(prepared, md, values) if values is not None else warm
    if _jury_days_before_the_tail(objective_order):
        # The solver rarely closes a jury-day in the time left at M size; moving a light day's
        # interviews into days that stay open often does, and nothing ranked above it changes.
        placements = fewer_jury_days(prepared, placements)
    placements = compact(prepared, placements)
    proposal = _proposal(prepared, placements, method="cp-sat", started=started, bound=bound)
    if values is not None:
        # Connection tests are booked after the interviews, in the proctors' free time; a plan
        # that keeps proctors busier can lose candidates there. Never return less than the warm start.
        baseline = _proposal(prepared, warm, method="greedy", started=started, bound=bound)
        if baseline.figures.planned > proposal.figures.planned:
            proposal = baseline
            proposal.figures.method = "greedy (the solver's plan lost candidates to connection tests)"
    proposal.figures.stages = stages
    jury_stage = next((s for s in stages if s.objective == "jury_days"), None)
    if jury_stage is not None:
        proposal.figures.jury_days_bound = jury_stage.bound
    return proposal
