"""A worker process for the killed-worker test, run as a subprocess against a file database.

    python tests/messaging/worker_script.py setup N   procedure with N candidates, bulk send started
    python tests/messaging/worker_script.py loop      what the worker's sweeps do, forever
    python tests/messaging/worker_script.py drain     the same until nothing is left, then exit
    python tests/messaging/worker_script.py writer    writes a worker heartbeat row without pause, forever

"loop" and "drain" run the sweeps of messaging.tasks as the worker would after a restart;
stale "sending" rows are treated as stale at once (the restart happened after the timeout).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interviewdesk.settings")

import django

django.setup()

from django.utils import timezone  # noqa: E402

from interviewdesk.messaging.models import BulkSend  # noqa: E402
from interviewdesk.messaging.services import bulk, delivery  # noqa: E402
from interviewdesk.procedures.models import Candidate, Procedure  # noqa: E402
from interviewdesk.procedures.scales import ensure_default_scale  # noqa: E402
from interviewdesk.scheduling.models import Appointment  # noqa: E402


def setup(n: int) -> None:
    procedure = Procedure.objects.create(reference="KILL1", title="Analyst", language="nl", contact_name="An",
                                         contact_email="an@example.org", scale=ensure_default_scale(),
                                         status=Procedure.Status.OPEN)
    start = timezone.now() + dt.timedelta(days=5)
    for i in range(n):
        candidate = Candidate.objects.create(procedure=procedure, first_name=f"C{i}", last_name="Test",
                                             email=f"c{i}@example.net", phone="+32470123456",
                                             language=["nl", "fr", "de"][i % 3])
        Appointment.objects.create(procedure=procedure, candidate=candidate, kind=Appointment.Kind.CONNECTION_TEST,
                                   starts_at=start + dt.timedelta(minutes=20 * i),
                                   ends_at=start + dt.timedelta(minutes=20 * i + 15),
                                   join_url="https://teams.example.org/l/x")
    bulk.bulk_send_start(procedure=procedure)


def sweep_once() -> int:
    for run_id in BulkSend.objects.filter(finished_at__isnull=True).values_list("pk", flat=True):
        bulk.bulk_send_run(run_id=run_id)
    delivery.message_requeue_stale(now=timezone.now() + delivery.SENDING_STALE_AFTER * 2)
    return delivery.deliver_due(limit=5)


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "setup":
        setup(int(sys.argv[2]))
    elif mode == "loop":
        while True:
            sweep_once()
    elif mode == "writer":
        from interviewdesk.core.models import WorkerHeartbeat

        while True:  # another process writing while the sender sends (a heartbeat, a web request)
            WorkerHeartbeat.objects.update_or_create(name="concurrent-writer", defaults={"last_seen": timezone.now()})
            time.sleep(0.002)  # hundreds of writes a second, far more than a real site makes
    elif mode == "drain":
        while sweep_once():
            pass
