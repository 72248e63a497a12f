"""Benchmark: every staff list of one procedure with 3,000 candidates, beside a bare view (issue 13 §4).

    .venv/bin/python bench/staff_lists.py            PostgreSQL (BENCH_DATABASE_URL) and SQLite
    BENCH_LISTS_DATABASES=sqlite .venv/bin/python bench/staff_lists.py

For each database: a fresh database, migrated; one procedure with 3,000 candidates, 40 juries,
3,792 appointments (3,000 interviews over 13 days around today, 792 connection tests in group
slots), one invitation e-mail per appointment, readiness rows and results for the past
interviews. Then, in one process with DEBUG off and Django's test client logged in as the
procedure's officer, each page is fetched once to warm up and BENCH_LISTS_REPEAT times (7):
median and slowest time, HTML size, number of SQL statements and the slowest statement.
Targets: median < 300 ms and page < 300 KB for every list.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from _django_site import site_write

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/interviewdesk_bench_lists")
DATABASES = os.environ.get("BENCH_LISTS_DATABASES", "postgresql,sqlite").split(",")
CANDIDATES = int(os.environ.get("BENCH_LISTS_CANDIDATES", "3000"))


CHILD = r'''
import datetime as dt, os, statistics, time
import django
django.setup()
from decimal import Decimal
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from interviewdesk.assessment.models import Result
from interviewdesk.core.models import User
from interviewdesk.messaging.models import Message
from interviewdesk.portal.models import ConnectionTestBooking, ConnectionTestSlot, Readiness
from interviewdesk.procedures.models import Candidate, Jury, JuryMember, Membership, Procedure, Role
from interviewdesk.procedures.scales import ensure_default_scale
from interviewdesk.scheduling.models import Appointment

N = int(os.environ["BENCH_LISTS_CANDIDATES"])
REPEAT = int(os.environ.get("BENCH_LISTS_REPEAT", "7"))
JURIES, PROCTORS, PER_DAY = 40, 10, 6
LANGS = ["nl"] * 6 + ["fr"] * 3 + ["de"]

procedure = Procedure.objects.create(reference="BENCH3000", title="Benchmark analyst", language="nl",
    contact_name="An Peeters", contact_email="selectie@example.org", status="open", scale=ensure_default_scale())
officer = User.objects.create_user("bench-officer", password="x")
Membership.objects.create(procedure=procedure, user=officer, role=Role.SELECTION_OFFICER)
juries = Jury.objects.bulk_create(Jury(procedure=procedure, name=f"Jury {j:02d}", languages=["nl", "fr"])
                                  for j in range(JURIES))
people = User.objects.bulk_create(User(username=f"jury{j}-{k}") for j in range(JURIES) for k in range(3))
JuryMember.objects.bulk_create(JuryMember(jury=juries[i // 3], user=u, role="chair" if i % 3 == 0 else "assessor")
                               for i, u in enumerate(people))
Membership.objects.bulk_create(Membership(procedure=procedure, user=u, role=Role.JURY_CHAIR if i % 3 == 0 else Role.ASSESSOR)
                               for i, u in enumerate(people))
proctors = User.objects.bulk_create(User(username=f"proctor{p}") for p in range(PROCTORS))
Membership.objects.bulk_create(Membership(procedure=procedure, user=u, role=Role.PROCTOR) for u in proctors)
candidates = Candidate.objects.bulk_create(
    Candidate(procedure=procedure, first_name=f"First{i:04d}", last_name=f"Last{i % 997:03d}",
              email=f"c{i}@example.net", phone="+32470123456", language=LANGS[i % len(LANGS)]) for i in range(N))
now = timezone.now()
Readiness.objects.bulk_create(Readiness(candidate=c, phone_confirmed_at=now if i % 2 else None)
                              for i, c in enumerate(candidates))
today = timezone.localdate()
first_day = today - dt.timedelta(days=6)

def at(day, hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(first_day + dt.timedelta(days=day), dt.time(hour, minute)))

interviews = []
for i, c in enumerate(candidates):
    k = i // JURIES
    start = at(k // PER_DAY, 9) + dt.timedelta(minutes=75 * (k % PER_DAY))
    interviews.append(Appointment(procedure=procedure, candidate=c, kind="interview", jury=juries[i % JURIES],
        starts_at=start, ends_at=start + dt.timedelta(minutes=60), status="done" if start < now else "invited",
        join_url="https://teams.example.org/l/meetup-join/abc"))
Appointment.objects.bulk_create(interviews, batch_size=1000)
tests, slots, bookings = [], [], []
TESTS = round(N * 0.264)  # 792 for 3,000: 3,792 appointments in all
for k in range(0, TESTS, 4):
    slots.append(ConnectionTestSlot(procedure=procedure, proctor=proctors[(k // 4) % PROCTORS],
        starts_at=at((k // 4) % 13, 8), ends_at=at((k // 4) % 13, 8, 30), capacity=4))
ConnectionTestSlot.objects.bulk_create(slots)
for k in range(TESTS):
    slot = slots[k // 4]
    tests.append(Appointment(procedure=procedure, candidate=candidates[k], kind="connection_test", proctor=slot.proctor,
        starts_at=slot.starts_at, ends_at=slot.ends_at, status="done" if slot.starts_at < now else "invited"))
Appointment.objects.bulk_create(tests, batch_size=1000)
ConnectionTestBooking.objects.bulk_create(ConnectionTestBooking(slot=slots[k // 4], candidate=candidates[k],
    appointment=a, outcome="passed" if a.status == "done" else "pending") for k, a in enumerate(tests))
Message.objects.bulk_create((Message(kind="invitation", procedure=procedure, candidate=a.candidate, appointment=a,
    recipient_name=a.candidate.full_name, recipient_email=a.candidate.email, language=a.candidate.language,
    subject=f"Invitation {procedure.reference}", body_text="…", state="sent", sent_at=now)
    for a in interviews + tests), batch_size=1000)
Result.objects.bulk_create((Result(appointment=a, status="signed_off", final_pct=Decimal(50 + (a.candidate_id % 40)),
    passed=a.candidate_id % 3 != 0) for a in interviews if a.status == "done"), batch_size=1000)
print(f"seeded {Candidate.objects.count()} candidates, {Appointment.objects.count()} appointments, "
      f"{Message.objects.count()} e-mails, {Result.objects.count()} results", flush=True)

client = Client()
client.force_login(officer)
# Staff sessions need a second factor: mark this one verified with a confirmed device, as a real
# login with password and code does.
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
session = client.session
session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.create(user=officer, name="bench", confirmed=True).persistent_id
session.save()
pk = procedure.pk
PAGES = [
    ("bare view", "/bench/minimal/"),
    ("dashboard", reverse("dashboard")),
    ("candidates + appointments", reverse("procedure_detail", args=[pk])),
    ("readiness", reverse("portal:readiness", args=[pk])),
    ("mail log", reverse("messaging:procedure", args=[pk])),
    ("connection tests", reverse("portal:test_slots", args=[pk])),
    ("console", reverse("live:procedure_console", args=[pk])),
    ("interviews to assess", reverse("assessment:interviews", args=[pk])),
    ("results", reverse("assessment:results", args=[pk])),
]
print(f"{'page':<28}{'median ms':>10}{'max ms':>8}{'KB':>8}{'SQL':>5}{'slowest SQL ms':>16}  status")
ok = True
for name, url in PAGES:
    response = client.get(url)
    assert response.status_code == 200, (name, response.status_code)
    times = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    slowest = max((float(q["time"]) * 1000 for q in ctx.captured_queries), default=0.0)
    size = len(response.content) / 1024
    median = statistics.median(times)
    good = name == "bare view" or (median < 300 and size < 300)
    ok &= good
    print(f"{name:<28}{median:>10.0f}{max(times):>8.0f}{size:>8.0f}{len(ctx):>5}{slowest:>16.1f}  "
          f"{'ok' if good else 'OVER TARGET'}", flush=True)
print("RESULT:", "targets met" if ok else "TARGETS MISSED")
'''


def run_child(env: dict) -> int:
    return subprocess.call([PYTHON, "-c", CHILD], env=env, cwd=ROOT)


def fresh_postgres(env: dict) -> bool:
    import psycopg

    name = urlsplit(DATABASE_URL).path.lstrip("/")
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
            autovacuum = conn.execute("SHOW autovacuum").fetchone()
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL skipped ({admin}): {exc}")
        return False
    if autovacuum and autovacuum[0] == "off":
        # Then the seeded tables have no statistics, as in the first minute after a bulk import:
        # the worst case for the planner's join choices (docs/setup.md, "Lists at 3,000 candidates").
        print("PostgreSQL runs with autovacuum off: the tables are measured without statistics")
    return True


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="bench-lists-"))
    site_write(tmp)
    base = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench_settings", "PYTHONPATH": f"{tmp}{os.pathsep}{ROOT}",
            "VAR_DIR": str(tmp / "var"), "BENCH_LISTS_CANDIDATES": str(CANDIDATES)}
    base.pop("CACHE_URL", None)
    (tmp / "var").mkdir()
    failed = 0
    for database in DATABASES:
        env = dict(base)
        if database == "postgresql":
            if not fresh_postgres(env):
                continue
            env["DATABASE_URL"] = DATABASE_URL
        else:
            env.pop("DATABASE_URL", None)
        print(f"\n{database}, load average {os.getloadavg()[0]:.1f}: migrating…", flush=True)
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
        failed |= run_child(env)
    return failed


if __name__ == "__main__":
    sys.exit(main())
