"""A real worker process (`manage.py worker`, with its heartbeat and sweeps) making Teams meetings
at the fake Graph server, killed with SIGKILL while Graph is answering one of them, then a second
worker: no meeting is made twice at Graph, none is missing, and the dead worker's claims come back
within about a minute because its heartbeat stopped (not after the five-minute claim timeout).
Runs real processes on a file database."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time

from interviewdesk.core.workers import ABANDONED_AFTER
from interviewdesk.meetings.services import CLAIM_TIMEOUT
from tests.meetings.fake_graph import (
    CLIENT_ID,
    CLIENT_SECRET,
    ORGANIZER,
    TENANT,
    FakeGraph,
    make_certificate,
    serve,
)
from tests.messaging.test_killed_worker import ROOT, count, wait_until

SCRIPT = ROOT / "tests/meetings/worker_script.py"
N = 36


def rows(db, sql: str) -> list[tuple]:
    with sqlite3.connect(db, timeout=10) as connection:
        return connection.execute(sql).fetchall()


def start_worker(env):
    return subprocess.Popen([sys.executable, "manage.py", "worker", "--no-startup-delay", "--interval", "0.05",
                             "--beat-interval", "1"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def test_a_worker_killed_while_graph_answers_leaves_no_duplicate_and_no_missing_meeting(tmp_path):
    cert, key = make_certificate(tmp_path)
    graph = FakeGraph(answer_delay=0.25)  # Graph makes the meeting, then takes its time to answer
    server = serve(graph, cert, key)
    db = tmp_path / "meetings.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "interviewdesk.settings",
           "MEETINGS_GRAPH_URL": f"{graph.base}/v1.0", "MEETINGS_TEAMS_AUTHORITY_HOST": graph.base,
           "MEETINGS_TEAMS_TENANT_ID": TENANT, "MEETINGS_TEAMS_CLIENT_ID": CLIENT_ID,
           "MEETINGS_TEAMS_CLIENT_SECRET": CLIENT_SECRET, "MEETINGS_CA_BUNDLE": str(cert)}
    first = second = None
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([sys.executable, str(SCRIPT), "setup", str(N), ORGANIZER], cwd=ROOT, env=env, check=True)
        assert count(db, "select count(*) from meetings_meeting where state='pending'") == N

        # 1. The worker makes meetings; kill it while Graph has made one and not yet answered.
        first = start_worker(env)
        wait_until(lambda: len(graph.created) >= N // 3 and graph.answering > 0)
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed_at = time.monotonic()
        dead = f"{socket.gethostname()}-{first.pid}"
        left = count(db, "select count(*) from meetings_meeting where state='pending'")
        assert 0 < left < N
        claimed = rows(db, f"select id from meetings_meeting where state='pending' and claimed_by='{dead}'")
        assert claimed, "the dead worker held no claim: the kill landed between two meetings"

        # 2. A second worker finishes them all, the dead worker's claims within about a minute.
        second = start_worker(env)
        wait_until(lambda: count(db, "select count(*) from meetings_meeting where state='ready'") == N, timeout=150)
        took = time.monotonic() - killed_at
        print(f"dead worker's claims {len(claimed)}; all {N} meetings ready {took:.1f} s after the kill")
        assert took < 75, took
        assert took < CLAIM_TIMEOUT.total_seconds()  # the heartbeat, not the timeout, gave them back
        assert took > ABANDONED_AFTER.total_seconds() - 5  # (a living worker's claims are never taken)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        server.shutdown()
        server.server_close()

    # No meeting made twice: each externalId made one meeting (201) at Graph, asked again at most with a 200.
    assert max(graph.created.values()) == 1, graph.created.most_common(3)
    externals = {row[0] for row in rows(db, "select external_id from meetings_meeting")}
    assert set(graph.created) == externals and len(externals) == N
    # None missing: every interview has its own meeting, ready, with the meeting Graph made for it.
    assert count(db, """select count(*) from scheduling_appointment a
                        join meetings_appointmentmeeting l on l.appointment_id = a.id
                        join meetings_meeting m on m.id = l.meeting_id
                        where m.state = 'ready' and m.join_url != '' and m.provider_id != ''""") == N
    assert sorted(row[0] for row in rows(db, "select provider_id from meetings_meeting")) == sorted(graph.meetings)
    asked = [r.body["externalId"] for r in graph.graph_calls("POST")]
    assert len(asked) > N  # the meeting in flight at the kill was asked for again, and Graph gave the same one
