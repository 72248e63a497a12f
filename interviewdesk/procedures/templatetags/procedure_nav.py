"""The section menu of a procedure: every staff page of every app, filtered by what the user may do."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from interviewdesk.procedures.permissions import can

register = template.Library()

# (label, URL name, capability). One list, so a new page is one line here.
SECTIONS = [
    (_("Overview"), "procedure_detail", "procedure.view"),
    (_("Set-up"), "setup:procedure_edit", "procedure.manage"),
    (_("Profile"), "setup:profile", "procedure.manage"),
    (_("House rules"), "setup:house_rules", "procedure.manage"),
    (_("People"), "setup:people", "procedure.manage"),
    (_("Juries"), "setup:juries", "procedure.manage"),
    (_("Meetings"), "meetings:overview", "procedure.manage"),
    (_("Availability"), "setup:availability", "availability.enter"),
    (_("Readiness"), "portal:readiness", "candidate.view"),
    (_("Mail log"), "messaging:procedure", "mail.view"),
    (_("Planning"), "planning:home", "planning.manage"),
    (_("Send invitations"), "messaging:bulk", "mail.view"),
    (_("At risk"), "messaging:at_risk", "mail.view"),
    (_("Room requests"), "portal:room_requests", "candidate.manage"),
    (_("Connection tests"), "portal:test_slots", "session.run"),
    (_("Adjustments"), "portal:adjustments_staff", "candidate.sensitive"),
    (_("Console"), "live:procedure_console", "session.run"),
    (_("Follow-ups"), "live:follow_ups", "appointment.manage"),
    (_("Interviews to assess"), "assessment:interviews", "assessment.view"),
    (_("Results"), "assessment:results", "assessment.manage"),
    (_("Statistics"), "assessment:statistics", "assessment.manage"),
    (_("Privacy"), "privacy:procedure", "candidate.manage"),
]


CAPABILITY_OF = {name: capability for _label, name, capability in SECTIONS}


@register.simple_tag(takes_context=True)
def may_open(context, url_name: str, procedure) -> bool:
    """Whether the user may open the procedure page `url_name`, by the capability SECTIONS gives
    it: an app's own sub-menu links only what the user can open (a link must never lead to a 404)."""
    return can(context["request"].user, CAPABILITY_OF[url_name], procedure)


@register.inclusion_tag("procedures/includes/sections.html", takes_context=True)
def procedure_sections(context, procedure):
    request = context["request"]
    user = request.user
    current = request.resolver_match.view_name if request.resolver_match else ""
    links = [
        {"label": label, "url": reverse(name, args=[procedure.pk]), "current": name == current}
        for label, name, capability in SECTIONS
        if can(user, capability, procedure)
    ]
    return {"links": links, "procedure": procedure}
