import datetime as dt

import pytest
from django.utils import timezone

from interviewdesk.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_ok_and_worker_never_seen(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "worker": "never_seen",
                               "worker_last_heartbeat": None}


def test_healthz_reports_a_fresh_worker_heartbeat_as_ok(client):
    beat = WorkerHeartbeat.objects.create(name="worker-1", last_seen=timezone.now())
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["worker"] == "ok"
    assert body["worker_last_heartbeat"] == beat.last_seen.isoformat()


def test_healthz_reports_an_old_heartbeat_as_stale(client):
    WorkerHeartbeat.objects.create(name="worker-1", last_seen=timezone.now() - dt.timedelta(minutes=5))
    assert client.get("/healthz").json()["worker"] == "stale"
