"""`{% at_risk_list %}`: the dashboard's list of candidates who may not turn up in the next 24 hours."""

from __future__ import annotations

from django import template

from interviewdesk.procedures.permissions import visible_procedures

from ..selectors import at_risk_in

register = template.Library()


DASHBOARD_ROWS = 20


@register.inclusion_tag("messaging/includes/at_risk_list.html", takes_context=True)
def at_risk_list(context) -> dict:
    procedures = visible_procedures(context["request"].user, "mail.view")
    if not procedures.exists():  # proctors and jury members do not follow invitations
        return {"hidden": True}
    rows = at_risk_in(procedures)
    # The first rows only: at a few thousand candidates a whole day can be at risk (issue 13 §4);
    # each procedure's at-risk page lists them all.
    return {"rows": rows[:DASHBOARD_ROWS], "total": len(rows)}
