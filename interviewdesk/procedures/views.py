from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import import_stash, importing, selectors, services
from .forms import CandidateForm, ImportUploadForm
from .models import Candidate, Procedure
from .permissions import procedure_or_404
from .tasks import candidate_list_read

PREVIEW_ROWS = 50
PREVIEW_ERRORS = 500


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


def _check(procedure: Procedure, token: str | None) -> importing.ImportResult:
    if token is None:  # the callers have checked the stash; a session that lost it reads as an empty upload
        raise importing.ImportFileError(_("Upload the file first."))
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
