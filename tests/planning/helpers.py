"""A small procedure ready for planning: window, availability, a jury, a proctor, candidates."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from interviewdesk.core.workdays import closed_days, is_working_day
from interviewdesk.procedures.models import HalfDay, JuryMember, StaffAvailability
from tests.factories import CandidateFactory, staffed_procedure


def working_days_from(first: dt.date, count: int) -> list[dt.date]:
    closed = closed_days({first.year, first.year + 1})
    days, day = [], first
    while len(days) < count:
        if is_working_day(day, closed):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def planning_procedure(candidates: int = 3, *, languages=("nl",)):
    """Interviews on three working days starting two weeks from today; everyone available from tomorrow."""
    s = staffed_procedure()
    p = s.procedure
    days = working_days_from(timezone.localdate() + dt.timedelta(days=14), 3)
    p.first_interview_day, p.last_interview_day = days[0], days[-1]
    p.day_starts_at, p.day_ends_at = dt.time(9, 0), dt.time(17, 0)
    p.lunch_starts_at, p.lunch_ends_at = dt.time(12, 30), dt.time(13, 30)
    p.max_interviews_per_jury_day = 4
    p.interview_minutes, p.scoring_buffer_minutes = 60, 15
    p.connection_test_days_before, p.connection_test_minutes, p.connection_test_group_size = 2, 15, 4
    p.save()
    s.jury.languages = list(languages)
    s.jury.save()
    people = [m.user for m in JuryMember.objects.filter(jury=s.jury)] + [s.proctor]
    first = timezone.localdate() + dt.timedelta(days=1)
    rows = [StaffAvailability(procedure=p, user=user, date=first + dt.timedelta(days=n), part=part, available=True)
            for user in people for n in range((days[-1] - first).days + 1) for part in HalfDay.values]
    StaffAvailability.objects.bulk_create(rows)
    s.candidates = [CandidateFactory(procedure=p, language=languages[0]) for _ in range(candidates)]
    s.days = days
    return s


def chair_busy_at_the_last_item(s, run):
    """Meanwhile the chair took another procedure's interview at the time of the run's last item
    (so applying that item is refused). Returns the item."""
    from tests.factories import AppointmentFactory, ProcedureFactory, jury_with_members

    last = run.items.order_by("-starts_at").first()
    other = ProcedureFactory()
    AppointmentFactory(procedure=other, jury=jury_with_members(other, chair=s.chair),
                       starts_at=last.starts_at, ends_at=last.ends_at)
    return last
