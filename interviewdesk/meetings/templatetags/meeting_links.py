"""The right join link for the reader: `{{ appointment|candidate_join_url }}` on the candidate's pages,
`{{ appointment|staff_join_url }}` on staff pages, `{{ appointment|meeting_platform }}` for its name.

On staff lists, `{% meeting_problems appointments as problems %}` (one query) and
`{{ problems|meeting_problem_of:appointment }}` say "meeting failed: <reason>" or "meeting being made";
`{{ appointment|meeting_problem }}` does the same for one appointment.
`{{ appointment|meeting_choosable }}`: whether "Meeting for this appointment" applies to it (the
officer's link on the appointment's pages)."""

from django import template

from interviewdesk.meetings.selectors import OVERRIDE_KINDS, links_for
from interviewdesk.meetings.selectors import meeting_problems as problems_of
from interviewdesk.meetings.selectors import meeting_state as state_of

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


@register.simple_tag
def meeting_problems(appointments) -> dict[int, str]:
    return problems_of([a.pk for a in appointments])


@register.filter
def meeting_problem_of(problems, appointment) -> str:
    return (problems or {}).get(appointment.pk, "")


@register.filter
def meeting_problem(appointment) -> str:
    return problems_of([appointment.pk]).get(appointment.pk, "")


@register.filter
def meeting_state(appointment) -> str:
    return state_of(appointment)


@register.filter
def meeting_choosable(appointment) -> bool:
    return appointment.kind in OVERRIDE_KINDS and appointment.is_active
