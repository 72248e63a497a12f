"""The officer's privacy pages: a procedure's retention, erasing one candidate, a candidate's data export."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from interviewdesk.assessment.reports import render_pdf
from interviewdesk.procedures.models import Candidate
from interviewdesk.procedures.permissions import procedure_or_404

from . import services
from .export import candidate_export, export_json
from .models import CandidateErasure
from .services.erasure import erasure_plan, step_labels
from .services.retention import pending_candidate_ids, retention_state


class RetentionForm(forms.Form):
    months = forms.IntegerField(label=gettext_lazy("Keep candidates' personal data for (months after closing)"),
                                min_value=1, max_value=120)


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the erasure"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept in the audit trail: no personal data, e.g. \"request by e-mail of 3 December\"."))


@login_required
def procedure_privacy(request: HttpRequest, pk: int) -> HttpResponse:
    """Retention of the procedure: the period (editable), when erasure is due, what it will erase."""
    procedure = procedure_or_404(request.user, pk, "candidate.manage")
    state = retention_state(procedure)
    form = RetentionForm(request.POST or None, initial={"months": state.months})
    if request.method == "POST" and form.is_valid():
        try:
            services.retention_policy_set(actor=request.user, procedure=procedure, months=form.cleaned_data["months"])
        except ValidationError as exc:
            form.add_error("months", exc)
        else:
            messages.success(request, _("The retention period is saved."))
            return redirect("privacy:procedure", pk=procedure.pk)
    pending = pending_candidate_ids(procedure)
    labels = step_labels()
    plan = [(labels[key], count) for key, count in erasure_plan(candidate_ids=pending).items() if count]
    return render(request, "privacy/procedure.html", {
        "procedure": procedure, "state": state, "form": form, "pending": len(pending), "plan": plan,
        "erased": CandidateErasure.objects.filter(procedure=procedure).count(),
    }, status=400 if form.errors else 200)


@login_required
def candidate_erase(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "candidate.manage")
    candidate = get_object_or_404(Candidate, pk=cid, procedure=procedure)
    detail = reverse("candidate_detail", args=[procedure.pk, candidate.pk])
    refusal = services.erasure_refusal(candidate)
    if refusal:
        messages.error(request, refusal)
        return redirect(detail)
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and request.POST.get("confirmed") == "yes" and form.is_valid():
        try:
            services.candidate_erase(actor=request.user, candidate=candidate, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The candidate's personal data are erased."))
        return redirect(detail)
    labels = step_labels()
    counts = erasure_plan(candidate_ids=[candidate.pk])
    return render(request, "confirm.html", {
        "procedure": procedure,
        "heading": _("Erase this candidate's personal data"),
        "facts": [(_("Candidate"), candidate.full_name), (_("Number"), f"#{candidate.pk}")],
        "consequences": [
            _("Name, e-mail, phone, date of birth, CV and motivation are erased; the candidate is shown as #%(id)s "
              "from now on.") % {"id": candidate.pk},
            _("Also erased: %(what)s.") % {"what": "; ".join(f"{labels[k]} ({n})" for k, n in counts.items()
                                                             if n and k != "candidates")},
            _("The personal link stops working and no e-mail is sent to the candidate any more."),
            _("Levels per competency, the final score and the outcome stay, without a name, for statistics. "
              "This cannot be undone."),
        ],
        "action_url": reverse("privacy:candidate_erase", args=[procedure.pk, candidate.pk]),
        "hidden": {}, "form": form, "button": _("Erase the personal data"), "cancel_url": detail,
    }, status=400 if form.errors else 200)


def export_response(candidate: Candidate, *, for_officer: bool, file_format: str, request: HttpRequest,
                    actor=None) -> HttpResponse:
    """The candidate's data in their language, as JSON, a readable page or a PDF; the hand-out is audited."""
    with translation.override(candidate.language):
        sections = candidate_export(candidate, for_officer=for_officer)
        if file_format == "json":
            body = json.dumps({"candidate_id": candidate.pk, "language": candidate.language,
                               **export_json(sections)}, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            response = HttpResponse(body, content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="candidate-{candidate.pk}.json"'
        elif file_format == "pdf":
            # The same sections as the page, printed by WeasyPrint like the project's other reports
            # (self-contained: nothing is fetched while rendering).
            pdf = render_pdf("privacy/pdf/export.html", {
                "sections": sections, "candidate": candidate, "for_officer": for_officer, "now": timezone.now(),
            }, candidate.language)
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="candidate-{candidate.pk}.pdf"'
        else:
            response = render(request, "privacy/export.html", {
                "sections": sections, "candidate": candidate, "for_officer": for_officer, "now": timezone.now(),
                "base_template": "base.html" if for_officer else "portal/layout.html"})
    services.candidate_export_record(actor=actor, candidate=candidate, file_format=file_format)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@login_required
def candidate_export_view(request: HttpRequest, pk: int, cid: int, file_format: str) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "candidate.manage")
    candidate = get_object_or_404(Candidate, pk=cid, procedure=procedure)
    return export_response(candidate, for_officer=True, file_format=file_format, request=request, actor=request.user)
