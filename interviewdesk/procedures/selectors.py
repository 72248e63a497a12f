from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from interviewdesk.scheduling.models import Appointment

from .permissions import visible_procedures


def dashboard_context(user) -> dict:
    procedures = visible_procedures(user).annotate(
        candidate_count=Count("candidates", distinct=True),
        upcoming_count=Count(
            "appointments",
            filter=Q(appointments__starts_at__gte=timezone.now(), appointments__status__in=Appointment.ACTIVE_STATUSES),
            distinct=True,
        ),
    )
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    todays = (
        Appointment.objects.filter(procedure__in=visible_procedures(user), starts_at__gte=start,
                                   starts_at__lt=start + dt.timedelta(days=1))
        .select_related("candidate", "procedure", "jury", "proctor", "room")
        .order_by("starts_at")
    )
    return {"procedures": procedures, "todays_appointments": todays, "today": today}
