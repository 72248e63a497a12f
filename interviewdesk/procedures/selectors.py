from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import Candidate, Jury, JuryMember, Procedure, ProfileCompetency, RatingScale
from .scales import DEFAULT_SCALE


def procedure_juries(procedure: Procedure) -> QuerySet[Jury]:
    return procedure.juries.prefetch_related(Prefetch("members", JuryMember.objects.select_related("user")))


def procedure_profile(procedure: Procedure) -> QuerySet[ProfileCompetency]:
    return procedure.profile.select_related("competency")


def existing_emails(procedure: Procedure) -> set[str]:
    """All e-mails already in the procedure, in one query (the import checks each row against them)."""
    return set(Candidate.objects.filter(procedure=procedure).values_list("email", flat=True))


def default_scale() -> RatingScale | None:
    """The service's scale, read only (the data migration 0002_default_scale made it): the new-procedure
    form offers it without writing, where `scales.ensure_default_scale` rewrites its six levels."""
    return RatingScale.objects.filter(name=DEFAULT_SCALE).first()
