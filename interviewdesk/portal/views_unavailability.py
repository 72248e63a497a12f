"""The candidate says which half-days of the planning window they cannot come, and which they would
rather come (before the deadline)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from interviewdesk.procedures.availability import grid_rows, slot_key, working_days
from interviewdesk.procedures.models import CandidateUnavailability

from .services.unavailability import candidate_unavailability_set, unavailability_open
from .session import CandidateRequest, candidate_view


@require_http_methods(["GET", "POST"])
@candidate_view
def unavailability(request: CandidateRequest) -> HttpResponse:
    candidate = request.candidate
    procedure = candidate.procedure
    rows = grid_rows(working_days(procedure.planning_days()))
    current = {slot_key(row.date, row.part): row.reason for row in candidate.unavailability.all()}
    preferred = {slot_key(row.date, row.part) for row in candidate.preferences.all()}
    is_open = unavailability_open(procedure)
    if request.method == "POST" and is_open:
        answers = {(day, part): request.POST[key] for day, slots in rows for part, key in slots
                   if request.POST.get(key)}
        wished = {(day, part) for day, slots in rows for part, key in slots if request.POST.get(f"pref-{key}")}
        try:
            candidate_unavailability_set(candidate=candidate, answers=answers, preferred=wished)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            # What they chose stays on the page, so they correct it instead of starting again.
            current = {key: request.POST.get(key, "") for _day, slots in rows for _part, key in slots}
            preferred = {slot_key(day, part) for day, part in wished}
        else:
            messages.success(request, _("Thank you: we keep these half-days free for you when we plan."))
            return redirect("portal:unavailability")
    return render(request, "portal/unavailability.html", {
        "procedure": procedure, "rows": rows, "current": current, "preferred": preferred, "is_open": is_open,
        "reasons": CandidateUnavailability.Reason.choices,
    })
