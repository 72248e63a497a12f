from __future__ import annotations

import datetime as dt

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import WorkerHeartbeat

# A worker that has not written a heartbeat for this long is reported as stale.
HEARTBEAT_STALE_AFTER = dt.timedelta(seconds=90)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Machine-readable health: database reachable, worker alive. 503 when the database is down."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:  # any failure means "down" for a health probe
        return JsonResponse({"status": "error", "database": "error", "worker": "unknown"}, status=503)
    beat = WorkerHeartbeat.objects.order_by("-last_seen").first()
    if beat is None:
        worker, last = "never_seen", None
    else:
        worker = "ok" if timezone.now() - beat.last_seen < HEARTBEAT_STALE_AFTER else "stale"
        last = beat.last_seen.isoformat()
    status = "ok" if worker == "ok" else "degraded"
    return JsonResponse({"status": status, "database": database, "worker": worker, "worker_last_heartbeat": last})
