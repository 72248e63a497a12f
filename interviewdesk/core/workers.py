"""Which background workers are alive, for work they claimed.

A worker process (`manage.py worker`) writes a heartbeat every BEAT_SECONDS. Once its first beat
is written it registers its name here; rows it claims from then on carry that name, and a sweep
in any worker gives a claim back as soon as its claimer's heartbeat is older than
`ABANDONED_AFTER`, instead of waiting for a long timeout. Outside a worker (a web request, a test,
a management command) the name is empty and only the timeout applies.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import WorkerHeartbeat

BEAT_SECONDS = 10.0
# Three missed beats: a worker that is alive but slow to write (a long sweep in its heartbeat
# thread, a busy database) is not mistaken for a dead one.
ABANDONED_AFTER = dt.timedelta(seconds=3 * BEAT_SECONDS)

_current = ""


def worker_register(name: str) -> None:
    """Called by the worker's heartbeat thread after its first beat is written."""
    global _current
    _current = name[:100]


def current_worker() -> str:
    """This process's worker name, or "" outside a worker."""
    return _current


def workers_alive(now: dt.datetime | None = None) -> set[str]:
    """Names of the workers whose heartbeat is recent."""
    now = now or timezone.now()
    return set(WorkerHeartbeat.objects.filter(last_seen__gte=now - ABANDONED_AFTER).values_list("name", flat=True))
