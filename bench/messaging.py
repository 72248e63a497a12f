"""Benchmark the outbox: render and deliver invitations through the real worker to a local SMTP server.

    .venv/bin/python bench/messaging.py [messages] [--workers N] [--repeat R]   (defaults 2,000 and 3)

Without --workers it runs two modes, each in its own process and each judged on its own:
1 worker (SQLite, or DATABASE_URL's server) and, when PostgreSQL is reachable, 2 workers on
PostgreSQL. `--workers 1` is the single mode described below.

Ours: a procedure with N planned interviews (candidates in nl, fr, de); "send all pending
invitations" is started as a selection officer would, then django_tasks_db's `db_worker
--batch` runs the bulk-send tasks (one per group of 50 candidates: render text + HTML +
iCalendar, personal link, outbox rows, the group's delivery task) and the delivery tasks (claim
a batch in one statement, build MIME, SMTP over one connection, mark each row sent after its own
reply) against an aiosmtpd server on 127.0.0.1 in its own process. Baseline: N pre-built
messages of the same size sent with smtplib over one connection.

The machine is shared, so one run of each says little: the two are run R times, alternately
(ours, then the baseline, then ours again…), each with a fresh procedure, and the run with the
median ratio is printed with the range of all ratios. Also printed: the peak memory after a
warm-up run of N/4 and after the R runs of N (flat: the peak does not grow with the number of
messages), and the worker's CPU time per message. Target: at least 25 % of the baseline's rate
in the median run; the bench exits 1 when it is missed (or when memory grows).

Runs on a throw-away SQLite file (or DATABASE_URL's server, in a scratch database).

`--workers N` (N > 1) needs PostgreSQL (BENCH_DATABASE_URL, else DATABASE_URL, else
postgres://postgres@127.0.0.1:5432): the bench creates a scratch database on that server and
drops it afterwards, and runs N `manage.py db_worker` processes on the same queue (not --batch:
a batch worker that finds the queue empty exits, while the bulk task is still queueing delivery
tasks; they poll every 0.1 s and are stopped once every message is sent). The workers share
the group tasks (rendering) and the delivery tasks, which go first. The rates count from the
click to the last message recorded as sent; peak memory and CPU are the workers' (read from
/proc before they stop).
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import resource
import shutil
import smtplib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = tempfile.mkdtemp(prefix="bench-messaging-")
atexit.register(shutil.rmtree, SCRATCH, ignore_errors=True)  # leave no scratch database behind
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


def baseline_client(port: int, n: int, template_path: str) -> None:
    """Child process: n copies of one pre-built message (each with its own Message-ID and
    recipient), then sent with smtplib over one connection; prints the seconds the sending took.
    In its own process so that its buffers do not count in the worker's peak memory."""
    template = Path(template_path).read_bytes()
    marker = template[template.index(b"Message-ID: "):template.index(b"\r\n", template.index(b"Message-ID: "))]
    prebuilt = [template.replace(marker, f"Message-ID: <baseline-{i}@bench.example>".encode(), 1) for i in range(n)]
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as connection:
        for i, data in enumerate(prebuilt):
            connection.sendmail("no-reply@interviewdesk.example", [f"b{i}@example.net"], data)
    print(time.perf_counter() - started, flush=True)


def baseline_run(n: int) -> float:
    """The baseline, in a child process, against its own fresh SMTP server process, sending copies
    of one of our invitations as we built it."""
    from interviewdesk.messaging.mime import build_mime
    from interviewdesk.messaging.models import Message

    path = Path(SCRATCH) / "baseline.eml"
    path.write_bytes(build_mime(Message.objects.filter(kind="invitation").first()))
    server = ServerProcess()
    try:
        out = subprocess.run([sys.executable, __file__, "--baseline-client", str(server.port), str(n), str(path)],
                             check=True, capture_output=True, text=True).stdout
    finally:
        counts = server.stop()
    if counts["count"] != n:
        raise SystemExit(f"the baseline's server received {counts['count']} of {n} messages")
    return float(out.strip())


PG_DEFAULT = "postgres://postgres@127.0.0.1:5432"


def pg_server_url() -> str:
    """The PostgreSQL server for the multi-worker mode, without a database name."""
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or PG_DEFAULT
    if not url.startswith(("postgres://", "postgresql://")):
        url = PG_DEFAULT
    head, _, rest = url.partition("://")
    authority = rest.split("/", 1)[0]
    return f"{head}://{authority}"


def pg_admin(sql: str, url: str) -> None:
    import psycopg

    with psycopg.connect(f"{url}/postgres", autocommit=True, connect_timeout=3) as connection:
        connection.execute(sql)


def pg_reachable() -> bool:
    try:
        pg_admin("SELECT 1", pg_server_url())
    except Exception:
        return False
    return True


def proc_stats(pid: int) -> tuple[int, float]:
    """(peak RSS in bytes, CPU seconds) of a live child process, from /proc."""
    status = Path(f"/proc/{pid}/status").read_text()
    hwm = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")) * 1024
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return hwm, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Workers:
    """N `manage.py db_worker` processes on the same queue and database as this process."""

    def __init__(self, count: int, port: int) -> None:
        env = {**os.environ, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}
        self.log = open(Path(SCRATCH) / "workers.log", "w")  # noqa: SIM115 - closed in stop()
        self.processes = [
            subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "db_worker", "--no-startup-delay",
                              "--no-reload", "--interval", "0.1", "--worker-id", f"bench-{i}"],
                             cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
            for i in range(count)
        ]

    def check(self) -> None:
        for process in self.processes:
            if process.poll() is not None:
                raise SystemExit(f"a worker exited with {process.returncode}: see {self.log.name}")

    def stats(self) -> tuple[int, float]:
        """(largest peak RSS of one worker, CPU seconds of all workers together)."""
        stats = [proc_stats(p.pid) for p in self.processes]
        return max(s[0] for s in stats), sum(s[1] for s in stats)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=60)
        self.log.close()


def ours_parallel(n: int, tag: str, workers: Workers) -> tuple[float, float, float]:
    """As ours(), with the click served by the running workers: (total s, queueing s, workers' CPU s)."""
    from django.utils import timezone

    from interviewdesk.messaging.bulk import bulk_send_start
    from interviewdesk.messaging.models import Message

    procedure = seed(n, tag)
    cpu = workers.stats()[1]
    started, clicked = time.perf_counter(), timezone.now()
    run, _created = bulk_send_start(procedure=procedure)
    sent = Message.objects.filter(procedure=procedure, state=Message.State.SENT)
    while sent.count() < n:
        workers.check()
        if time.perf_counter() - started > 120:
            raise SystemExit(f"only {sent.count()} of {n} messages were sent after 120 s")
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    run.refresh_from_db()
    return elapsed, (run.finished_at - clicked).total_seconds(), workers.stats()[1] - cpu


def tasks_per_worker(task_name: str) -> str:
    """How many tasks of one kind each worker ran (shows whether the work was shared)."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    rows = (DBTaskResult.objects.filter(task_path__endswith=task_name).values("worker_ids")
            .annotate(n=Count("id")).order_by("worker_ids"))
    return ", ".join(f"{','.join(r['worker_ids']) or '?'}: {r['n']}" for r in rows)


def run_all(argv: list[str]) -> None:
    """No --workers: the 1-worker mode, then the 2-worker PostgreSQL mode if a server answers."""
    codes = [subprocess.call([sys.executable, __file__, *argv, "--workers", "1"])]
    print(flush=True)
    if pg_reachable():
        codes.append(subprocess.call([sys.executable, __file__, *argv, "--workers", "2"]))
    else:
        print(f"messaging [2 workers, PostgreSQL]: skipped, no PostgreSQL at {pg_server_url()} "
              "(set BENCH_DATABASE_URL)")
    sys.exit(max(codes))


def main_parallel(n: int, workers_count: int, repeat: int) -> None:
    server_url = pg_server_url()
    name = f"bench_messaging_{os.getpid()}"
    try:
        pg_admin(f'CREATE DATABASE "{name}"', server_url)
    except Exception as error:
        raise SystemExit(f"--workers {workers_count} needs PostgreSQL; {server_url}: {error}") from error
    os.environ["DATABASE_URL"] = f"{server_url}/{name}"
    try:
        measure_parallel(n, workers_count, repeat)
    finally:
        from django.db import connections

        connections.close_all()
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', server_url)


def measure_parallel(n: int, workers_count: int, repeat: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    server = ServerProcess()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    workers = Workers(workers_count, server.port)
    runs = []
    try:
        small = max(n // 4, 1)
        peaks = {}
        ours_parallel(small, "B", workers)  # warm-up run, also absorbs the workers' start-up
        peaks[small] = workers.stats()[0]
        for r in range(repeat):
            runs.append((*ours_parallel(n, f"A{r}", workers), baseline_run(n)))
        peaks[n] = workers.stats()[0]
        shares = {name: tasks_per_worker(name) for name in ("run_bulk_group", "deliver_messages")}
    finally:
        workers.stop()
        counts = server.stop()
    check_server_counts(counts, n * repeat + small)
    check_one_each(n * repeat + small)
    report(n, runs, peaks, small, label=f"{workers_count} workers, PostgreSQL",
           memory_of="largest worker's peak RSS", cpu_of="all workers together")
    print(f"    group tasks   : {shares['run_bulk_group']} (per worker id; all runs)")
    print(f"    delivery tasks: {shares['deliver_messages']} (per worker id; all runs)")


def check_server_counts(counts: dict, expected: int) -> None:
    if counts["count"] != expected or len(counts["ids"]) != expected:
        raise SystemExit(f"server received {counts['count']} messages, {len(counts['ids'])} distinct Message-IDs, "
                         f"expected {expected}")


def check_one_each(expected: int) -> None:
    """Every candidate got exactly one invitation, in the outbox as at the server (distinct IDs)."""
    from django.db.models import Count

    from interviewdesk.messaging.models import Message

    per_candidate = (Message.objects.filter(kind="invitation", state=Message.State.SENT).values("candidate_id")
                     .annotate(n=Count("id")))
    total = sum(row["n"] for row in per_candidate)
    if len(per_candidate) != expected or total != expected:
        raise SystemExit(f"{total} invitations sent to {len(per_candidate)} candidates, expected {expected} each once")


def report(n, runs, peaks, small, *, label, memory_of, cpu_of) -> None:
    """`runs`: (ours s, queueing s, CPU s, baseline s) per repetition; prints the median-ratio run."""
    ratios = sorted((n / r[0]) / (n / r[3]) for r in runs)
    ours_s, queued_s, cpu_s, base_s = sorted(runs, key=lambda r: r[3] / r[0])[len(runs) // 2]
    ours_rate, base_rate = n / ours_s, n / base_s
    ratio = ours_rate / base_rate
    total = n * len(runs)
    print(f"messaging [{label}]: {n} invitations (nl/fr/de, text + HTML + iCalendar) to a local SMTP server, "
          f"{len(runs)} runs alternating with the baseline; the median run:")
    print(f"  outbox + worker : {ours_s:6.2f} s  {ours_rate:8.0f} messages/s  (render, queue, claim, send, record)")
    print(f"    of which      : {queued_s:6.2f} s until the last group was rendered and queued, "
          f"{ours_s - queued_s:.2f} s delivering after it (claim, MIME, SMTP, record)")
    print(f"    CPU           : {cpu_s / n * 1000:6.2f} ms per message, {cpu_of} "
          f"(less noisy than wall time on a shared machine)")
    print(f"  smtplib baseline: {base_s:6.2f} s  {base_rate:8.0f} messages/s  (pre-built, one connection)")
    print(f"  ratio           : {ratio:6.1%}  (target: at least 25 %) [{label}]; "
          f"all runs: {', '.join(f'{r:.1%}' for r in ratios)}")
    print(f"  peak memory     : {peaks[small] / 1e6:6.1f} MB after {small} messages, "
          f"{peaks[n] / 1e6:6.1f} MB after {total} more ({memory_of})")
    print(f"  exactly once    : {total + small} candidates, {total + small} distinct Message-IDs at the server")
    if peaks[n] > peaks[small] * 1.25:
        raise SystemExit("memory grows with the number of messages")
    if ratio < 0.25:  # (like bench/portal.py: a missed target is a failed bench)
        raise SystemExit(f"  BELOW TARGET [{label}]: the median run is under 25 % of the baseline's rate "
                         "(see docs/messaging.md, Benchmark)")


def main(n: int, repeat: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    server = ServerProcess()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.MAIL_DIR = Path(SCRATCH) / "mail"
    runs = []
    try:
        call_command("migrate", verbosity=0)
        small = max(n // 4, 1)
        peaks = {}
        ours(small, "B")  # warm-up run; its peak is the reference for "flat"
        peaks[small] = peak_rss()
        for r in range(repeat):
            ours_result = ours(n, f"A{r}")
            runs.append((*ours_result, baseline_run(n)))
        peaks[n] = peak_rss()
    finally:
        counts = server.stop()
    check_server_counts(counts, n * repeat + small)
    check_one_each(n * repeat + small)
    vendor = "PostgreSQL" if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else "SQLite"
    report(n, runs, peaks, small, label=f"1 worker, {vendor}", memory_of="process peak RSS",
           cpu_of="in the worker process")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--smtp-server":
        smtp_server(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "--baseline-client":
        baseline_client(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        args = sys.argv[1:]
        options = {}
        for flag in ("--workers", "--repeat"):
            if flag in args:
                at = args.index(flag)
                options[flag] = int(args[at + 1])
                del args[at:at + 2]
        count = int(args[0]) if args else 2000
        repeat = options.get("--repeat", 3)
        workers = options.get("--workers")
        if workers is None:
            run_all(sys.argv[1:])
        elif workers > 1:
            main_parallel(count, workers, repeat)
        else:
            main(count, repeat)
