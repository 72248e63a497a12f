"""`{% portal_open_problems %}`: open problem reports of the user's procedures, for the staff dashboard."""

from __future__ import annotations

from django import template

from interviewdesk.procedures.permissions import visible_procedures

from ..models import ProblemReport

register = template.Library()


@register.inclusion_tag("portal/includes/open_problems.html", takes_context=True)
def portal_open_problems(context, limit: int = 20) -> dict:
    user = context["request"].user
    reports = (ProblemReport.objects.filter(resolved_at__isnull=True,
                                            candidate__procedure__in=visible_procedures(user, "candidate.view"))
               .select_related("candidate__procedure").order_by("created_at")[:limit])
    return {"reports": list(reports)}
