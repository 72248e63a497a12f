"""One session's page: the facts, the clock and the actions the viewer may take in its state."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from interviewdesk.core.text import LazyText
from interviewdesk.procedures.permissions import can, require
from interviewdesk.scheduling import visibility
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.selectors import jury_seat

from .. import forms, selectors, services
from ..models import LIVE_STATES, ConflictDeclaration, IdentityCheck, ProblemReport, State
from ..services import buttons
from ..services.conflicts import DECLARABLE_STATES

# The words on the session page's buttons; which moves exist and when they are allowed is the
# machine's (services.buttons.BUTTON_MOVES).
BUTTONS: dict[str, tuple[LazyText, str]] = {
    "checkin": (gettext_lazy("The candidate is in the lobby"), "primary"),
    "no_show": (gettext_lazy("Mark as absent (no show)"), ""),
    "preparation": (gettext_lazy("Start the preparation"), "primary"),
    "part_1": (gettext_lazy("Start part 1 (CV and motivation)"), "primary"),
    "part_2": (gettext_lazy("Start part 2 (competencies)"), "primary"),
    "close": (gettext_lazy("Close the session"), "primary"),
    "new_appointment_needed": (gettext_lazy("A new appointment is needed"), ""),
}


def _appointment(request: HttpRequest, appointment_id: int, capability: str = "session.view",
                 need: str = visibility.NAME) -> Appointment:
    """The session if the user's role may `capability` in its procedure and the session is theirs
    (need-to-know: their jury's, the sessions they proctor, or any for the officer); 404 otherwise.
    What the user may read of the candidate is on `appointment.needs`."""
    appointment = get_object_or_404(
        Appointment.objects.select_related("procedure", "candidate", "jury", "proctor"),
        pk=appointment_id, kind__in=selectors.CONSOLE_KINDS,
    )
    require(request.user, capability, appointment.procedure)
    appointment.needs = visibility.require_appointment(request.user, appointment, need)
    return appointment


def _offered_actions(user, appointment: Appointment, session) -> tuple[list[dict], list[dict]]:
    """The moves the machine would accept now, and those that wait, with the machine's reason."""
    offered, waiting = buttons.session_moves_now(user, session, appointment.procedure)
    return ([{"name": name, "label": BUTTONS[name][0], "style": BUTTONS[name][1]} for name in offered],
            [{"name": name, "label": BUTTONS[name][0], "reason": " ".join(refusal.messages)}
             for name, refusal in waiting])


def _context(request: HttpRequest, appointment: Appointment, **bound) -> dict:
    user = request.user
    session = services.session_shown(appointment)
    procedure = appointment.procedure
    can_run = can(user, "session.run", procedure)
    seat = jury_seat(user, appointment)
    declarations = list(ConflictDeclaration.objects.filter(appointment=appointment).select_related("member"))
    declared = {d.member_id for d in declarations}
    if visibility.DECLARATIONS not in appointment.needs:
        declarations = []  # the jury's and the officer's business (need-to-know), not the proctor's
    disconnection = services.machine.open_disconnection(session)
    begun = session.pk is not None  # before the first move the attempt is shown, not yet stored
    phases = list(session.phases.all()) if begun else []
    actions, waiting_actions = _offered_actions(user, appointment, session)
    return {
        "appointment": appointment, "session": session, "procedure": procedure, "candidate": appointment.candidate,
        "can_run": can_run, "can_manage": can(user, "appointment.manage", procedure),
        "is_live": session.state in LIVE_STATES,
        "actions": actions, "waiting_actions": waiting_actions,
        "can_handle_connection": services.machine.handles_connection(user, appointment),
        "identity_check": IdentityCheck.objects.filter(session=session).first() if begun else None,
        "phases": phases,
        "preparation_ends_at": selectors.preparation_end(session, phases, selectors.preparation_minutes(appointment)),
        "disconnection": disconnection,
        "calls": list(disconnection.calls.select_related("called_by")) if disconnection else [],
        "call_outcomes": services.protocol.CallAttempt.Outcome.choices,
        "problems": list(session.problem_reports.filter(acknowledged_at__isnull=True))
        if begun and visibility.DAY in appointment.needs else [],
        "sees": visibility.sees(appointment.needs),
        "incidents": list(selectors.incidents_of(appointment)),
        "jury": list(appointment.jury.members.select_related("user")) if appointment.jury is not None else [],
        "declarations": [(d, services.may_decide(user, d)) for d in declarations],
        "may_declare": seat is not None and user.pk not in declared and session.state in DECLARABLE_STATES,
        "timeline": selectors.session_timeline_for(user, appointment),
        "version": selectors.session_version(session),
        "server_now": timezone.now(),
        "identity_form": bound.get("identity_form") or forms.IdentityForm(),
        "rules_form": bound.get("rules_form") or forms.RulesForm(),
        "incident_form": bound.get("incident_form") or forms.IncidentForm(),
        "stop_form": bound.get("stop_form") or forms.StopForm(),
        "declaration_form": bound.get("declaration_form") or forms.DeclarationForm(),
        "decision_form": bound.get("decision_form") or forms.DecisionForm(),
        "extra_time_form": bound.get("extra_time_form") or forms.ExtraTimeForm(
            initial={"minutes": session.extra_minutes}),
    }


@never_cache
@login_required
def session_page(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = _appointment(request, appointment_id)
    return render(request, "live/session.html", _context(request, appointment))


@never_cache
@login_required
def session_status(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """The polled part of the session page: state, clock, alerts, timeline."""
    appointment = _appointment(request, appointment_id)
    session = services.session_shown(appointment)
    if request.GET.get("v") == selectors.session_version(session):
        return HttpResponse(status=204)
    context = _context(request, appointment)
    context["page_state"] = request.GET.get("s", session.state)
    return render(request, "live/includes/session_status.html", context)


def _done(request: HttpRequest, appointment: Appointment, action: Callable[[], object], success: str) -> HttpResponse:
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("live:session", appointment.pk)


def _invalid(request: HttpRequest, appointment: Appointment, **bound) -> HttpResponse:
    return render(request, "live/session.html", _context(request, appointment, **bound), status=400)


def _submit(request: HttpRequest, appointment: Appointment, form_class, form_name: str,
            run: Callable[[dict], object], success: str) -> HttpResponse:
    """A form on the session page: invalid → the page again with the errors under `form_name`;
    valid → `run(cleaned_data)` calls the service, and the page says how it went."""
    form = form_class(request.POST)
    if not form.is_valid():
        return _invalid(request, appointment, **{form_name: form})
    return _done(request, appointment, lambda: run(form.cleaned_data), success)


@require_POST
@login_required
def session_action(request: HttpRequest, appointment_id: int, action: str) -> HttpResponse:
    move = buttons.BUTTON_MOVES.get(action)
    if move is None:
        raise Http404
    appointment = _appointment(request, appointment_id, move.capability)
    session = services.session_shown(appointment)
    if action in ("part_1", "close") and request.POST.get("confirmed") != "yes":
        left = _preparation_left(appointment, session)
        if left:
            return _confirm_end_of_preparation(request, appointment, action, left)
    return _done(request, appointment, lambda: buttons.session_move(actor=request.user, session=session, name=action),
                 _("The session is now “%(state)s”.") % {"state": State(move.to).label})


def _preparation_left(appointment: Appointment, session) -> int:
    """Whole minutes of preparation time the candidate still has (0 when none is running or it is up)."""
    if session.state != State.PREPARATION:
        return 0
    ends = selectors.preparation_end(session, list(session.phases.all()), selectors.preparation_minutes(appointment))
    if ends is None or ends <= timezone.now():
        return 0
    return -(-int((ends - timezone.now()).total_seconds()) // 60)


def _confirm_end_of_preparation(request: HttpRequest, appointment: Appointment, action: str,
                                minutes: int) -> HttpResponse:
    name = appointment.candidate.full_name
    return render(request, "confirm.html", {
        "heading": _("End the preparation early?"),
        "consequences": [
            ngettext("%(name)s still has %(minutes)d minute of preparation time (extra time included).",
                     "%(name)s still has %(minutes)d minutes of preparation time (extra time included).", minutes)
            % {"name": name, "minutes": minutes},
            _("Ending it now takes that time away: do so only when the candidate says they are ready."),
            BUTTONS[action][0],
        ],
        "action_url": reverse("live:session_action", args=[appointment.pk, action]), "hidden": {},
        "button": _("End the preparation now"), "cancel_url": reverse("live:session", args=[appointment.pk]),
    })


@require_POST
@login_required
def session_identity(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = _appointment(request, appointment_id, "session.run", visibility.BIRTH_DATE)
    return _submit(request, appointment, forms.IdentityForm, "identity_form", lambda data: (
        services.session_identity_record(actor=request.user, session=services.session_shown(appointment), **data)),
        _("The identity check is recorded."))


@require_POST
@login_required
def session_rules(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = _appointment(request, appointment_id, "session.run")
    return _submit(request, appointment, forms.RulesForm, "rules_form", lambda data: (
        services.session_rules_confirm(actor=request.user, session=services.session_shown(appointment), **data)),
        _("The rules are confirmed."))


@require_POST
@login_required
def session_stop(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = _appointment(request, appointment_id, "session.run")
    return _submit(request, appointment, forms.StopForm, "stop_form", lambda data: services.session_stop(
        actor=request.user, session=services.session_shown(appointment), reason=data["reason"]),
        _("The session is stopped."))


@require_POST
@login_required
def session_incident(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = _appointment(request, appointment_id)
    return _submit(request, appointment, forms.IncidentForm, "incident_form", lambda data: services.incident_log(
        actor=request.user, session=services.session_shown(appointment), **data),
        _("The incident is logged."))


@require_POST
@login_required
def session_call(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = _appointment(request, appointment_id, "session.run")
    return _done(request, appointment, lambda: services.disconnection_call_log(
        actor=request.user, session=services.session_shown(appointment), outcome=request.POST.get("outcome", "")),
        _("The call is logged."))


@require_POST
@login_required
def session_reconnect(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = _appointment(request, appointment_id, "session.run")
    return _done(request, appointment, lambda: services.disconnection_reconnect(
        actor=request.user, session=services.session_shown(appointment)),
        _("Reconnected: the phase resumes and the time lost is added to it."))


@require_POST
@login_required
def session_extra_time(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = _appointment(request, appointment_id, "appointment.manage")
    return _submit(request, appointment, forms.ExtraTimeForm, "extra_time_form", lambda data: (
        services.session_extra_time_set(actor=request.user, session=services.session_shown(appointment),
                                        minutes=data["minutes"])),
        _("The extra time is recorded."))


@require_POST
@login_required
def problem_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(ProblemReport.objects.select_related("session__appointment"), pk=pk)
    appointment = _appointment(request, report.session.appointment_id, "session.run", visibility.DAY)
    return _done(request, appointment, lambda: services.problem_acknowledge(actor=request.user, report=report),
                 _("The problem report is marked as seen."))
