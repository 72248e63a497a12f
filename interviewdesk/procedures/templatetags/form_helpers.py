"""Small template helpers for the set-up forms (grouping fields, re-posting a form, half-day grids)."""

from django import template

register = template.Library()


@register.filter
def split_words(text: str) -> list[str]:
    return text.split()


@register.filter
def field(form, name: str):
    """The bound field `name` of `form`, for laying out fields in groups."""
    return form[name]


@register.filter
def as_list(value) -> list:
    """A bound field's submitted value as a list (several values for a multiple choice)."""
    if value is None:
        return [""]
    return list(value) if isinstance(value, (list, tuple)) else [value]


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
