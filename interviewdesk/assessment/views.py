"""Interview guide, the jury member's interview list and score sheet (views stay thin)."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from interviewdesk.core.listing import page_of, search_people, search_text
from interviewdesk.procedures.models import Procedure, ScaleLevel
from interviewdesk.procedures.permissions import can, procedure_or_404
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.selectors import jury_seat

from . import attempts, selectors, services
from .forms import GuideForm, SheetForm
from .models import AssessmentSettings, ScoreSheet


def interview_for(procedure: Procedure, appointment_id: int) -> Appointment:
    return get_object_or_404(Appointment.objects.select_related("candidate", "jury", "procedure__scale"),
                             pk=appointment_id, procedure=procedure, kind=Appointment.Kind.INTERVIEW)


def scale_levels(procedure: Procedure) -> list[ScaleLevel]:
    return list(ScaleLevel.objects.filter(scale_id=procedure.scale_id).order_by("order"))


@login_required
def interview_list(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "assessment.score", "assessment.manage")
    order = request.GET.get("order", "time")
    order = order if order in selectors.INTERVIEW_ORDERINGS else "time"
    q, status = search_text(request), request.GET.get("status", "")
    interviews = search_people(selectors.interviews(procedure, request.user, order), q, prefix="candidate__")
    if status in Appointment.Status.values:
        interviews = interviews.filter(status=status)
    page = page_of(request, interviews)
    return render(request, "assessment/interview_list.html", {
        "procedure": procedure, "rows": list(page.object_list), "page": page, "order": order, "q": q,
        "status": status, "status_choices": Appointment.Status.choices, "keep": [("order", order)],
        "manager": can(request.user, "assessment.manage", procedure),
    })


@login_required
def guide_view(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "assessment.score", "assessment.manage")
    guide = services.guide_current(procedure)
    competencies = guide.competencies.select_related("competency").prefetch_related(
        "competency__dimensions__indicators") if guide else []
    levels = scale_levels(procedure)
    weights = dict(procedure.profile.values_list("competency_id", "weight"))
    rows = [(gc, weights.get(gc.competency_id), [(lv, gc.anchor(lv.order)) for lv in levels]) for gc in competencies]
    return render(request, "assessment/guide.html", {
        "procedure": procedure, "guide": guide, "rows": rows,
        "aggregation": AssessmentSettings.Aggregation(selectors.aggregation_of(procedure)).label,
        "manager": can(request.user, "assessment.manage", procedure),
    })


@login_required
def guide_edit(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "assessment.manage")
    guide, competencies = services.guide_preview(procedure)  # (a GET writes nothing)
    form = GuideForm(request.POST or None, guide=guide, competencies=competencies, levels=scale_levels(procedure),
                     aggregation=selectors.aggregation_of(procedure))
    if request.method == "POST" and form.is_valid():
        saved = services.guide_save(procedure=procedure, actor=request.user,
                                    aggregation=form.cleaned_data["aggregation"],
                                    part1_questions=form.cleaned_data["part1_questions"],
                                    competencies=form.competency_data())
        if saved.version != guide.version:
            messages.success(request, _("Sheets already used version %(old)s, so your edit is version %(new)s.")
                             % {"old": guide.version, "new": saved.version})
        else:
            messages.success(request, _("Interview guide saved."))
        return redirect("assessment:guide", pk=procedure.pk)
    return render(request, "assessment/guide_edit.html", {"procedure": procedure, "guide": guide, "form": form})


class NotScorable(Exception):
    """The interview may not be scored (stopped, missed or cancelled session): shown by `scoring_view`."""

    def __init__(self, procedure: Procedure, appointment: Appointment, reason: str):
        super().__init__(reason)
        self.procedure, self.appointment, self.reason = procedure, appointment, reason


def refuse_unscorable(procedure: Procedure, appointment: Appointment) -> None:
    reason = attempts.scoring_refusal(appointment)
    if reason:
        raise NotScorable(procedure, appointment, reason)


def scoring_view(view=None, *, json: bool = False):
    """Turn NotScorable into a page that says why (409), or a JSON error for the autosave script."""
    if view is None:
        return functools.partial(scoring_view, json=json)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotScorable as refused:
            if json:
                return JsonResponse({"error": refused.reason}, status=409)
            return render(request, "assessment/not_scored.html", {
                "procedure": refused.procedure, "appointment": refused.appointment, "reason": refused.reason,
            }, status=409)
    return wrapper


def _scored_interview(request: HttpRequest, pk: int, appointment_id: int) -> tuple[Procedure, Appointment]:
    procedure = procedure_or_404(request.user, pk, "assessment.score")
    appointment = interview_for(procedure, appointment_id)
    if jury_seat(request.user, appointment) is None:
        raise Http404
    refuse_unscorable(procedure, appointment)
    return procedure, appointment


def _own_sheet(request: HttpRequest, pk: int, appointment_id: int) -> tuple[Procedure, Appointment, ScoreSheet]:
    """For a POST: the member's sheet, created by the first save in the POST's transaction."""
    procedure, appointment = _scored_interview(request, pk, appointment_id)
    return procedure, appointment, services.sheet_open(appointment=appointment, member=request.user)


def _sheet_page(request: HttpRequest, procedure: Procedure, appointment: Appointment, own: ScoreSheet,
                form: SheetForm) -> HttpResponse:
    return render(request, "assessment/sheet.html", {
        "procedure": procedure, "appointment": appointment, "sheet": own, "form": form,
        "levels": scale_levels(procedure), "groups": form.bound_groups(), "guide": own.guide,
        "others_visible": own.is_submitted and selectors.may_see_all_sheets(request.user, appointment),
    })


@login_required
@scoring_view
def sheet(request: HttpRequest, pk: int, appointment_id: int) -> HttpResponse:
    if request.method != "POST":  # opening the sheet writes nothing (an empty sheet until the first save)
        procedure, appointment = _scored_interview(request, pk, appointment_id)
        own, ratings = services.sheet_shown(appointment=appointment, member=request.user)
        return _sheet_page(request, procedure, appointment, own,
                           SheetForm(sheet=own, levels=scale_levels(procedure), ratings=ratings))
    with transaction.atomic():
        procedure, appointment, own = _own_sheet(request, pk, appointment_id)
        own = selectors.sheet_detail(own)
        form = SheetForm(request.POST, sheet=own, levels=scale_levels(procedure))
        if not form.is_valid():
            return _sheet_page(request, procedure, appointment, own, form)
        try:
            services.sheet_save(sheet=own, actor=request.user, part1_notes=form.cleaned_data["part1_notes"],
                                ratings=form.ratings_data())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Draft saved."))
    return redirect("assessment:sheet", pk=procedure.pk, appointment_id=appointment.pk)


@login_required
@scoring_view(json=True)
@require_POST
@transaction.atomic  # the first autosave creates the sheet it saves
def sheet_autosave(request: HttpRequest, pk: int, appointment_id: int) -> HttpResponse:
    procedure, _appointment, own = _own_sheet(request, pk, appointment_id)
    form = SheetForm(request.POST, sheet=own, levels=scale_levels(procedure))
    if not form.is_valid():
        return JsonResponse({"error": _("Some values are not valid.")}, status=400)
    try:
        services.sheet_save(sheet=own, actor=request.user, part1_notes=form.cleaned_data["part1_notes"],
                            ratings=form.ratings_data())
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=409)
    now = timezone.localtime()
    return JsonResponse({"saved": _("Draft saved at %(time)s %(zone)s") % {"time": now.strftime("%H:%M:%S"),
                                                                          "zone": now.tzname()}})


@login_required
@scoring_view
@require_POST
@transaction.atomic  # a sheet submitted without a draft saved first is created here
def sheet_submit(request: HttpRequest, pk: int, appointment_id: int) -> HttpResponse:
    procedure, appointment, own = _own_sheet(request, pk, appointment_id)
    form = SheetForm(request.POST, sheet=own, levels=scale_levels(procedure))
    try:
        if form.is_valid() and not own.is_submitted:
            services.sheet_save(sheet=own, actor=request.user, part1_notes=form.cleaned_data["part1_notes"],
                                ratings=form.ratings_data())
        services.sheet_submit(sheet=own, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your score sheet is submitted and locked."))
    return redirect("assessment:sheet", pk=procedure.pk, appointment_id=appointment.pk)


@login_required
def all_sheets(request: HttpRequest, pk: int, appointment_id: int) -> HttpResponse:
    """Every member's sheet of one interview: only once the viewer's own sheet is in (independence)."""
    procedure = procedure_or_404(request.user, pk, "assessment.score", "assessment.manage")
    appointment = interview_for(procedure, appointment_id)
    if not selectors.may_see_all_sheets(request.user, appointment):
        raise Http404
    sheets = [selectors.sheet_detail(s) for s in selectors.submitted_sheets(appointment)]
    return render(request, "assessment/all_sheets.html",
                  {"procedure": procedure, "appointment": appointment, "sheets": sheets})
