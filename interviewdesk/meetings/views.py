"""The officer's meetings page: the procedure's choice of provider, and how many meetings are ready,
being made or failed, with a retry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from interviewdesk.procedures.permissions import procedure_or_404

from . import selectors, services
from .forms import MeetingSettingsForm
from .models import MeetingSettings


def _page(request, procedure, form, status=200):
    return render(request, "meetings/overview.html", {
        "procedure": procedure, "form": form, "counts": selectors.meeting_counts(procedure),
        "failed": selectors.failed_meetings(procedure)}, status=status)


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
