from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from interviewdesk.core.listing import page_of, search_people, search_text
from interviewdesk.core.phones import display_phone
from interviewdesk.scheduling.models import Appointment

from . import import_stash, importing, selectors, services
from .forms import CandidateForm, ImportUploadForm
from .models import Candidate, Procedure
from .permissions import can, procedure_or_404
from .tasks import candidate_list_read

PREVIEW_ROWS = 50
PREVIEW_ERRORS = 500


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "procedures/dashboard.html", selectors.dashboard_context(request.user))


def _pager(request: HttpRequest, items, param: str, per_page: int):
    return page_of(request, items, per_page=per_page, param=param)


@login_required
def procedure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "procedure.view")
    user = request.user
    show_all = request.GET.get("appointments") == "all"
    q = search_text(request)
    status = request.GET.get("astatus", "")
    appointments = selectors.procedure_appointments(procedure, everything=show_all)
    if status in Appointment.Status.values:
        appointments = appointments.filter(status=status)
    return render(request, "procedures/procedure_detail.html", {
        "procedure": procedure,
        "profile": selectors.procedure_profile(procedure),
        "candidates": _pager(request, search_people(selectors.procedure_candidates(procedure), q), "page",
                             selectors.CANDIDATES_PER_PAGE),
        "q": q,
        "juries": selectors.procedure_juries(procedure),
        "appointments": _pager(request, appointments, "apage", selectors.APPOINTMENTS_PER_PAGE),
        "appointment_status": status,
        "appointment_statuses": Appointment.Status.choices,
        "show_all_appointments": show_all,
        "transitions": sorted(services.PROCEDURE_TRANSITIONS[procedure.status]),
        "can_manage": can(user, "procedure.manage", procedure),
        "can_manage_candidates": can(user, "candidate.manage", procedure),
        "can_schedule": can(user, "appointment.manage", procedure),
        "can_view_candidates": can(user, "candidate.view", procedure),
    })


class ReopenForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why is the procedure reopened?"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))


def _status_consequences(procedure: Procedure, to: str) -> list[str]:
    candidates, coming = selectors.procedure_reach(procedure)
    people = ngettext("%(count)d candidate", "%(count)d candidates", candidates) % {"count": candidates}
    appointments = ngettext("%(count)d coming appointment", "%(count)d coming appointments", coming) % {
        "count": coming}
    if to == Procedure.Status.CLOSED:
        return [
            _("The procedure is closed for its %(people)s: their personal links stop working and show that the "
              "procedure is closed.") % {"people": people},
            _("No invitation or reminder is sent any more. The %(appointments)s are not cancelled: cancel them "
              "first if they will not take place.") % {"appointments": appointments},
            _("Results, reports and the audit trail stay available to staff. You can reopen the procedure, "
              "with a reason."),
        ]
    return [
        _("The procedure is open again for its %(people)s: personal links that have not expired work again.")
        % {"people": people},
        _("Invitations and reminders of the %(appointments)s are sent again.") % {"appointments": appointments},
        _("The reopening and your reason are kept in the audit trail."),
    ]


@login_required
def procedure_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft → open acts at once; closing and reopening first show what will happen (GET changes nothing)."""
    procedure = procedure_or_404(request.user, pk, "procedure.manage")
    data = request.POST if request.method == "POST" else request.GET
    to = data.get("to", "")
    reopening = procedure.status == Procedure.Status.CLOSED
    needs_confirmation = (to == Procedure.Status.CLOSED or reopening) \
        and to in services.PROCEDURE_TRANSITIONS[procedure.status]
    form = ReopenForm(request.POST if request.method == "POST" else None) if reopening else None
    if request.method == "POST" and (not needs_confirmation or request.POST.get("confirmed") == "yes"):
        if form is not None and not form.is_valid():
            return _status_confirmation(request, procedure, to, form, status=400)
        try:
            procedure = services.procedure_set_status(actor=request.user, procedure=procedure, to=to,
                                                      reason=form.cleaned_data["reason"] if form else "")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The procedure is now %(status)s.") % {"status": procedure.get_status_display()})
        return redirect("procedure_detail", pk=procedure.pk)
    if not needs_confirmation:
        return redirect("procedure_detail", pk=procedure.pk)
    return _status_confirmation(request, procedure, to, form)


def _status_confirmation(request: HttpRequest, procedure: Procedure, to: str, form, status: int = 200):
    closing = to == Procedure.Status.CLOSED
    return render(request, "confirm.html", {
        "procedure": procedure,
        "heading": _("Close the procedure") if closing else _("Reopen the procedure"),
        "consequences": _status_consequences(procedure, to),
        "action_url": reverse("procedure_status", args=[procedure.pk]),
        "hidden": {"to": to}, "form": form,
        "button": _("Close the procedure") if closing else _("Reopen the procedure"),
        "cancel_url": reverse("procedure_detail", args=[procedure.pk]),
    }, status=status)


@login_required
def candidate_detail(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "candidate.view")
    candidate = get_object_or_404(Candidate, pk=cid, procedure=procedure)
    can_manage = can(request.user, "candidate.manage", procedure)
    return render(request, "procedures/candidate_detail.html", {
        "procedure": procedure,
        "candidate": candidate,
        "phone_display": display_phone(candidate.phone),
        "appointments": selectors.candidate_appointments(candidate),
        # Who changed what is for the people who manage the candidate, not for the jury.
        "history": selectors.history_rows(selectors.candidate_history(candidate)) if can_manage else None,
        "can_manage": can_manage,
        "can_schedule": can(request.user, "appointment.manage", procedure),
    })


def _candidate_form(request: HttpRequest, procedure: Procedure, candidate: Candidate | None) -> HttpResponse:
    heading_name = candidate.full_name if candidate else ""  # before the form touches the instance
    previous_email = candidate.email if candidate else ""
    form = CandidateForm(request.POST or None, instance=candidate or Candidate(procedure=procedure))
    if request.method == "POST" and form.is_valid():
        try:
            if candidate is None:
                candidate = services.candidate_create(actor=request.user, procedure=procedure, **form.cleaned_data)
                messages.success(request, _("Candidate added."))
            else:
                candidate = services.candidate_update(actor=request.user, candidate=candidate, **form.cleaned_data)
                messages.success(request, _("Candidate saved."))
                if candidate.email.lower() != previous_email.lower():  # (messaging follows the new address)
                    messages.info(request, _("Invitations already sent for coming appointments go to the new "
                                             "e-mail address."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("candidate_detail", pk=procedure.pk, cid=candidate.pk)
    return render(request, "procedures/candidate_form.html",
                  {"procedure": procedure, "candidate": candidate, "heading_name": heading_name, "form": form})


@login_required
def candidate_create(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "candidate.manage")
    return _candidate_form(request, procedure, None)


@login_required
def candidate_edit(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "candidate.manage")
    candidate = get_object_or_404(Candidate, pk=cid, procedure=procedure)
    return _candidate_form(request, procedure, candidate)


# Candidate import: upload → preview → confirm. The file is read once (import_stash: in the
# request when quick, else by the worker) into a table that the preview and the confirmation
# check against the procedure as it is then. The session holds only a random token, so no
# personal data ever appears in a URL.
IMPORT_SESSION_KEY = "candidate_imports"


def _stash(request: HttpRequest, procedure: Procedure, upload) -> None:
    _discard(request, procedure)
    token, read = import_stash.stash_store(name=upload.name, data=upload.read())
    if not read:
        candidate_list_read.enqueue(token)
    stash = request.session.get(IMPORT_SESSION_KEY, {})
    stash[str(procedure.pk)] = token
    request.session[IMPORT_SESSION_KEY] = stash


def _token(request: HttpRequest, procedure: Procedure) -> str | None:
    return request.session.get(IMPORT_SESSION_KEY, {}).get(str(procedure.pk))


def _discard(request: HttpRequest, procedure: Procedure) -> None:
    import_stash.stash_delete(_token(request, procedure))
    stash = request.session.get(IMPORT_SESSION_KEY, {})
    if stash.pop(str(procedure.pk), None):
        request.session[IMPORT_SESSION_KEY] = stash


def _check(procedure: Procedure, token: str) -> importing.ImportResult:
    content = import_stash.stash_load(token)
    if "error" in content:
        raise importing.ImportFileError(content["error"])
    return importing.check_rows(content["rows"], selectors.existing_emails(procedure), today=timezone.localdate())


@login_required
def candidate_import(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "candidate.manage")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        _stash(request, procedure, form.cleaned_data["file"])
        return redirect("candidate_import_preview", pk=procedure.pk)
    return render(request, "procedures/import_upload.html", {"procedure": procedure, "form": form})


@login_required
def candidate_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "candidate.manage")
    token = _token(request, procedure)
    state = import_stash.stash_state(token)
    if state == "missing":
        messages.error(request, _("Upload the file first."))
        return redirect("candidate_import", pk=procedure.pk)
    if state == "reading":
        return render(request, "procedures/import_reading.html", {"procedure": procedure})
    file_error, result = "", None
    try:
        result = _check(procedure, token)
    except importing.ImportFileError as exc:
        file_error = str(exc)
    return render(request, "procedures/import_preview.html", {
        "procedure": procedure, "result": result, "file_error": file_error,
        "sample": result.rows[:PREVIEW_ROWS] if result else [],
        "errors": result.errors[:PREVIEW_ERRORS] if result else [],
        "warnings": result.warnings[:PREVIEW_ERRORS] if result else [],
        "preview_rows": PREVIEW_ROWS, "preview_errors": PREVIEW_ERRORS,
    })


@login_required
@require_POST
def candidate_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "candidate.manage")
    token = _token(request, procedure)
    if import_stash.stash_state(token) != "read":
        messages.error(request, _("Upload the file first."))
        return redirect("candidate_import", pk=procedure.pk)
    try:
        # Checked again: the procedure may have changed since the preview.
        result = _check(procedure, token)
        if not result.is_valid:
            return redirect("candidate_import_preview", pk=procedure.pk)
        count = services.candidates_import(actor=request.user, procedure=procedure, rows=result.rows)
    except (importing.ImportFileError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("candidate_import_preview", pk=procedure.pk)
    _discard(request, procedure)
    messages.success(request, ngettext("%(count)d candidate imported.", "%(count)d candidates imported.", count)
                     % {"count": count})
    return redirect("procedure_detail", pk=procedure.pk)


@login_required
@require_POST
def candidate_import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "candidate.manage")
    _discard(request, procedure)
    messages.info(request, _("The uploaded file was deleted; nothing was imported."))
    return redirect("candidate_import", pk=procedure.pk)
