"""The candidate reports a problem to the proctor during a preparation (the live app handles it).

The personal page shows portal/includes/session_problem_form.html; the candidate comes from the
portal's session (`session.candidate_view`: token re-checked on every
request, the candidate's language, no-referrer, and the portal's CSRF check that works under
Referrer-Policy: no-referrer), never from the URL.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from interviewdesk.live import selectors
from interviewdesk.live.forms import ProblemForm
from interviewdesk.live.services import candidate_problem_report

from .session import CandidateRequest, candidate_view


@never_cache
@require_http_methods(["GET", "POST"])
@candidate_view
def candidate_problem(request: CandidateRequest) -> HttpResponse:
    candidate = request.candidate
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    appointment = selectors.candidate_live_appointment(candidate)
    form = ProblemForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        if appointment is None:
            form.add_error(None, _("Your session is not running: contact the contact person of the procedure."))
        else:
            try:
                candidate_problem_report(appointment=appointment, text=form.cleaned_data["text"])
                sent = True
                form = ProblemForm()
            except ValidationError as exc:
                form.add_error(None, exc)
    context = {"form": form, "sent": sent, "next": back, "running": appointment is not None}
    template = "portal/includes/session_problem_form.html" if request.headers.get("HX-Request") else \
        "portal/session_problem.html"
    return render(request, template, context, status=400 if form.errors else 200)
