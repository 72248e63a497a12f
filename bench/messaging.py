"""Benchmark the outbox: render and deliver invitations through the real worker to a local SMTP server.

    .venv/bin/python bench/messaging.py [messages]      (default 2,000)

Ours: a procedure with N planned interviews (candidates in nl, fr, de); "send all pending
invitations" is started as a selection officer would, then django_tasks_db's `db_worker
--batch` runs the bulk-send task (render text + HTML + iCalendar, personal link, outbox row,
delivery task per group of 25) and the delivery tasks (claim a batch in one statement, build MIME,
SMTP over one connection, mark each row sent after its own reply) against an
aiosmtpd server on 127.0.0.1 in its own process. Baseline: N pre-built messages of the same size sent with
smtplib over one connection. Prints both rates, their ratio and the process's peak memory
after a warm-up run of N/4 and after the run of N (flat: the peak does not grow with N), and the
worker's CPU time per message (less noisy than wall time on a shared machine).
Target: at least 25 % of the baseline's rate.

Runs on a throw-away SQLite file (or DATABASE_URL's server, in a scratch database).
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import smtplib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = tempfile.mkdtemp(prefix="bench-messaging-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interviewdesk.settings")
os.environ["VAR_DIR"] = SCRATCH  # the default SQLite database lives here, never in var/
os.environ.setdefault("LOG_LEVEL", "WARNING")
# A worker keeps its database connection between tasks (production: CONN_MAX_AGE for the worker).
os.environ.setdefault("CONN_MAX_AGE", "600")


class CountingHandler:
    """Counts what the server accepts; keeps no message, so its memory stays flat too."""

    def __init__(self) -> None:
        self.count = 0
        self.ids: set[str] = set()

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        head = envelope.content[:4000]
        start = head.find(b"Message-ID: ")
        if start >= 0:
            self.ids.add(head[start:head.find(b"\r\n", start)].decode())
        return "250 OK"


def smtp_server(port: int, report: str) -> None:
    """Child process: an aiosmtpd server that counts; writes its counts to `report` on SIGTERM."""
    import json
    import signal
    import threading

    from aiosmtpd.controller import Controller

    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    print("ready", flush=True)
    done.wait()
    controller.stop()
    Path(report).write_text(json.dumps({"count": handler.count, "ids": sorted(handler.ids)}))


class ServerProcess:
    """The SMTP server runs in its own process, as a real mail server would: it does not compete
    with the worker (or the baseline) for the interpreter lock."""

    def __init__(self) -> None:
        import subprocess

        self.port = free_port()
        self.report = Path(SCRATCH) / f"smtp-{self.port}.json"
        self.process = subprocess.Popen([sys.executable, __file__, "--smtp-server", str(self.port), str(self.report)],
                                        stdout=subprocess.PIPE, text=True)
        if self.process.stdout.readline().strip() != "ready":
            raise SystemExit("the SMTP server did not start")

    def stop(self) -> dict:
        import json

        self.process.terminate()
        self.process.wait(timeout=60)
        return json.loads(self.report.read_text())


def peak_rss() -> int:
    """The process's peak resident memory so far, in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(n: int, tag: str):
    from interviewdesk.procedures.models import Candidate, Procedure
    from interviewdesk.procedures.scales import ensure_default_scale
    from interviewdesk.scheduling.models import Appointment

    procedure = Procedure.objects.create(reference=f"BENCH-{tag}", title="Data analyst", language="nl",
                                         contact_name="An Peeters", contact_email="selectie@example.org",
                                         contact_phone="+3225550101", scale=ensure_default_scale(),
                                         status=Procedure.Status.OPEN, extra_material="a calculator")
    languages = ("nl", "fr", "de")
    candidates = Candidate.objects.bulk_create(
        Candidate(procedure=procedure, first_name=f"Lotte{i}", last_name="Janssens", email=f"c{tag}-{i}@example.net",
                  phone="+32470123456", language=languages[i % 3]) for i in range(n)
    )
    start = dt.datetime(2031, 3, 3, 8, 0, tzinfo=dt.UTC)
    Appointment.objects.bulk_create(
        Appointment(procedure=procedure, candidate=c, kind=Appointment.Kind.INTERVIEW,
                    starts_at=start + dt.timedelta(minutes=30 * i), ends_at=start + dt.timedelta(minutes=30 * i + 25),
                    join_url=f"https://teams.example.org/l/meetup-join/{i}") for i, c in enumerate(candidates)
    )
    return procedure


def ours(n: int, tag: str) -> tuple[float, float, float]:
    """(total seconds, seconds until every invitation was rendered and queued, CPU seconds of this process)."""
    from django.core.management import call_command
    from django.utils import timezone

    from interviewdesk.messaging.bulk import bulk_send_start
    from interviewdesk.messaging.models import Message

    procedure = seed(n, tag)
    started, cpu, clicked = time.perf_counter(), time.process_time(), timezone.now()
    run, _created = bulk_send_start(procedure=procedure)  # the click
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    run.refresh_from_db()
    sent = Message.objects.filter(procedure=procedure, state=Message.State.SENT).count()
    if sent != n:
        raise SystemExit(f"only {sent} of {n} messages were sent")
    return elapsed, (run.finished_at - clicked).total_seconds(), cpu


def baseline(n: int, port: int) -> float:
    from interviewdesk.messaging.mime import build_mime
    from interviewdesk.messaging.models import Message

    template = Message.objects.filter(kind="invitation").first()
    prebuilt = []
    for i in range(n):
        template.message_id = f"<baseline-{i}@bench.example>"
        template.recipient_email = f"b{i}@example.net"
        prebuilt.append(build_mime(template))
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as connection:
        for i, data in enumerate(prebuilt):
            connection.sendmail("no-reply@interviewdesk.example", [f"b{i}@example.net"], data)
    return time.perf_counter() - started


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    server = ServerProcess()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.MAIL_DIR = Path(SCRATCH) / "mail"
    try:
        call_command("migrate", verbosity=0)
        small = max(n // 4, 1)
        peaks = {}
        ours(small, "B")  # warm-up run; its peak is the reference for "flat"
        peaks[small] = peak_rss()
        ours_s, queued_s, cpu_s = ours(n, "A")
        peaks[n] = peak_rss()
    finally:
        counts = server.stop()
    if counts["count"] != n + small or len(counts["ids"]) != n + small:
        raise SystemExit(f"server received {counts['count']} messages, {len(counts['ids'])} distinct Message-IDs")
    server = ServerProcess()
    try:
        base_s = baseline(n, server.port)
    finally:
        server.stop()
    ours_rate, base_rate = n / ours_s, n / base_s
    ratio = ours_rate / base_rate
    print(f"messaging: {n} invitations (nl/fr/de, text + HTML + iCalendar) to a local SMTP server")
    print(f"  outbox + worker : {ours_s:6.2f} s  {ours_rate:8.0f} messages/s  (render, queue, claim, send, record)")
    print(f"    of which      : {queued_s:6.2f} s rendering and queueing (bulk task), "
          f"{ours_s - queued_s:.2f} s delivering (claim, MIME, SMTP, record)")
    print(f"    CPU           : {cpu_s / n * 1000:6.2f} ms per message in the worker process "
          f"(less noisy than wall time on a shared machine)")
    print(f"  smtplib baseline: {base_s:6.2f} s  {base_rate:8.0f} messages/s  (pre-built, one connection)")
    print(f"  ratio           : {ratio:6.1%}  (target: at least 25 %)")
    print(f"  peak memory     : {peaks[small] / 1e6:6.1f} MB after {small} messages, "
          f"{peaks[n] / 1e6:6.1f} MB after {n} more (process peak RSS)")
    if peaks[n] > peaks[small] * 1.25:
        raise SystemExit("memory grows with the number of messages")
    if ratio < 0.25:
        print("  BELOW TARGET: less than 25 % of the baseline's rate (see docs/messaging.md, Benchmark)")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--smtp-server":
        smtp_server(int(sys.argv[2]), sys.argv[3])
    else:
        main()
