"""`manage.py worker`: django_tasks_db's worker plus a heartbeat and the periodic sweeps.

The task loop (db_worker) runs in the main thread, so its signal handling works unchanged:
SIGINT/SIGTERM let the current task finish, then exit. A daemon thread writes
core.WorkerHeartbeat every few seconds (read by /healthz) and runs each sweep registered
with interviewdesk.core.periodic when it is due; one failing sweep is logged and the others go on.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Callable

from django.core.management.base import CommandError
from django.db import close_old_connections, connections
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from interviewdesk.core.models import WorkerHeartbeat
from interviewdesk.core.periodic import registered_sweeps
from interviewdesk.core.workers import ABANDONED_AFTER, BEAT_SECONDS, worker_register

logger = logging.getLogger("interviewdesk.worker")

# Heartbeats of workers that stopped long ago are removed; /healthz only reads the newest.
HEARTBEAT_KEEP = dt.timedelta(days=7)


def worker_name() -> str:
    # Also the task system's worker id (at most 64 characters there), so that a task this worker
    # took can be told apart once it stops beating (core.tasks).
    return f"{socket.gethostname()}-{os.getpid()}"[-64:]


def worker_step(*, name: str, last_run: dict[str, float], clock: Callable[[], float] = time.monotonic,
                on_beat: Callable[[], None] | None = None) -> list[str]:
    """One beat: write the heartbeat, then run every sweep that is due. Returns the sweeps run.

    `last_run` (sweep name → clock time) is the caller's memory between beats; a sweep runs on
    the first beat and then whenever `every` seconds have passed since it last started.
    `on_beat` runs once the heartbeat is written, before the sweeps (the worker registers its name
    there, so that the claims of its first sweeps already carry it).
    """
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"last_seen": now})
    WorkerHeartbeat.objects.filter(last_seen__lt=now - HEARTBEAT_KEEP).delete()
    if on_beat is not None:
        on_beat()
    ran = []
    for sweep in registered_sweeps():
        started = clock()
        last = last_run.get(sweep.name)
        if last is not None and started - last < sweep.every:
            continue
        last_run[sweep.name] = started
        ran.append(sweep.name)
        try:
            sweep.func()
        except Exception:  # a broken sweep must not stop the heartbeat or the other sweeps
            logger.exception("periodic sweep %s failed", sweep.name)
    return ran


class Heartbeat(threading.Thread):
    def __init__(self, name: str, interval: float = BEAT_SECONDS):
        super().__init__(name="interviewdesk-heartbeat", daemon=True)
        self.worker = name
        self.interval = interval
        self.stopping = threading.Event()

    def run(self) -> None:
        last_run: dict[str, float] = {}
        try:
            while not self.stopping.is_set():
                # Like a request: drop connections that broke or outlived CONN_MAX_AGE.
                close_old_connections()
                try:
                    # (its claims can be given back once it stops beating)
                    worker_step(name=self.worker, last_run=last_run, on_beat=lambda: worker_register(self.worker))
                except Exception:  # e.g. database briefly unreachable: try again next beat
                    logger.exception("worker heartbeat failed")
                self.stopping.wait(self.interval)
        finally:
            # This thread's own connections; the main thread's are untouched.
            connections.close_all()

    def stop(self, timeout: float = 15) -> None:
        self.stopping.set()
        self.join(timeout)


class Command(DbWorkerCommand):
    help = "Run background tasks, write the worker heartbeat and run the periodic sweeps."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--beat-interval", type=float, default=BEAT_SECONDS,
                            help="Seconds between heartbeats (default: %(default)s)")

    def handle(self, *args, **options) -> None:
        beat_interval: float = options.pop("beat_interval")
        if beat_interval * 3 > ABANDONED_AFTER.total_seconds():
            # Other workers would take this one for dead and give its claims away mid-send.
            raise CommandError(f"--beat-interval must be at most {ABANDONED_AFTER.total_seconds() / 3:g} seconds")
        # Sweeps register themselves when their app's tasks module is imported.
        autodiscover_modules("tasks")
        # The autoreloader would run the task loop in a child process without the heartbeat thread.
        options["reload"] = False
        name = worker_name()
        options["worker_id"] = name
        sweeps = ", ".join(f"{s.name} every {s.every} s" for s in registered_sweeps()) or "none"
        self.stdout.write(f"worker {name}: heartbeat every {beat_interval:g} s; sweeps: {sweeps}")
        self.stdout.flush()
        heartbeat = Heartbeat(name, beat_interval)
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
