"""The candidate's session: started by a POST from the personal-link page, carried by the cookie only.

The Django session holds the candidate id and the id of the token used, nothing else. Every
request re-checks that token, so revoking or reissuing the link (or closing the procedure)
ends sessions already open. Failed token attempts are counted per client IP in the default
cache: shared by all web processes when CACHE_URL is set (Redis), per process otherwise (then
each process counts on its own; still enough to slow guessing of 256-bit tokens to nothing).
The count stops unknown links only: a valid link always opens (portal.views.open_link).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, RejectRequest
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt

from interviewdesk.core.audit import audit_record
from interviewdesk.core.clientaddress import client_address
from interviewdesk.core.middleware import session_lifetime_start
from interviewdesk.procedures.models import Candidate, Procedure

from .models import AccessToken
from .tokenlookup import session_token

SESSION_CANDIDATE = "portal_candidate"
SESSION_TOKEN = "portal_token"

FAILED_LIMIT = getattr(settings, "PORTAL_FAILED_ATTEMPTS_LIMIT", 10)
FAILED_WINDOW = getattr(settings, "PORTAL_FAILED_ATTEMPTS_WINDOW", 15 * 60)  # seconds


def client_ip(request: HttpRequest) -> str:
    """The client's address as core.clientaddress reads it (behind a proxy: the entry our proxy added
    to X-Forwarded-For, not the proxy itself), so one NAT or proxy is not one guesser."""
    return client_address(request) or "unknown"


def _failure_key(request: HttpRequest) -> str:
    return f"portal:failed:{client_ip(request)}"


def too_many_failures(request: HttpRequest) -> bool:
    return cache.get(_failure_key(request), 0) >= FAILED_LIMIT


def record_failure(request: HttpRequest) -> None:
    key = _failure_key(request)
    if not cache.add(key, 1, FAILED_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, FAILED_WINDOW)


@transaction.atomic
def session_start(request: HttpRequest, token: AccessToken) -> None:
    """Log the candidate in: a fresh session key (no fixation), only ids stored. Audited with the
    client address and the link's id (never the token)."""
    request.session.flush()
    session_lifetime_start(request, idle_seconds=settings.PORTAL_SESSION_IDLE_SECONDS)
    request.session[SESSION_CANDIDATE] = token.candidate_id
    request.session[SESSION_TOKEN] = token.pk
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    audit_record(actor_label="candidate", action="access_link.login", obj=token,
                 procedure_id=token.candidate.procedure_id, client_address=client_address(request))


def session_end(request: HttpRequest) -> None:
    request.session.pop(SESSION_CANDIDATE, None)
    request.session.pop(SESSION_TOKEN, None)
    request.session.cycle_key()


def _session_token(request: HttpRequest) -> AccessToken | None:
    token_id = request.session.get(SESSION_TOKEN)
    candidate_id = request.session.get(SESSION_CANDIDATE)
    if not token_id or not candidate_id:
        return None
    token = session_token(token_id, candidate_id)  # with candidate, procedure, readiness: one query
    if token is None:
        return None
    now = timezone.now()
    if (token.expires_at and token.expires_at <= now) or token.candidate.procedure.status == Procedure.Status.CLOSED:
        return None
    return token


def _csrf_rejected(request: HttpRequest) -> str | None:
    """Django's CSRF check minus the Origin/Referer comparison, which no-referrer pages cannot pass.

    With Referrer-Policy: no-referrer, browsers send `Origin: null` and no Referer on a POST, so
    CsrfViewMiddleware would refuse every candidate form. What still protects these POSTs: the
    masked CSRF token must match the CSRF cookie (double submit), both cookies are SameSite=Lax
    (a cross-site POST carries neither), and a real foreign Origin is still refused.
    """
    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
        return None
    if getattr(request, "_dont_enforce_csrf_checks", False):  # Django's test client, as in the middleware
        return None
    origin = request.META.get("HTTP_ORIGIN")
    if origin and origin != "null" and origin != f"{request.scheme}://{request.get_host()}":
        return "foreign origin"
    try:
        # Private but stable since Django 4.0 (so django-stubs leaves it out, hence Any): the
        # token-versus-cookie part of CsrfViewMiddleware.
        middleware: Any = CsrfViewMiddleware
        middleware(lambda r: None)._check_token(request)
    except RejectRequest as exc:
        return exc.reason
    return None


def portal_csrf(view: Callable) -> Callable:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        reason = _csrf_rejected(request)
        if reason:
            return no_referrer(render(request, "portal/form_expired.html", status=403))
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)


def no_referrer(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


class CandidateRequest(HttpRequest):
    """The request a candidate_view receives: the signed-in candidate and the link they came with.
    Only a type for the views' signatures; candidate_view sets both attributes on Django's request."""

    candidate: Candidate
    portal_token: AccessToken


def candidate_view(view: Callable) -> Callable:
    """Load the candidate from the session (or show the "session ended" page), speak their language,
    and never leak the page address to other sites."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = _session_token(request)
        if token is None:
            if request.session.get(SESSION_CANDIDATE):
                session_end(request)
            return no_referrer(render(request, "portal/session_ended.html", status=403))
        candidate = token.candidate
        signed_in = cast(CandidateRequest, request)
        signed_in.candidate = candidate
        signed_in.portal_token = token
        with translation.override(candidate.language):
            request.LANGUAGE_CODE = candidate.language
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response["Content-Language"] = candidate.language
        return no_referrer(response)

    return portal_csrf(wrapper)
