"""`{% portal_open_problems %}`: open problem reports of the user's procedures, for the staff dashboard."""

from __future__ import annotations

from django import template

from interviewdesk.procedures.models import Candidate
from interviewdesk.procedures.permissions import visible_procedures
from interviewdesk.scheduling.visibility import DAY, candidate_scope

from ..models import ProblemReport

register = template.Library()


@register.inclusion_tag("portal/includes/open_problems.html", takes_context=True)
def portal_open_problems(context, limit: int = 20) -> dict:
    user = context["request"].user
    # Need-to-know: the officer's procedures, and a proctor's own sessions; never the jury's.
    reports = (ProblemReport.objects.filter(resolved_at__isnull=True,
                                            candidate__procedure__in=visible_procedures(user, "candidate.view"),
                                            candidate__in=Candidate.objects.filter(candidate_scope(user, DAY)))
               .select_related("candidate__procedure").order_by("created_at")[:limit])
    return {"reports": list(reports)}
