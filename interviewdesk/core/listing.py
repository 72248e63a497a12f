"""Long staff lists: one page at a time, a search box and a status filter (issue 13 §4).

A list of a procedure with 3,000 candidates is never rendered whole: views pass their queryset
through `search_people` and `page_of`, and templates include "includes/list_controls.html" and
"includes/pager.html". Pages keep the other query parameters, so search, filter and order survive
paging. The cost of a page does not grow with the list: one COUNT and one page of rows.
"""

from __future__ import annotations

from typing import cast

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

PER_PAGE = 50
MAX_SEARCH = 100


def search_text(request) -> str:
    return (request.GET.get("q") or "").strip()[:MAX_SEARCH]


def search_people(items: QuerySet, text: str, prefix: str = "") -> QuerySet:
    """Rows whose person (at `prefix`, e.g. "candidate__") matches every word of `text` in the first
    name, last name or e-mail; "#123" finds number 123 (the candidate's reference in URLs and exports)."""
    for word in text.split():
        if word.startswith("#") and word[1:].isdigit():
            items = items.filter(**{f"{prefix}pk" if prefix else "pk": int(word[1:])})
            continue
        items = items.filter(Q(**{f"{prefix}first_name__icontains": word}) | Q(**{f"{prefix}last_name__icontains": word})
                             | Q(**{f"{prefix}email__icontains": word}))
    return items


class LinkedPage(Page):
    """A page that knows its neighbours' addresses (page_of fills them in)."""

    previous_url = ""
    next_url = ""
    param = "page"


class LinkedPaginator(Paginator):
    def _get_page(self, *args, **kwargs) -> LinkedPage:
        return LinkedPage(*args, **kwargs)


def page_of(request, items, *, per_page: int = PER_PAGE, param: str = "page",
            drop: tuple[str, ...] = ()) -> LinkedPage:
    """One page of `items`, with `previous_url`/`next_url` that keep the other query parameters
    (except those in `drop`, e.g. a polling request's version)."""
    page = cast(LinkedPage, LinkedPaginator(items, per_page).get_page(request.GET.get(param)))

    def link(number: int) -> str:
        query = request.GET.copy()
        for name in drop:
            query.pop(name, None)
        query[param] = str(number)
        return "?" + query.urlencode()

    page.previous_url = link(page.previous_page_number()) if page.has_previous() else ""
    page.next_url = link(page.next_page_number()) if page.has_next() else ""
    page.param = param
    return page
