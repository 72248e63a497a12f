"""The half-days a candidate cannot come, and those they prefer, stated in the portal before the
procedure's deadline.

The reasons are a fixed list (procedures.CandidateUnavailability.Reason) that asks no health
data; the planner sees only the half-days (procedures.availability). A preferred half-day is a
wish the planner tries to meet, never also a half-day they cannot come.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interviewdesk.core import dates
from interviewdesk.core.audit import audit_record
from interviewdesk.procedures.models import (
    Candidate,
    CandidatePreference,
    CandidateUnavailability,
    HalfDay,
    Procedure,
)

from ..models import AvailabilityRequest

HalfDaySlot = tuple[dt.date, str]


def unavailability_open(procedure: Procedure, today: dt.date | None = None) -> bool:
    """Whether candidates may still change their unavailable half-days (deadline day included)."""
    today = today or timezone.localdate()
    return bool(procedure.planning_days()) and (procedure.unavailability_deadline is None
                                                 or today <= procedure.unavailability_deadline)


def _half_day_words(day: dt.date, part: str) -> str:
    return f"{dates.long_date(day)}, {HalfDay(part).label}"


@transaction.atomic
def candidate_unavailability_set(*, candidate: Candidate, answers: dict[HalfDaySlot, str],
                                 preferred: set[HalfDaySlot] | frozenset[HalfDaySlot] = frozenset()) -> None:
    """The candidate cannot come on exactly these half-days (value: the reason code) and would rather
    come on the `preferred` ones; every other half-day of the window is free. Refused (nothing
    saved) after the deadline, for a half-day outside the window, or one both unavailable and
    preferred. Saving marks the candidate's availability request answered."""
    procedure = candidate.procedure
    if not unavailability_open(procedure):
        raise ValidationError(_("The last day to say when you cannot come has passed. Please contact us."))
    window = set(procedure.planning_days())
    reasons = set(CandidateUnavailability.Reason.values)
    for (day, _part), reason in answers.items():
        if day not in window or reason not in reasons:
            raise ValidationError(_("Please choose a half-day of the period and a reason from the list."))
    if any(day not in window or part not in HalfDay.values for day, part in preferred):
        raise ValidationError(_("Please choose a half-day of the period and a reason from the list."))
    both = sorted(set(answers) & set(preferred))
    if both:
        raise ValidationError(_(
            "A half-day cannot be both one you cannot come and one you prefer: %(half_days)s. "
            "Keep one of the two for each.") % {"half_days": "; ".join(_half_day_words(d, p) for d, p in both)})
    before = {(row.date, row.part): row.reason for row in candidate.unavailability.all()}
    preferred_before = {(row.date, row.part) for row in candidate.preferences.all()}
    candidate.unavailability.all().delete()
    CandidateUnavailability.objects.bulk_create([
        CandidateUnavailability(candidate=candidate, date=day, part=part, reason=reason)
        for (day, part), reason in sorted(answers.items())
    ])
    candidate.preferences.all().delete()
    CandidatePreference.objects.bulk_create([
        CandidatePreference(candidate=candidate, date=day, part=part) for day, part in sorted(preferred)])
    request, _created = AvailabilityRequest.objects.get_or_create(candidate=candidate)
    first_answer = request.answered_at is None
    request.answered_at = timezone.now()
    request.save(update_fields=["answered_at"])
    if before != answers or preferred_before != set(preferred) or first_answer:
        audit_record(action="candidate.unavailability", obj=candidate, procedure_id=procedure.pk,
                     actor_label="candidate", changes={"half_days": (len(before), len(answers)),
                                                       "preferred": (len(preferred_before), len(preferred))})
