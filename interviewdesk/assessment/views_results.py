"""Consensus, sign-off, corrections, results, statistics, export and the PDF reports."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from interviewdesk.core.listing import page_of, search_people, search_text
from interviewdesk.live.selectors import session_timeline_for
from interviewdesk.procedures.models import JuryMember
from interviewdesk.procedures.permissions import procedure_or_404
from interviewdesk.scheduling.selectors import jury_seat

from . import charts, export, reports, selectors, services, statistics
from .forms import ConsensusForm
from .models import Result
from .views import interview_for, refuse_unscorable, scale_levels, scoring_view


def _percent(value: Decimal | None) -> str:
    """A final score in the reader's number format; a result not yet computed has none."""
    return "–" if value is None else f"{number_format(value, 2)} %"


def _chair_interview(request: HttpRequest, pk: int, appointment_id: int):
    procedure = procedure_or_404(request.user, pk, "assessment.consensus")
    appointment = interview_for(procedure, appointment_id)
    seat = jury_seat(request.user, appointment)
    if seat is None or seat.role != JuryMember.Role.CHAIR:
        raise Http404
    refuse_unscorable(procedure, appointment)
    return procedure, appointment


@login_required
@scoring_view
def consensus(request: HttpRequest, pk: int, appointment_id: int) -> HttpResponse:
    procedure, appointment = _chair_interview(request, pk, appointment_id)
    context = {"procedure": procedure, "appointment": appointment}
    if not selectors.may_see_all_sheets(request.user, appointment):
        return render(request, "assessment/consensus_wait.html", {**context, "own_missing": True})
    if not services.all_sheets_submitted(appointment):
        return render(request, "assessment/consensus_wait.html", {**context, "own_missing": False})
    if request.method != "POST":  # opening the consensus writes nothing (empty until the chair saves it)
        result, rows = services.result_shown(appointment=appointment, actor=request.user)
        return _consensus_page(request, context, result,
                               ConsensusForm(result=result, levels=scale_levels(procedure), rows=rows))
    with transaction.atomic():  # the chair's first save creates the result it stores
        result = services.result_open(appointment=appointment, actor=request.user)
        form = ConsensusForm(request.POST, result=result, levels=scale_levels(procedure))
        if not form.is_valid():
            return _consensus_page(request, context, selectors.result_detail(result), form)
        try:
            services.result_save(result=result, actor=request.user, levels=form.levels_data())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Consensus saved."))
    return redirect("assessment:consensus", pk=procedure.pk, appointment_id=appointment.pk)


def _consensus_page(request: HttpRequest, context: dict, result: Result, form: ConsensusForm) -> HttpResponse:
    comparison = {row["guide_competency"].pk: row for row in selectors.comparison(context["appointment"])}
    groups = [(rl, fields, comparison.get(rl.guide_competency_id)) for rl, fields in form.bound_groups()]
    return render(request, "assessment/consensus.html", {**context, "result": result, "form": form, "groups": groups})


@login_required
@scoring_view
@require_POST
@transaction.atomic  # a consensus never saved before is created by its sign-off
def sign_off(request: HttpRequest, pk: int, appointment_id: int) -> HttpResponse:
    """First POST (from the consensus form): save what was typed and show what signing off means;
    the confirmation page's POST (confirmed=yes) signs off."""
    procedure, appointment = _chair_interview(request, pk, appointment_id)
    if not (Result.objects.filter(appointment=appointment).exists() or services.all_sheets_submitted(appointment)):
        raise Http404
    result = services.result_open(appointment=appointment, actor=request.user)
    back = redirect("assessment:consensus", pk=procedure.pk, appointment_id=appointment.pk)
    if request.POST.get("confirmed") == "yes":
        try:
            services.result_sign_off(result=result, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Result signed off and locked."))
        return back
    # The sign-off button sits in the consensus form: what the chair typed is saved first, not lost.
    form = ConsensusForm(request.POST, result=result, levels=scale_levels(procedure))
    typed = any(name in request.POST for name in form.fields)
    if typed and not form.is_valid():
        messages.error(request, _("Some values are not valid."))
        return back
    try:
        if typed:
            services.result_save(result=result, actor=request.user, levels=form.levels_data())
        preview = services.result_preview(result=selectors.result_detail(result))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    candidate = appointment.candidate
    outcome = _("passed") if preview.passed else _("not passed")
    return render(request, "confirm.html", {
        "procedure": procedure, "heading": _("Sign off the result"),
        "facts": [(_("Candidate"), candidate.full_name),
                  *[(rl.guide_competency.competency.label(), str(rl.level)) for rl in preview.levels.all()],
                  (_("Final score"), f"{_percent(preview.final_pct)} — {outcome}")],
        "consequences": [
            _("The result of %(name)s is locked: the jury can no longer change it.") % {"name": candidate.full_name},
            _("Only the selection officer can correct it afterwards, with a reason kept in the audit trail."),
            _("The candidate is told nothing yet: the selection officer publishes the results."),
        ],
        "action_url": reverse("assessment:sign_off", kwargs={"pk": procedure.pk, "appointment_id": appointment.pk}),
        "hidden": {}, "button": _("Sign off"),
        "cancel_url": reverse("assessment:consensus", kwargs={"pk": procedure.pk, "appointment_id": appointment.pk}),
    })


def _locked_result(request: HttpRequest, pk: int, appointment_id: int):
    procedure = procedure_or_404(request.user, pk, "assessment.manage")
    appointment = interview_for(procedure, appointment_id)
    result = Result.objects.filter(appointment=appointment).first()
    if result is None or not result.is_locked or appointment.pk in selectors.blinded_ids(request.user, procedure):
        raise Http404
    return procedure, appointment, result


@login_required
def correct(request: HttpRequest, pk: int, appointment_id: int) -> HttpResponse:
    procedure, appointment, result = _locked_result(request, pk, appointment_id)
    form = ConsensusForm(request.POST or None, result=result, levels=scale_levels(procedure), with_reason=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.result_correct(result=result, actor=request.user, reason=form.cleaned_data["reason"],
                                    levels=form.levels_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Result corrected; the correction is in the audit log."))
            return redirect("assessment:results", pk=procedure.pk)
    return render(request, "assessment/correct.html", {
        "procedure": procedure, "appointment": appointment, "result": selectors.result_detail(result),
        "form": form, "groups": form.bound_groups(),
    })


@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "assessment.manage")
    all_results = selectors.visible_results(procedure, request.user).order_by(
        "appointment__candidate__last_name", "appointment__candidate__first_name", "id")
    q, status = search_text(request), request.GET.get("status", "")
    shown = search_people(all_results, q, prefix="appointment__candidate__")
    if status in Result.Status.values:
        shown = shown.filter(status=status)
    results = page_of(request, shown)
    ranked = page_of(request, selectors.ranking(procedure, request.user), param="rpage")
    return render(request, "assessment/results.html", {
        "procedure": procedure, "ranking": ranked, "ranking_rows": selectors.ranking_rows(ranked.object_list),
        "results": results, "q": q, "status": status, "status_choices": Result.Status.choices,
        "to_publish": all_results.filter(status=Result.Status.SIGNED_OFF).count(),
    })


@login_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """GET (or a POST without confirmed=yes): who will be told; the confirmed POST publishes."""
    procedure = procedure_or_404(request.user, pk, "assessment.manage")
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        count = services.results_publish(procedure=procedure, actor=request.user)
        messages.success(request, _("%(count)s result(s) published to the candidates.") % {"count": count})
        return redirect("assessment:results", pk=procedure.pk)
    to_publish = list(selectors.visible_results(procedure, request.user).filter(status=Result.Status.SIGNED_OFF)
                      .order_by("appointment__candidate__last_name", "appointment__candidate__first_name", "id"))
    if not to_publish:
        messages.info(request, _("There is no signed-off result to publish."))
        return redirect("assessment:results", pk=procedure.pk)
    count = len(to_publish)
    return render(request, "confirm.html", {
        "procedure": procedure, "heading": _("Publish the results"),
        "facts": [(r.appointment.candidate.full_name, f"{_percent(r.final_pct)} — "
                   + (_("passed") if r.passed else _("not passed"))) for r in to_publish],
        "consequences": [
            ngettext("%(count)d candidate receives an e-mail now and sees the result and the feedback report on "
                     "their personal page.",
                     "%(count)d candidates receive an e-mail now and see their result and feedback report on "
                     "their personal page.", count) % {"count": count},
            _("A published result cannot be withdrawn. A later correction that changes the score or the outcome "
              "e-mails the candidate again."),
        ],
        "action_url": reverse("assessment:publish", kwargs={"pk": procedure.pk}), "hidden": {},
        "button": ngettext("Publish %(count)d result", "Publish %(count)d results", count) % {"count": count},
        "cancel_url": reverse("assessment:results", kwargs={"pk": procedure.pk}),
    })


@login_required
def statistics_view(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "assessment.manage")
    data = statistics.procedure_statistics(procedure, request.user)
    distribution_chart = charts.bar_chart(
        [(f"{low:.0f}-{high:.0f} %", count) for low, high, count in data["distribution"]],
        title=_("Distribution of final scores"))
    member_chart = charts.bar_chart([(str(m["member"]), m["mean"]) for m in data["members"]],
                                    title=_("Mean level per jury member"), max_value=len(scale_levels(procedure)))
    return render(request, "assessment/statistics.html", {
        "procedure": procedure, **data, "distribution_chart": distribution_chart, "member_chart": member_chart,
    })


@login_required
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "assessment.manage")
    response = HttpResponse(export.results_workbook(procedure, request.user),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="results-{procedure.pk}.xlsx"'
    return response


def _report_result(request: HttpRequest, pk: int, appointment_id: int) -> Result:
    """Staff reach the reports once the result is signed off: the officer, or a member of that jury."""
    procedure = procedure_or_404(request.user, pk, "assessment.manage", "assessment.score")
    appointment = interview_for(procedure, appointment_id)
    result = Result.objects.filter(appointment=appointment).first()
    if result is None or not result.is_locked or not selectors.may_see_all_sheets(request.user, appointment):
        raise Http404
    return result


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def feedback_pdf(request: HttpRequest, pk: int, appointment_id: int) -> HttpResponse:
    result = _report_result(request, pk, appointment_id)
    return _pdf(reports.feedback_pdf(result), f"feedback-{appointment_id}.pdf")


@login_required
def jury_pdf(request: HttpRequest, pk: int, appointment_id: int) -> HttpResponse:
    result = _report_result(request, pk, appointment_id)
    appointment = result.appointment
    # The timeline's labels are translated when read: read them in the report's language.
    with translation.override(appointment.candidate.language):
        timeline = session_timeline_for(request.user, appointment)
    return _pdf(reports.jury_pdf(result, timeline=timeline), f"jury-report-{appointment_id}.pdf")
