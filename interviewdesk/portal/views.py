"""Candidate pages. The personal link lands on `open_link`; everything after it uses the session.

Every candidate view is wrapped in `candidate_view`: the candidate comes from the session,
objects are always looked up *through* that candidate (another candidate's object is a 404),
pages are rendered in the candidate's language and sent with Referrer-Policy: no-referrer.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from interviewdesk.core.phones import display_phone
from interviewdesk.core.workdays import room_request_deadline
from interviewdesk.messaging.ical import appointment_ics
from interviewdesk.procedures.house_rules import house_rules_for, house_rules_link
from interviewdesk.scheduling.models import Appointment

from . import selectors, services
from .forms import EquipmentForm, PhoneForm, ProblemForm, RoomRequestForm, RulesForm
from .models import Readiness, RoomRequest
from .readiness import rules_accepted
from .services.access import access_token_find
from .session import (
    CandidateRequest,
    candidate_view,
    no_referrer,
    portal_csrf,
    record_failure,
    session_end,
    session_start,
    too_many_failures,
)

OVERVIEW_CACHE_SECONDS = 30


@never_cache
@portal_csrf
@require_http_methods(["GET", "POST"])
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button and changes nothing (mail scanners prefetch links); POST logs in.

    The rate limit stops the guesser, not the candidate: a valid link always works, whoever else
    shares the client address. Every failure is counted; once an address has too many, its unknown
    links get 429 (revoked, expired and closed ones still say what happened: they belong to a
    candidate, and only their holder can present them)."""
    found, state = access_token_find(token)
    if found is None or state != "ok":
        limited = too_many_failures(request)
        record_failure(request)
        if limited and state == "unknown":
            return no_referrer(render(request, "portal/link_invalid.html", {"state": "limited"}, status=429))
        procedure = found.candidate.procedure if found else None
        language = found.candidate.language if found else None
        with translation.override(language or translation.get_language()):
            response = render(request, "portal/link_invalid.html", {"state": state, "procedure": procedure},
                              status=404 if state == "unknown" else 410)
        return no_referrer(response)
    if request.method == "POST":
        session_start(request, found)
        return no_referrer(redirect("portal:overview"))
    with translation.override(found.candidate.language):
        response = render(request, "portal/open.html", {"procedure": found.candidate.procedure})
    return no_referrer(response)


@portal_csrf
@require_POST
def log_out(request: HttpRequest) -> HttpResponse:
    session_end(request)
    return no_referrer(render(request, "portal/logged_out.html"))


def _overview_cache_key(request: CandidateRequest) -> str | None:
    """Everything the overview shows, as a key: the candidate's portal version (raised by every portal
    change), the latest change to any of their appointments (a deleted one shows within
    OVERVIEW_CACHE_SECONDS), the day (deadlines turn late
    at midnight) and the CSRF cookie (the cached page holds a token for it). All of it comes with the
    session's token query, so a cached overview costs no query of its own. Staff edits elsewhere
    (contact person, names) show within OVERVIEW_CACHE_SECONDS."""
    csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not csrf_cookie:
        return None
    candidate, token = request.candidate, request.portal_token
    readiness = getattr(candidate, "readiness", None)
    parts = (candidate.pk, candidate.language, timezone.localdate().isoformat(), readiness.version if readiness else 0,
             str(token.appointments_changed), str(token.result_published), str(token.live_changed), csrf_cookie)
    return "portal:overview:" + hashlib.sha256(repr(parts).encode()).hexdigest()


@require_GET
@candidate_view
def overview(request: CandidateRequest) -> HttpResponse:
    """The busiest candidate page: served from the cache while nothing it shows has changed."""
    candidate = request.candidate
    key = None if len(messages.get_messages(request)) else _overview_cache_key(request)
    body = caches["local"].get(key) if key else None
    if body is not None:
        return HttpResponse(body)
    appointments = selectors.candidate_appointments(candidate)
    context = selectors.overview(candidate, appointments)
    context.update({"candidate": candidate, "procedure": candidate.procedure,
                    "phone": display_phone(candidate.phone)})
    context.update(selectors.assessment_and_live(candidate, request.portal_token))
    # A coming interview means it is not over: only without one is the database asked.
    context["interview_over"] = bool(context.get("result")) or (
        selectors.main_interview(appointments) is None and selectors.interview_over(candidate))
    response = render(request, "portal/overview.html", context)
    if key:
        caches["local"].set(key, response.content, OVERVIEW_CACHE_SECONDS)
    return response


def _own_appointment(request: CandidateRequest, pk: int) -> Appointment:
    return get_object_or_404(Appointment, pk=pk, candidate=request.candidate)


@require_POST
@candidate_view
def accept(request: CandidateRequest, pk: int) -> HttpResponse:
    appointment = _own_appointment(request, pk)
    try:
        services.appointment_accept(candidate=request.candidate, appointment=appointment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you: you have accepted the appointment."))
    return redirect("portal:overview")


@require_GET
@candidate_view
def calendar(request: CandidateRequest, pk: int) -> HttpResponse:
    """The appointment as an .ics file (messaging writes it)."""
    appointment = _own_appointment(request, pk)
    body = appointment_ics(appointment, request.candidate.email, "REQUEST")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="appointment-{appointment.pk}.ics"'
    return response


@require_http_methods(["GET", "POST"])
@candidate_view
def phone(request: CandidateRequest) -> HttpResponse:
    candidate = request.candidate
    form = PhoneForm(request.POST or None, current=candidate.phone)
    if request.method == "POST" and form.is_valid():
        services.phone_confirm(candidate=candidate, phone=form.cleaned_data["phone"])
        messages.success(request, _("Thank you: your phone number is confirmed."))
        return redirect("portal:overview")
    return render(request, "portal/phone.html", {"form": form})


@require_http_methods(["GET", "POST"])
@candidate_view
def equipment(request: CandidateRequest) -> HttpResponse:
    candidate = request.candidate
    readiness = Readiness.objects.filter(candidate=candidate).first()
    form = EquipmentForm(request.POST or None, current=readiness.equipment if readiness else None)
    if request.method == "POST" and form.is_valid():
        readiness = services.equipment_declare(candidate=candidate, answers=form.answers())
        if readiness.equipment_missing:
            messages.warning(request, _("You are missing something you need. Ask us for a room with equipment."))
            return redirect("portal:room")
        messages.success(request, _("Thank you: your equipment declaration is saved."))
        return redirect("portal:overview")
    return render(request, "portal/equipment.html", {"form": form})


@require_http_methods(["GET", "POST"])
@candidate_view
def rules(request: CandidateRequest) -> HttpResponse:
    candidate = request.candidate
    readiness = Readiness.objects.filter(candidate=candidate).first()
    procedure = candidate.procedure
    form = RulesForm(request.POST or None, initial={"version": procedure.house_rules_version})
    if request.method == "POST" and form.is_valid():
        try:
            services.rules_acknowledge(candidate=candidate, language=candidate.language,
                                       version=form.cleaned_data["version"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("portal:rules")
        messages.success(request, _("Thank you: you have accepted the rules."))
        return redirect("portal:overview")
    return render(request, "portal/rules.html", {
        "form": form, "readiness": readiness, "procedure": procedure,
        "house_rules": house_rules_for(procedure, candidate.language),
        "house_rules_link": house_rules_link(procedure, candidate.language),
        "accepted": rules_accepted(readiness, procedure.house_rules_version),
    })


@require_http_methods(["GET", "POST"])
@candidate_view
def problem(request: CandidateRequest) -> HttpResponse:
    candidate = request.candidate
    form = ProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.problem_report(candidate=candidate, text=form.cleaned_data["text"])
        messages.success(request, _("Your message has been sent to your contact person."))
        return redirect("portal:overview")
    return render(request, "portal/problem.html", {"form": form, "procedure": candidate.procedure})


@require_http_methods(["GET", "POST"])
@candidate_view
def room(request: CandidateRequest) -> HttpResponse:
    candidate = request.candidate
    interview = selectors.main_interview(selectors.candidate_appointments(candidate))
    deadline = room_request_deadline(interview.starts_at) if interview else None
    late = services.request_is_late(deadline)
    form = RoomRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = services.room_request_create(candidate=candidate, interview=interview, **form.cleaned_data)
        if created.late:
            messages.warning(request, _("Your request is recorded, but it is late: please contact your contact person now."))
        else:
            messages.success(request, _("Your request is recorded. We will let you know which room you can use."))
        return redirect("portal:room")
    requests = RoomRequest.objects.filter(candidate=candidate).select_related("room")
    return render(request, "portal/room.html", {
        "form": form, "deadline": deadline, "late": late, "interview": interview, "requests": requests,
        "procedure": candidate.procedure, "today": timezone.localdate(),
    })
