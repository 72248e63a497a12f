"""The officer's meetings page: the procedure's choice of provider, and how many meetings are ready,
being made or failed, with a retry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from interviewdesk.core.listing import page_of
from interviewdesk.procedures.permissions import procedure_or_404
from interviewdesk.scheduling.models import Appointment

from . import selectors, services
from .forms import MeetingOverrideForm, MeetingSettingsForm
from .models import MeetingSettings, Provider

APPOINTMENTS_PER_PAGE = 50


def _page(request, procedure, form, status=200):
    return render(request, "meetings/overview.html", {
        "procedure": procedure, "form": form, "counts": selectors.meeting_counts(procedure),
        "failed": selectors.failed_meetings(procedure),
        "appointments": page_of(request, selectors.coming_appointments(procedure), per_page=APPOINTMENTS_PER_PAGE),
    }, status=status)


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "procedure.manage")
    conf = MeetingSettings.objects.filter(procedure=procedure).first()
    initial = {"provider": conf.provider, "scope": conf.scope, "teams_organizer": conf.teams_organizer,
               "jitsi_base_url": conf.jitsi_base_url, "jitsi_app_id": conf.jitsi_app_id} if conf else {}
    if request.method == "POST":
        form = MeetingSettingsForm(request.POST)
        if form.is_valid():
            services.meeting_settings_save(procedure=procedure, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Meeting settings saved."))
            return redirect("meetings:overview", pk=pk)
        return _page(request, procedure, form, status=400)
    return _page(request, procedure, MeetingSettingsForm(initial=initial))


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "procedure.manage")
    count = services.meetings_retry(procedure=procedure, actor=request.user)
    messages.success(request, _("%(count)s failed meeting(s) are being made again.") % {"count": count})
    return redirect("meetings:overview", pk=pk)


@login_required
def appointment_meeting(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """"Meeting for this appointment": the procedure's choice, a typed link, or Teams or Jitsi."""
    procedure = procedure_or_404(request.user, pk, "procedure.manage")
    appointment = get_object_or_404(Appointment.objects.select_related("candidate", "procedure"), pk=aid,
                                    procedure=procedure, kind__in=selectors.OVERRIDE_KINDS)
    conf = services.meeting_settings_for(procedure)
    link = selectors.meeting_link(appointment)
    current = (Provider.MANUAL.value if link.manual else link.provider) if link else ""
    form = MeetingOverrideForm(request.POST or None, conf=conf, appointment_join_url=appointment.join_url,
                               initial={"provider": current, "join_url": appointment.join_url})
    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        if appointment.status not in Appointment.ACTIVE_STATUSES:
            form.add_error(None, _("A %(status)s appointment can no longer be changed.")
                           % {"status": appointment.get_status_display()})
            valid = False
        if valid:
            data = form.cleaned_data
            services.meeting_override_set(appointment=appointment, actor=request.user, provider=data["provider"],
                                          join_url=data["join_url"], reason=data["reason"])
            messages.success(request, _("The appointment's meeting is saved."))
            return redirect("meetings:overview", pk=pk)
        status = 400
    return render(request, "meetings/appointment.html", {
        "procedure": procedure, "appointment": appointment, "form": form, "link": link}, status=status)
