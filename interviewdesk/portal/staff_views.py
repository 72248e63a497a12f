"""Staff pages about candidates' readiness: readiness table, room requests, failed checks, problems, links."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from interviewdesk.core.listing import page_of, search_people, search_text
from interviewdesk.core.spreadsheets import workbook_bytes
from interviewdesk.procedures.models import Candidate, Room
from interviewdesk.procedures.permissions import can, procedure_or_404
from interviewdesk.scheduling import visibility
from interviewdesk.scheduling.models import Appointment

from . import services, staff_selectors
from .models import ProblemReport, RoomRequest
from .services.access import access_link_revoke

# A jury member does not read whether a candidate asked for a room or an adjustment.
JURY_HIDDEN_COLUMNS = frozenset({"room", "adjustments"})


def _hidden_columns(user, procedure) -> frozenset[str]:
    return frozenset() if visibility.ADJUSTMENTS in visibility.list_needs(user, procedure) else JURY_HIDDEN_COLUMNS


@login_required
@require_GET
def readiness(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "candidate.view")
    only_not_ready = request.GET.get("filter") == "not_ready"
    q = search_text(request)
    # Need-to-know: a jury member lists their jury's candidates, a proctor those of their sessions.
    visible = visibility.candidate_filter(request.user, procedure)
    candidates = search_people(staff_selectors.readiness_candidates(procedure).filter(visible), q)
    if only_not_ready:  # "ready" is decided per row in Python: page the rows
        page = page_of(request, staff_selectors.readiness_rows(procedure, True, candidates))
        rows = page.object_list
    else:  # page the candidates first: only one page of them is read and computed
        page = page_of(request, candidates)
        rows = staff_selectors.readiness_rows(procedure, False, page.object_list)
    hidden = _hidden_columns(request.user, procedure)
    for row in rows:
        row.cells = [cell for cell in row.cells if cell[0] not in hidden]
    return render(request, "portal/staff/readiness.html", {
        "procedure": procedure,
        "columns": [(code, label) for code, label in staff_selectors.COLUMNS if code not in hidden],
        "rows": rows,
        "page": page,
        "q": q,
        "keep": [("filter", "not_ready")] if only_not_ready else [],
        "only_not_ready": only_not_ready,
        "open_problems": staff_selectors.open_problems(procedure).filter(
            candidate__in=Candidate.objects.filter(visibility.candidate_scope(request.user, visibility.DAY))),
        "can_manage": can(request.user, "candidate.manage", procedure),
    })


@login_required
@require_GET
def readiness_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "candidate.view")
    only_not_ready = request.GET.get("filter") == "not_ready"
    # The same rows and columns as the page: the officer's file holds the whole procedure, a jury
    # member's or proctor's only their own candidates (need-to-know).
    visible = visibility.candidate_filter(request.user, procedure)
    hidden = _hidden_columns(request.user, procedure)
    header = [_("Last name"), _("First name"), _("Interview"),
              *[str(label) for code, label in staff_selectors.COLUMNS if code not in hidden], _("Ready")]
    rows = []
    for row in staff_selectors.readiness_rows(
            procedure, only_not_ready, staff_selectors.readiness_candidates(procedure).filter(visible)):
        row.cells = [cell for cell in row.cells if cell[0] not in hidden]
        start = timezone.localtime(row.interview.starts_at).strftime("%Y-%m-%d %H:%M %Z") if row.interview else ""
        rows.append([row.candidate.last_name, row.candidate.first_name, start,
                     *[str(cell[2]) for cell in row.cells], _("yes") if row.ready else _("no")])
    response = HttpResponse(workbook_bytes([(_("Readiness"), header, rows)]),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="readiness-{procedure.reference}.xlsx"'
    return response


class RoomDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"),
                                 choices=[("approve", gettext_lazy("Approve and assign the room")),
                                          ("refuse", gettext_lazy("Refuse"))])
    room = forms.ModelChoiceField(label=gettext_lazy("Room"), queryset=Room.objects.all(), required=False)
    appointment = forms.ModelChoiceField(label=gettext_lazy("Appointment"), queryset=Appointment.objects.none(),
                                         required=False)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=1000)

    def __init__(self, *args, candidate: Candidate, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["appointment"]).queryset = Appointment.objects.filter(
            candidate=candidate, status__in=Appointment.ACTIVE_STATUSES
        ).exclude(kind=Appointment.Kind.CONNECTION_TEST)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "approve" and not (data.get("room") and data.get("appointment")):
            raise ValidationError(_("Choose the room and the appointment."))
        return data


@login_required
@require_GET
def room_requests(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "candidate.view")
    # Need-to-know: the reasons of room requests are the officer's to read; failed device checks
    # also the proctor's of those candidates' sessions; a jury member's list is empty.
    records = Candidate.objects.filter(visibility.candidate_scope(request.user, visibility.RECORDS))
    day = Candidate.objects.filter(visibility.candidate_scope(request.user, visibility.DAY))
    items = list(staff_selectors.room_requests(procedure).filter(candidate__in=records))
    return render(request, "portal/staff/room_requests.html", {
        "procedure": procedure, "requests": items, "rooms": list(Room.objects.all()),
        "can_decide": can(request.user, "appointment.manage", procedure),
        "failed_checks": staff_selectors.failed_device_checks(procedure).filter(candidate__in=day),
    })


@login_required
@require_POST
def room_request_decide(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "appointment.manage")
    room_request = get_object_or_404(RoomRequest, pk=request_pk, candidate__procedure=procedure)
    form = RoomDecisionForm(request.POST, candidate=room_request.candidate)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("portal:room_requests", pk=procedure.pk)
    data = form.cleaned_data
    try:
        if data["decision"] == "approve":
            services.room_request_approve(actor=request.user, request=room_request, room=data["room"],
                                          appointment=data["appointment"], note=data["note"])
            messages.success(request, _("Room assigned; the candidate receives an updated invitation."))
        else:
            services.room_request_refuse(actor=request.user, request=room_request, note=data["note"])
            messages.success(request, _("Request refused."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("portal:room_requests", pk=procedure.pk)


@login_required
@require_POST
def problem_resolve(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "candidate.manage")
    report = get_object_or_404(ProblemReport, pk=report_pk, candidate__procedure=procedure)
    services.problem_resolve(actor=request.user, report=report)
    messages.success(request, _("Problem marked as solved."))
    return redirect("portal:readiness", pk=procedure.pk)


@login_required
def candidate_link(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    """Revoke the personal link, or issue a new one and mail it to the candidate — after a
    confirmation page (GET, or a POST without confirmed=yes, changes nothing)."""
    procedure = procedure_or_404(request.user, pk, "candidate.manage")
    candidate = get_object_or_404(Candidate, pk=candidate_pk, procedure=procedure)
    data = request.POST if request.method == "POST" else request.GET
    revoke = data.get("action") == "revoke"
    if request.method != "POST" or data.get("confirmed") != "yes":
        return _confirm_link_change(request, procedure, candidate, revoke)
    if revoke:
        access_link_revoke(candidate=candidate, actor=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("The personal link is switched off."))
    else:
        services.access_link_reissue(candidate=candidate, actor=request.user)
        messages.success(request, _("A new personal link was sent to the candidate; the old one no longer works."))
    return redirect("portal:readiness", pk=procedure.pk)


def _confirm_link_change(request: HttpRequest, procedure, candidate: Candidate, revoke: bool) -> HttpResponse:
    names = {"name": candidate.full_name, "email": candidate.email}
    if revoke:
        heading, button = _("Switch off the personal link"), _("Switch off")
        consequences = [
            _("The personal link of %(name)s stops working at once, printed or e-mailed.") % names,
            _("They cannot open their page until you send a new link. No e-mail is sent.")]
    else:
        heading, button = _("Send a new personal link"), _("Send a new link")
        consequences = [
            _("The link %(name)s has now stops working at once, printed or e-mailed.") % names,
            _("A new personal link is e-mailed to %(email)s, in the candidate's language.") % names]
    return render(request, "confirm.html", {
        "procedure": procedure, "heading": heading, "facts": [(_("Candidate"), candidate.full_name)],
        "consequences": consequences,
        "action_url": reverse("portal:candidate_link", args=[procedure.pk, candidate.pk]),
        "hidden": {"action": "revoke" if revoke else "reissue"}, "button": button,
        "cancel_url": reverse("portal:readiness", args=[procedure.pk]),
    })
