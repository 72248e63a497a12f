"""The proctor console: today's sessions, redrawn by htmx polling of a small partial.

Need-to-know: the officer sees the procedure's sessions of the day, a proctor those they
proctor and those without a proctor yet, a chair their jury's (scheduling.visibility).

Each poll carries the version it shows (?v=…); one aggregate query decides whether anything
changed, and an unchanged console gets 204 No Content (htmx keeps the page as it is), so
fifty open consoles polling every second stay light. The version covers all of the day's
sessions, searched or not: a search or a state filter (?q=, ?status=, kept by the poll and the
pager) only narrows the rows that are redrawn.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from interviewdesk.core.listing import page_of, search_key, search_people, search_text
from interviewdesk.procedures.models import Procedure
from interviewdesk.procedures.permissions import procedure_or_404, visible_procedures
from interviewdesk.scheduling import visibility

from .. import selectors
from ..models import State

# With hundreds of sessions a day the console shows one page of them; the poll redraws that page.
CONSOLE_PER_PAGE = 25
# The coming interviews with declarations missing: a week of them can run to a thousand.
DECLARATIONS_PER_PAGE = 20


def _scope(request: HttpRequest, procedure_id: int | None) -> tuple[QuerySet[Procedure], Procedure | None]:
    if procedure_id is None:
        return visible_procedures(request.user, "session.run"), None
    procedure = procedure_or_404(request.user, procedure_id, "session.run")
    return Procedure.objects.filter(pk=procedure.pk), procedure


def _rows_context(request: HttpRequest, procedures: QuerySet[Procedure], procedure: Procedure | None) -> dict:
    # The version first, the rows after: a change committed in between then shows in the rows and
    # makes the next poll redraw again. The other order could pin old rows under a new version.
    scope = visibility.appointment_scope(request.user)
    version = selectors.console_version(procedures, scope=scope)
    q = search_text(request)
    status = request.GET.get("status", "")
    status = status if status in State.values else ""
    shown = search_people(selectors.console_appointments(procedures, scope=scope), q, prefix="candidate__")
    if status:
        shown = selectors.in_live_state(shown, status)
    page = page_of(request, selectors.console_listed(procedures, appointments=shown), per_page=CONSOLE_PER_PAGE,
                   drop=("v",))
    return {"version": version, "rows": selectors.console_rows(procedures, appointments=page.object_list),
            "page": page, "procedure": procedure, "server_now": timezone.now(), "q": q, "status": status,
            "narrowed": bool(q or status),
            "poll_url": _poll_url(procedure, version, search_key(request), status, page.number)}


def _poll_url(procedure: Procedure | None, version: str, search: str, status: str, page: int) -> str:
    """The rows' own address: the version shown, and the search (its key), filter and page to redraw."""
    path = reverse("live:procedure_console_rows", args=[procedure.pk]) if procedure else reverse("live:console_rows")
    query = QueryDict(mutable=True)
    query["v"] = version
    for name, value in (("s", search), ("status", status), ("page", str(page) if page > 1 else "")):
        if value:
            query[name] = value
    return f"{path}?{query.urlencode()}"


@never_cache
@login_required
def console(request: HttpRequest, procedure_id: int | None = None) -> HttpResponse:
    procedures, procedure = _scope(request, procedure_id)
    context = _rows_context(request, procedures, procedure)
    context["today"] = timezone.localdate()
    context["follow_up_counts"] = selectors.follow_up_counts(visible_procedures(request.user, "appointment.manage"))
    ahead = page_of(request, selectors.interviews_missing_declarations(
        procedures, scope=visibility.appointment_scope(request.user)), per_page=DECLARATIONS_PER_PAGE, param="dpage")
    context["declarations_page"] = ahead
    context["declarations_ahead"] = selectors.with_missing_members(ahead.object_list)
    context["status_choices"] = State.choices
    return render(request, "live/console.html", context)


@never_cache
@login_required
def console_rows(request: HttpRequest, procedure_id: int | None = None) -> HttpResponse:
    procedures, procedure = _scope(request, procedure_id)
    if request.GET.get("v") == selectors.console_version(procedures, scope=visibility.appointment_scope(request.user)):
        return HttpResponse(status=204)
    return render(request, "live/includes/console_rows.html", _rows_context(request, procedures, procedure))


@never_cache
@login_required
def follow_ups(request: HttpRequest, procedure_id: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, procedure_id, "appointment.manage")
    items = selectors.open_follow_ups(Procedure.objects.filter(pk=procedure.pk))
    return render(request, "live/follow_ups.html", {"procedure": procedure, "follow_ups": items})
