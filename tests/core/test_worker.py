import datetime as dt
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from interviewdesk.core import periodic
from interviewdesk.core.management.commands.worker import Heartbeat, worker_step
from interviewdesk.core.models import WorkerHeartbeat

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sweeps(monkeypatch):
    """An empty sweep registry for the test; the real one is left as it was."""
    monkeypatch.setattr(periodic, "_REGISTRY", {})
    calls: list[str] = []

    @periodic.periodic(every=30)
    def outbox_sweep():
        calls.append("outbox")

    @periodic.periodic(every=60)
    def broken_sweep():
        calls.append("broken")
        raise RuntimeError("mail server gone")

    return calls


@pytest.mark.django_db
def test_a_step_writes_the_heartbeat_of_the_worker():
    worker_step(name="host-1", last_run={})
    beat = WorkerHeartbeat.objects.get()
    assert beat.name == "host-1"
    assert timezone.now() - beat.last_seen < dt.timedelta(seconds=5)


@pytest.mark.django_db
def test_a_step_updates_the_same_heartbeat_row_and_removes_week_old_ones():
    WorkerHeartbeat.objects.create(name="gone-42", last_seen=timezone.now() - dt.timedelta(days=8))
    WorkerHeartbeat.objects.create(name="host-1", last_seen=timezone.now() - dt.timedelta(minutes=1))
    worker_step(name="host-1", last_run={})
    worker_step(name="host-1", last_run={})
    assert list(WorkerHeartbeat.objects.values_list("name", flat=True)) == ["host-1"]


@pytest.mark.django_db
def test_registered_sweeps_run_on_the_first_step_and_again_only_when_due(sweeps):
    clock, last_run = FakeClock(), {}
    module = "tests.core.test_worker.sweeps.<locals>"
    assert worker_step(name="w", last_run=last_run, clock=clock) == [f"{module}.broken_sweep", f"{module}.outbox_sweep"]
    clock.now += 10
    assert worker_step(name="w", last_run=last_run, clock=clock) == []
    clock.now += 20
    assert worker_step(name="w", last_run=last_run, clock=clock) == [f"{module}.outbox_sweep"]
    clock.now += 30
    assert worker_step(name="w", last_run=last_run, clock=clock) == [f"{module}.broken_sweep", f"{module}.outbox_sweep"]
    assert sweeps == ["broken", "outbox", "outbox", "broken", "outbox"]


@pytest.mark.django_db
def test_a_failing_sweep_is_logged_and_the_next_sweep_still_runs(sweeps, caplog):
    with caplog.at_level(logging.ERROR, logger="interviewdesk.worker"):
        worker_step(name="w", last_run={})
    assert sweeps == ["broken", "outbox"]
    assert [r.getMessage() for r in caplog.records] == [
        "periodic sweep tests.core.test_worker.sweeps.<locals>.broken_sweep failed"
    ]
    assert caplog.records[0].exc_info[1].args == ("mail server gone",)


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_beats_in_its_own_connection_and_stops_when_asked(sweeps):
    heartbeat = Heartbeat("thread-1", interval=0.05)
    heartbeat.start()
    deadline = time.monotonic() + 10
    while not WorkerHeartbeat.objects.filter(name="thread-1").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    heartbeat.stop()
    assert not heartbeat.is_alive()
    assert WorkerHeartbeat.objects.filter(name="thread-1").exists()
    assert sweeps[:2] == ["broken", "outbox"]


def child_env(var_dir: Path) -> dict[str, str]:
    """A file SQLite database under var_dir and default settings, whatever the test run itself uses
    (its DATABASE_URL, or DJANGO_ALLOW_ASYNC_UNSAFE set by the browser tests)."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")}
    env.update({"VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "interviewdesk.settings", "PYTHONUNBUFFERED": "1"})
    return env


def heartbeats(database: Path) -> list[str]:
    with sqlite3.connect(database) as db:
        return [row[0] for row in db.execute("SELECT name FROM core_workerheartbeat")]


def test_manage_py_worker_writes_its_heartbeat_and_exits_0_on_sigint(tmp_path):
    env = child_env(tmp_path)
    subprocess.run([sys.executable, MANAGE, "migrate", "-v0"], env=env, check=True, timeout=120)
    worker = subprocess.Popen([sys.executable, MANAGE, "worker", "--no-startup-delay"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while not heartbeats(tmp_path / "interviewdesk.sqlite3") and time.monotonic() < deadline:
            time.sleep(0.2)
        names = heartbeats(tmp_path / "interviewdesk.sqlite3")
        worker.send_signal(signal.SIGINT)
        output, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output
    assert len(names) == 1
    assert names[0].endswith(f"-{worker.pid}")
    assert f"worker {names[0]}: heartbeat every 10 s" in output
