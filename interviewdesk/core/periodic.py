"""Periodic sweeps run by the worker (`manage.py worker`).

Tasks are triggers, rows are the truth: a task that died leaves work undone, so each app
registers a sweep that finds work whose *domain* row is still due (a queued message, an
unfired timeout, an unsent reminder) and does or re-enqueues it. Sweeps must be idempotent.

Register in your app's tasks.py (the worker imports every app's tasks module):

    @periodic(every=30)
    def outbox_sweep() -> None: ...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Sweep:
    name: str
    every: int  # seconds
    func: Callable[[], object]


_REGISTRY: dict[str, Sweep] = {}


def periodic(*, every: int) -> Callable[[Callable[[], object]], Callable[[], object]]:
    def register(func: Callable[[], object]) -> Callable[[], object]:
        name = f"{func.__module__}.{func.__qualname__}"
        _REGISTRY[name] = Sweep(name=name, every=every, func=func)
        return func

    return register


def registered_sweeps() -> list[Sweep]:
    return sorted(_REGISTRY.values(), key=lambda sweep: sweep.name)
