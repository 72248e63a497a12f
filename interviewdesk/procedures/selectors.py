from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import Candidate, Jury, JuryMember, Procedure, ProfileCompetency


def procedure_juries(procedure: Procedure) -> QuerySet[Jury]:
    return procedure.juries.prefetch_related(Prefetch("members", JuryMember.objects.select_related("user")))


def procedure_profile(procedure: Procedure) -> QuerySet[ProfileCompetency]:
    return procedure.profile.select_related("competency")


def existing_emails(procedure: Procedure) -> set[str]:
    """All e-mails already in the procedure, in one query (the import checks each row against them)."""
    return set(Candidate.objects.filter(procedure=procedure).values_list("email", flat=True))
