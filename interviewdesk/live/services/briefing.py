"""The day-before e-mail to each jury member: tomorrow's interviews and the declarations still to make.

Jury members see the same on their dashboard (`selectors.declarations_to_make`); the e-mail reaches
them before they open it. Sent once per member and day (dedupe key), from `BRIEFING_FROM_HOUR` on
the day before, by the live app's periodic sweep (`tasks.jury_briefing_sweep`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from interviewdesk.core.localtime import wall_to_instant
from interviewdesk.messaging.models import Message
from interviewdesk.messaging.services import Recipient, message_queue
from interviewdesk.procedures.models import JuryMember
from interviewdesk.scheduling.models import Appointment

from ..models import ConflictDeclaration

BRIEFING_FROM_HOUR = getattr(settings, "JURY_BRIEFING_FROM_HOUR", 14)


def _tomorrows_interviews(day: dt.date) -> list[Appointment]:
    start = wall_to_instant(day, dt.time(0, 0))
    end = wall_to_instant(day + dt.timedelta(days=1), dt.time(0, 0))
    return list(
        Appointment.objects.filter(kind=Appointment.Kind.INTERVIEW, status__in=Appointment.ACTIVE_STATUSES,
                                   jury__isnull=False, starts_at__gte=start, starts_at__lt=end)
        .select_related("candidate", "procedure")
        .prefetch_related(Prefetch("jury__members", queryset=JuryMember.objects.select_related("user")),
                          Prefetch("conflict_declarations", queryset=ConflictDeclaration.objects.only(
                              "appointment_id", "member_id")))
        .order_by("starts_at", "id")
    )


@transaction.atomic
def jury_briefings_queue(*, now: dt.datetime | None = None) -> int:
    """Queue the day-before e-mail for every jury member with an interview tomorrow (Brussels day).
    Returns the number of e-mails queued now; a member already briefed for that day gets none."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < BRIEFING_FROM_HOUR:
        return 0
    day = local.date() + dt.timedelta(days=1)
    per_member: dict = defaultdict(list)
    for appointment in _tomorrows_interviews(day):
        declared = {d.member_id for d in appointment.conflict_declarations.all()}
        for seat in appointment.jury.members.all() if appointment.jury is not None else ():
            per_member[seat.user].append({"appointment": appointment, "seat": seat,
                                          "to_declare": seat.user_id not in declared})
    dashboard = settings.SITE_URL + reverse("dashboard")
    queued = 0
    for user, rows in per_member.items():
        if not user.email or not user.is_active:
            continue
        key = f"jury-day-before-{user.pk}-{day.isoformat()}"
        if Message.objects.filter(dedupe_key=key).exists():
            continue
        procedures = {row["appointment"].procedure for row in rows}
        message_queue(kind="jury_day_before", template="live_jury_day_before",
                      procedure=next(iter(procedures)) if len(procedures) == 1 else None,
                      to=Recipient(user.email, user.get_full_name() or user.username, user.language),
                      context={"member": user, "day": day, "rows": rows, "dashboard_url": dashboard,
                               "to_declare": sum(1 for row in rows if row["to_declare"])},
                      dedupe_key=key)
        queued += 1
    return queued
