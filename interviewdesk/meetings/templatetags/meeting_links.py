"""The right join link for the reader: `{{ appointment|candidate_join_url }}` on the candidate's pages,
`{{ appointment|staff_join_url }}` on staff pages, `{{ appointment|meeting_platform }}` for its name."""

from django import template

from interviewdesk.meetings.selectors import links_for

register = template.Library()


@register.filter
def candidate_join_url(appointment) -> str:
    return links_for(appointment).candidate


@register.filter
def staff_join_url(appointment) -> str:
    return links_for(appointment).staff


@register.filter
def meeting_platform(appointment) -> str:
    return links_for(appointment).platform
