from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from interviewdesk.procedures.permissions import procedure_or_404

from . import services
from .forms import AppointmentForm, CancelForm
from .models import Appointment


def _appointment_or_404(request: HttpRequest, aid: int) -> Appointment:
    """The appointment if the user may manage its procedure's appointments; 404 otherwise."""
    appointment = get_object_or_404(Appointment.objects.select_related("candidate", "procedure"), pk=aid)
    procedure_or_404(request.user, appointment.procedure_id, "appointment.manage")
    return appointment


def _to_candidate(appointment: Appointment) -> HttpResponse:
    return redirect("candidate_detail", pk=appointment.procedure_id, cid=appointment.candidate_id)


def _render_form(request, form, conflicts, **context) -> HttpResponse:
    return render(request, "scheduling/appointment_form.html", {"form": form, "conflicts": conflicts, **context})


@login_required
def appointment_create(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "appointment.manage")
    initial: dict[str, object] = {"kind": Appointment.Kind.INTERVIEW, "mode": Appointment.Mode.HOME,
               "platform": Appointment.Platform.TEAMS}
    if request.GET.get("candidate", "").isdigit():
        initial["candidate"] = int(request.GET["candidate"])
    if request.GET.get("kind") in Appointment.Kind.values:
        initial["kind"] = request.GET["kind"]
    form = AppointmentForm(request.POST or None, procedure=procedure, initial=initial)
    conflicts: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        appointment = Appointment(
            procedure=procedure, kind=data["kind"], candidate=data["candidate"], jury=data["jury"],
            proctor=data["proctor"], room=data["room"], starts_at=data["starts_at"], ends_at=data["ends_at"],
            mode=data["mode"], platform=data["platform"], join_url=data["join_url"],
        )
        try:
            services.appointment_plan(actor=request.user, appointment=appointment)
        except services.SchedulingConflict as exc:
            conflicts = exc.messages
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Appointment planned."))
            return _to_candidate(appointment)
    return _render_form(request, form, conflicts, procedure=procedure, appointment=None)


@login_required
def appointment_edit(request: HttpRequest, aid: int) -> HttpResponse:
    appointment = _appointment_or_404(request, aid)
    if appointment.status in (Appointment.Status.CANCELLED, Appointment.Status.DONE):
        messages.error(request, _("A %(status)s appointment can no longer be changed.")
                       % {"status": appointment.get_status_display()})
        return _to_candidate(appointment)
    form = AppointmentForm(request.POST or None, procedure=appointment.procedure, appointment=appointment,
                           initial=AppointmentForm.initial_for(appointment))
    conflicts: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.appointment_update(
                actor=request.user, appointment=appointment, reason=data["reason"],
                starts_at=data["starts_at"], ends_at=data["ends_at"], mode=data["mode"], platform=data["platform"],
                join_url=data["join_url"], room_id=data["room"].pk if data["room"] else None,
                jury_id=data["jury"].pk if data["jury"] else None,
                proctor_id=data["proctor"].pk if data["proctor"] else None,
            )
        except services.SchedulingConflict as exc:
            conflicts = exc.messages
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Appointment changed."))
            return _to_candidate(appointment)
    return _render_form(request, form, conflicts, procedure=appointment.procedure, appointment=appointment)


@login_required
def appointment_cancel(request: HttpRequest, aid: int) -> HttpResponse:
    appointment = _appointment_or_404(request, aid)
    if not appointment.is_active:
        messages.error(request, _("A %(status)s appointment cannot be cancelled.")
                       % {"status": appointment.get_status_display()})
        return _to_candidate(appointment)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_cancel(actor=request.user, appointment=appointment, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Appointment cancelled."))
        return _to_candidate(appointment)
    return render(request, "scheduling/appointment_cancel.html",
                  {"form": form, "appointment": appointment, "procedure": appointment.procedure})
