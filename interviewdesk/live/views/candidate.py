"""The candidate's side: report a problem to the proctor during a preparation.

The portal shows live/includes/candidate_problem_form.html; the candidate is known from the
portal's web session, never from the URL. The portal stores the candidate's id under
"portal_candidate" and the id of the personal-link token under "portal_token"; a revoked token
ends the session here too. ("portal_candidate_id" was the key first agreed; still read.)
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, RejectRequest
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from interviewdesk.portal.models import AccessToken
from interviewdesk.procedures.models import Candidate

from .. import selectors
from ..forms import ProblemForm
from ..services import candidate_problem_report

PORTAL_CANDIDATE_KEYS = ("portal_candidate", "portal_candidate_id")
PORTAL_TOKEN_KEY = "portal_token"


def portal_candidate(request: HttpRequest) -> Candidate | None:
    candidate_id = next((request.session[k] for k in PORTAL_CANDIDATE_KEYS if request.session.get(k)), None)
    if not candidate_id:
        return None
    token_id = request.session.get(PORTAL_TOKEN_KEY)
    if token_id is not None and not AccessToken.objects.filter(
        pk=token_id, candidate_id=candidate_id, revoked_at__isnull=True
    ).exists():
        return None
    return Candidate.objects.filter(pk=candidate_id).first()


def csrf_refused(request: HttpRequest) -> bool:
    """Django's CSRF check without its Origin comparison, as on the portal's own pages.

    Candidate pages send Referrer-Policy: no-referrer, so a plain form POST from them carries
    `Origin: null` and Django's middleware would refuse it. What still protects the POST: the masked
    token must match the CSRF cookie, both cookies are SameSite=Lax, and a real foreign Origin is
    refused.
    """
    if request.method != "POST" or getattr(request, "_dont_enforce_csrf_checks", False):
        return False
    origin = request.META.get("HTTP_ORIGIN")
    if origin and origin != "null" and origin != f"{request.scheme}://{request.get_host()}":
        return True
    try:
        CsrfViewMiddleware(lambda r: None)._check_token(request)  # private but stable since Django 4.0
    except RejectRequest:
        return True
    return False


@csrf_exempt  # checked by csrf_refused: see there why
@never_cache
@require_http_methods(["GET", "POST"])
def candidate_problem(request: HttpRequest) -> HttpResponse:
    candidate = portal_candidate(request)
    if candidate is None:
        raise Http404
    if csrf_refused(request):
        with translation.override(candidate.language):
            response = HttpResponse(_("This form has expired: reload the page and try again."), status=403,
                                    content_type="text/plain; charset=utf-8")
        response["Referrer-Policy"] = "no-referrer"
        return response
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    with translation.override(candidate.language):
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
        template = "live/includes/candidate_problem_form.html" if request.headers.get("HX-Request") else \
            "live/candidate_problem.html"
        response = render(request, template, context, status=400 if form.errors else 200)
    response["Referrer-Policy"] = "no-referrer"
    return response
