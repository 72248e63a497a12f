"""The proctor console: today's sessions, redrawn by htmx polling of a small partial.

Need-to-know: the officer sees the procedure's sessions of the day, a proctor those they
proctor and those without a proctor yet, a chair their jury's (scheduling.visibility).

Each poll carries the version it shows (?v=…); one aggregate query decides whether anything
changed, and an unchanged console gets 204 No Content (htmx keeps the page as it is), so
fifty open consoles polling every second stay light.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from interviewdesk.core.listing import page_of
from interviewdesk.procedures.models import Procedure
from interviewdesk.procedures.permissions import procedure_or_404, visible_procedures
from interviewdesk.scheduling import visibility

from .. import selectors

# With hundreds of sessions a day the console shows one page of them; the poll redraws that page.
CONSOLE_PER_PAGE = 25


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
    page = page_of(request, selectors.console_listed(procedures, scope=scope), per_page=CONSOLE_PER_PAGE, drop=("v",))
    return {"version": version, "rows": selectors.console_rows(procedures, appointments=page.object_list),
            "page": page, "procedure": procedure, "server_now": timezone.now()}


@never_cache
@login_required
def console(request: HttpRequest, procedure_id: int | None = None) -> HttpResponse:
    procedures, procedure = _scope(request, procedure_id)
    context = _rows_context(request, procedures, procedure)
    context["today"] = timezone.localdate()
    context["follow_up_counts"] = selectors.follow_up_counts(visible_procedures(request.user, "appointment.manage"))
    context["declarations_ahead"] = selectors.missing_declarations_ahead(
        procedures, scope=visibility.appointment_scope(request.user))
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
