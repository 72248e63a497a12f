"""Benchmark: the candidate's overview page beside a minimal Django view, same server, same settings.

    .venv/bin/python bench/portal.py            (needs PostgreSQL on 127.0.0.1; BENCH_DATABASE_URL to change)

What it does, on loopback only, in well under two minutes:
1. creates a fresh PostgreSQL database and migrates it;
2. seeds a procedure with 2,000 appointments of other candidates and checks with Django's test
   client that the overview runs the same number of queries with 1 and with 30 appointments;
3. starts gunicorn with 2 sync workers and a URLconf that adds `/bench/minimal/` (a view that
   returns "ok" and touches neither session nor database) to the real ones;
4. logs in through the personal link like a browser (GET, then POST with the CSRF token);
5. drives each URL with 16 concurrent connections and prints requests/second, p50 and p95.
Targets (issue 4): overview ≥ 25 % of the minimal view's throughput, overview p95 < 50 ms.

Several web processes need a shared cache (CACHE_URL, docs/operations.md), so the workers use
Redis when it answers (BENCH_CACHE_URL, default redis://127.0.0.1:6379/14), as deployed; without
it they read sessions from the database. The line under the table says which.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from _django_site import site_write

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/interviewdesk_bench_portal")
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
WARMUP = 2.0
# Default: sync workers, as deployed by default. E.g. BENCH_GUNICORN_ARGS="--threads 4" to compare.
GUNICORN_EXTRA = os.environ.get("BENCH_GUNICORN_ARGS", "").split()
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14")


def redis_answers(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False

SEED = """
import datetime as dt
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from interviewdesk.portal.access import access_link_issue
from interviewdesk.portal.models import Readiness
from interviewdesk.portal.services import overview_touch
from interviewdesk.procedures.models import Candidate, Jury, Procedure
from interviewdesk.procedures.scales import ensure_default_scale
from interviewdesk.scheduling.models import Appointment

procedure = Procedure.objects.create(reference="BENCH1", title="Benchmark analyst", language="nl",
    contact_name="An Peeters", contact_email="selectie@example.org", status="open", scale=ensure_default_scale())
jury = Jury.objects.create(procedure=procedure, name="Jury A")

def candidate(n, appointments):
    c = Candidate.objects.create(procedure=procedure, first_name=f"Lotte{n}", last_name="Janssens",
                                 email=f"c{n}@example.net", phone="+32470123456", language="nl")
    Readiness.objects.create(candidate=c, phone_confirmed_at=timezone.now())
    start = timezone.now() + dt.timedelta(days=20, hours=2 * n)
    for i in range(appointments):
        kind = "interview" if i == 0 else "connection_test"
        Appointment.objects.create(procedure=procedure, candidate=c, kind=kind, jury=jury if i == 0 else None,
            starts_at=start + dt.timedelta(days=i), ends_at=start + dt.timedelta(days=i, hours=1),
            status="invited", join_url="https://teams.example.org/l/meetup-join/abc")
    return c

def queries(c):
    client = Client()
    link = access_link_issue(candidate=c)
    client.post("/" + link.split("/", 3)[3])
    client.get("/portal/")  # a returning visitor: CSRF cookie set, deadline known
    overview_touch(c.pk)  # but the page must be rendered, not served from the cache
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/portal/").status_code == 200
    return len(ctx)

# A realistic database: 2,000 appointments of 500 other candidates.
others = Candidate.objects.bulk_create(
    Candidate(procedure=procedure, first_name=f"Other{i}", last_name="Peeters", email=f"o{i}@example.net",
              phone="+32470123456", language="fr") for i in range(500))
base = timezone.now() + dt.timedelta(days=30)
Appointment.objects.bulk_create(
    Appointment(procedure=procedure, candidate=o, kind="connection_test", starts_at=base + dt.timedelta(days=d),
                ends_at=base + dt.timedelta(days=d, minutes=30), status="planned")
    for o in others for d in range(4))
print("QUERIES", queries(candidate(1, 1)), queries(candidate(2, 30)))
# The measured candidate: an interview and two connection tests, like a real one.
print("TOKEN", access_link_issue(candidate=candidate(3, 3)).rsplit("/", 2)[1])
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args: list[str], env: dict, **kwargs) -> str:
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode:
        sys.exit(f"{' '.join(args[:3])} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def fresh_database(env: dict) -> None:
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        sys.exit(f"PostgreSQL is needed ({admin}; set BENCH_DATABASE_URL): {exc}")
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)


def fetch(port: int, request: bytes) -> int:
    """One request on a fresh connection (gunicorn's sync workers close it after each response);
    plain sockets keep the client's own CPU use, which shares the machine with the server, small."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        head = sock.recv(65536)
        while sock.recv(65536):
            pass
    return int(head[9:12])


def log_in(port: int, token: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", f"/p/{token}/")
    response = conn.getresponse()
    page = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", f"/p/{token}/", body=f"csrfmiddlewaretoken={form_token}",
                 headers={"Cookie": f"csrftoken={csrf_cookie}", "Origin": "null",
                          "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    assert response.status == 302, response.status
    return f"csrftoken={csrf_cookie}; sessionid={session}"


def load(port: int, path: str, cookies: str) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    start_at = time.perf_counter() + WARMUP
    stop_at = start_at + SECONDS

    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookies}\r\n"
               "Connection: close\r\n\r\n").encode()

    def worker() -> None:
        nonlocal errors
        mine: list[float] = []
        bad = 0
        while True:
            t0 = time.perf_counter()
            if t0 >= stop_at:
                break
            status = fetch(port, request)
            t1 = time.perf_counter()
            if t0 >= start_at:
                mine.append(t1 - t0)
                bad += status != 200
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "rps": len(latencies) / SECONDS,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "n": len(latencies),
        "errors": errors,
    }


def main() -> int:
    load_at_start = os.getloadavg()[0]  # the build machine is shared: say how busy it was
    tmp = Path(tempfile.mkdtemp(prefix="bench-portal-"))
    site_write(tmp)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench_settings", "DATABASE_URL": DATABASE_URL,
           "CONN_MAX_AGE": "60", "PYTHONPATH": f"{tmp}{os.pathsep}{ROOT}", "VAR_DIR": str(tmp / "var"),
           "SITE_URL": "http://127.0.0.1"}
    shared_cache = redis_answers(CACHE_URL)
    if shared_cache:
        env["CACHE_URL"] = CACHE_URL
    print(f"database {urlsplit(DATABASE_URL).path.lstrip('/')}: migrating…", flush=True)
    fresh_database(env)
    seeded = run([PYTHON, "-c", SEED], env)
    q_one, q_many = map(int, re.search(r"QUERIES (\d+) (\d+)", seeded).groups())
    token = re.search(r"TOKEN (\S+)", seeded).group(1)
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "--workers", "2", *GUNICORN_EXTRA, "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "interviewdesk.wsgi:application"], env=env, cwd=ROOT, start_new_session=True)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        cookies = log_in(port, token)
        results = {
            "minimal view": load(port, "/bench/minimal/", cookies),
            "portal overview": load(port, "/portal/", cookies),
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)

    print(f"\ngunicorn 2 workers ({' '.join(GUNICORN_EXTRA) or 'sync'}), PostgreSQL, {CONCURRENCY} concurrent connections, "
          f"{SECONDS:.0f} s each, machine load average at start: {load_at_start:.1f}")
    print(f"sessions: {'cached in Redis (CACHE_URL ' + CACHE_URL + ')' if shared_cache else 'database (no Redis)'}\n")
    print(f"{'page':<18}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'requests':>10}{'errors':>8}")
    for name, r in results.items():
        print(f"{name:<18}{r['rps']:>9.0f}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['n']:>10}{r['errors']:>8}")
    overview, minimal = results["portal overview"], results["minimal view"]
    ratio = overview["rps"] / minimal["rps"]
    print(f"\noverview / minimal throughput: {ratio:.0%} (target ≥ 25 %)")
    print(f"overview p95: {overview['p95']:.1f} ms (target < 50 ms)")
    print(f"queries per overview: {q_one} with 1 appointment, {q_many} with 30 (must be equal)")
    ok = ratio >= 0.25 and overview["p95"] < 50 and q_one == q_many and not overview["errors"]
    print("RESULT:", "targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
