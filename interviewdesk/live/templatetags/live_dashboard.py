"""`{% jury_declarations %}`: the conflict-of-interest declarations a jury member still has to make
(and the declared links waiting for their decision), for the staff dashboard. Nobody should learn
about a missing declaration when the proctor presses "Start part 1" with the candidate waiting."""

from __future__ import annotations

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("live/includes/jury_declarations.html", takes_context=True)
def jury_declarations(context) -> dict:
    user = context["request"].user
    return {"to_make": selectors.declarations_to_make(user), "to_decide": selectors.declarations_to_decide(user)}
