"""Long staff lists: one page at a time, a search box and a status filter (issue 13 §4).

A list of a procedure with 3,000 candidates is never rendered whole: views pass their queryset
through `search_people` and `page_of`, and templates include "includes/list_controls.html" and
"includes/pager.html". Pages keep the other query parameters, so search, filter and order survive
paging. The cost of a page does not grow with the list: one COUNT and one page of rows.
"""

from __future__ import annotations

import secrets
from typing import cast

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponseRedirect, QueryDict

PER_PAGE = 50
MAX_SEARCH = 100


# A search names a person, so it never travels in an address (they end up in access logs, proxies
# and browser history): the lists' search form is POSTed with SEARCH_FORM, SearchInSessionMiddleware
# keeps the text in the session and redirects to the list with only an opaque key (?s=…).
SEARCH_FORM = "list_search"
SEARCH_KEY = "s"
SESSION_SEARCHES = "list_searches"
KEPT_SEARCHES = 20  # per session, the latest ones


def search_text(request) -> str:
    """The list's search: the text kept under the address's key (`?s=`); a `?q=` typed by hand or
    bookmarked before still works."""
    key = request.GET.get(SEARCH_KEY)
    if key:
        return str(request.session.get(SESSION_SEARCHES, {}).get(key, ""))[:MAX_SEARCH]
    return (request.GET.get("q") or "").strip()[:MAX_SEARCH]


def search_key(request) -> str:
    """The address's search key (to put in another address of the same list, e.g. a poll)."""
    key = request.GET.get(SEARCH_KEY, "")
    return key if key in request.session.get(SESSION_SEARCHES, {}) else ""


def search_keep(request, text: str) -> str:
    """Keep `text` in the session; its key. The same text keeps its key (a repeated search)."""
    searches: dict[str, str] = dict(request.session.get(SESSION_SEARCHES, {}))
    key = next((k for k, v in searches.items() if v == text), None)
    if key is None:
        key = secrets.token_urlsafe(6)
        searches[key] = text
        searches = dict(list(searches.items())[-KEPT_SEARCHES:])
        request.session[SESSION_SEARCHES] = searches
    return key


class SearchInSessionMiddleware:
    """A list's search form (POST, with SEARCH_FORM): the text into the session, then a redirect
    to the same list with the other fields and the search's key. After the CSRF check (process_view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or SEARCH_FORM not in request.POST:
            return None
        query = QueryDict(mutable=True)
        for name, values in request.POST.lists():
            if name in ("csrfmiddlewaretoken", SEARCH_FORM, "q", SEARCH_KEY, "page"):
                continue
            query.setlist(name, [v for v in values if v])
        text = (request.POST.get("q") or "").strip()[:MAX_SEARCH]
        if text:
            query[SEARCH_KEY] = search_keep(request, text)
        return HttpResponseRedirect(request.path + ("?" + query.urlencode() if query else ""), status=303)


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
