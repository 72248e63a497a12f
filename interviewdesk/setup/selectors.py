"""Read queries of the set-up pages."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from interviewdesk.procedures.models import Procedure, Room, StaffAvailability
from interviewdesk.scheduling.models import Appointment

# What a candidate and the staff read as the place of an appointment in a room (calendar, e-mail, portal).
ROOM_PLACE_FIELDS = ("name", "address", "name_nl", "name_fr", "name_de", "address_nl", "address_fr", "address_de")


def room_coming_appointments(room: Room) -> QuerySet[Appointment]:
    """The coming appointments held in `room` (what a change to the room concerns)."""
    return Appointment.objects.filter(room=room, status__in=Appointment.ACTIVE_STATUSES,
                                      starts_at__gte=timezone.now())


def availability_overview(procedure: Procedure, people: list, half_days: int) -> list[tuple]:
    """(person, available, not available, not answered) half-days for each person, in one query."""
    counts = {row["user_id"]: row for row in StaffAvailability.objects.filter(procedure=procedure)
              .values("user_id").annotate(yes=Count("pk", filter=Q(available=True)),
                                          no=Count("pk", filter=Q(available=False)))}
    rows = []
    for person in people:
        row = counts.get(person.pk, {"yes": 0, "no": 0})
        rows.append((person, row["yes"], row["no"], max(half_days - row["yes"] - row["no"], 0)))
    return rows
