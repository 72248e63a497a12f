"""The half-days a candidate cannot come, stated in the portal before the procedure's deadline.

The reasons are a fixed list (procedures.CandidateUnavailability.Reason) that asks no health
data; the planner sees only the half-days (procedures.availability).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interviewdesk.core.audit import audit_record
from interviewdesk.procedures.models import Candidate, CandidateUnavailability, Procedure

HalfDaySlot = tuple[dt.date, str]


def unavailability_open(procedure: Procedure, today: dt.date | None = None) -> bool:
    """Whether candidates may still change their unavailable half-days (deadline day included)."""
    today = today or timezone.localdate()
    return bool(procedure.planning_days()) and (procedure.unavailability_deadline is None
                                                 or today <= procedure.unavailability_deadline)


@transaction.atomic
def candidate_unavailability_set(*, candidate: Candidate, answers: dict[HalfDaySlot, str]) -> None:
    """The candidate cannot come on exactly these half-days (value: the reason code); every other
    half-day of the window is free. Refused after the deadline."""
    procedure = candidate.procedure
    if not unavailability_open(procedure):
        raise ValidationError(_("The last day to say when you cannot come has passed. Please contact us."))
    window = set(procedure.planning_days())
    reasons = set(CandidateUnavailability.Reason.values)
    for (day, _part), reason in answers.items():
        if day not in window or reason not in reasons:
            raise ValidationError(_("Please choose a half-day of the period and a reason from the list."))
    before = {(row.date, row.part): row.reason for row in candidate.unavailability.all()}
    candidate.unavailability.all().delete()
    CandidateUnavailability.objects.bulk_create([
        CandidateUnavailability(candidate=candidate, date=day, part=part, reason=reason)
        for (day, part), reason in sorted(answers.items())
    ])
    if before != answers:
        audit_record(action="candidate.unavailability", obj=candidate, procedure_id=procedure.pk,
                     actor_label="candidate", changes={"half_days": (len(before), len(answers))})


