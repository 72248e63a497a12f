"""Read queries of the set-up pages."""

from __future__ import annotations

from django.db.models import Count, Q

from interviewdesk.procedures.models import Procedure, StaffAvailability


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
