"""Declarations of the jury and the new appointment after a stopped or missed session."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from interviewdesk.scheduling.services import SchedulingConflict

from .. import forms, services
from ..models import ConflictDeclaration, State
from .session import _appointment, _submit


@require_POST
@login_required
def declaration_submit(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = _appointment(request, appointment_id, "session.jury")
    return _submit(request, appointment, forms.DeclarationForm, "declaration_form", lambda data: (
        services.declaration_submit(actor=request.user, appointment=appointment, **data)),
        _("Your declaration is recorded."))


@require_POST
@login_required
def declaration_decide(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = get_object_or_404(ConflictDeclaration.objects.select_related("appointment"), pk=pk)
    appointment = _appointment(request, declaration.appointment_id)
    return _submit(request, appointment, forms.DecisionForm, "decision_form", lambda data: (
        services.declaration_decide(actor=request.user, declaration=declaration, **data)),
        _("The decision is recorded."))


RESCHEDULABLE = (State.STOPPED, State.NO_SHOW, State.NEEDS_NEW_APPOINTMENT)


@never_cache
@login_required
def reschedule(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """The selection officer picks a new slot; the candidate gets the updated invitation."""
    appointment = _appointment(request, appointment_id, "appointment.manage")
    session = services.session_shown(appointment)
    if session.state not in RESCHEDULABLE:
        messages.error(request, _("Only a stopped or missed session gets a new appointment."))
        return redirect("live:session", appointment.pk)
    form = forms.RescheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_reschedule(actor=request.user, session=session,
                                        starts_at=form.cleaned_data["starts_at"])
        except SchedulingConflict as exc:
            for message in exc.messages:
                form.add_error("starts_at", message)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The new appointment is planned; the candidate receives the updated "
                                        "invitation."))
            return redirect("live:session", appointment.pk)
    status = 400 if form.errors else 200
    return render(request, "live/reschedule.html", {"appointment": appointment, "session": session, "form": form},
                  status=status)
