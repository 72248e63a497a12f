"""Staff pages: mail log (per procedure, per candidate), message detail and .ics, sending, bulk send, at-risk."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from interviewdesk.core.listing import search_text
from interviewdesk.procedures.models import Candidate
from interviewdesk.procedures.permissions import can, procedure_or_404
from interviewdesk.scheduling.models import Appointment

from . import ical, selectors
from .links import REDACTED, fill_ics, redacted
from .models import BulkSend, Message
from .services.bulk import bulk_progress, bulk_send_start, pending_appointments
from .services.delivery import messages_retry
from .services.invitations import invitation_send_or_hold

PAGE_SIZE = 50


@login_required
@require_GET
def procedure_log(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "mail.view")
    state = request.GET.get("state", "")
    q = search_text(request)
    page = Paginator(selectors.messages_of_procedure(procedure, state, q), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "messaging/procedure_log.html", {
        "procedure": procedure, "page": page, "state": state, "states": Message.State.choices, "q": q,
        "failed": selectors.messages_of_procedure(procedure, Message.State.FAILED).count(),
        "can_retry": can(request.user, "appointment.manage", procedure),
        "open_reviews": selectors.open_reply_reviews(procedure),
    })


@login_required
@require_GET
def candidate_log(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "mail.view")
    candidate = get_object_or_404(Candidate, procedure=procedure, pk=cid)
    return render(request, "messaging/candidate_log.html", {
        "procedure": procedure, "candidate": candidate,
        "appointments": selectors.appointments_with_invitations(procedure, candidate),
        "log": selectors.messages_of_candidate(procedure, candidate),
        "can_send": can(request.user, "appointment.manage", procedure),
    })


@login_required
@require_GET
def message_detail(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "mail.view")
    message = get_object_or_404(Message, procedure=procedure, pk=mid)
    # The row holds a placeholder for the candidate's personal link (never the link): say so in words.
    message.body_text, message.body_html = redacted(message.body_text), redacted(message.body_html)
    return render(request, "messaging/message_detail.html", {
        "procedure": procedure, "message": message, "can_retry": can(request.user, "appointment.manage", procedure),
    })


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Send failed messages again: the one named in the form (from its page), or all of the procedure."""
    procedure = procedure_or_404(request.user, pk, "appointment.manage")
    one = request.POST.get("message", "")
    if one and not one.isdigit():
        raise Http404
    ids = [int(one)] if one else None
    if ids:
        get_object_or_404(Message, procedure=procedure, pk=ids[0])
    again, left = messages_retry(procedure=procedure, ids=ids, actor=request.user)
    if again:
        messages.success(request, ngettext("%(count)s message is queued again.", "%(count)s messages are queued again.",
                                           again) % {"count": again})
    if left:
        messages.warning(request, ngettext(
            "%(count)s message stays as it is: a newer version of its appointment replaced it.",
            "%(count)s messages stay as they are: a newer version of their appointment replaced them.",
            left) % {"count": left})
    if not again and not left:
        messages.info(request, _("There is no failed message to send again."))
    if ids:
        return redirect("messaging:message", pk=procedure.pk, mid=ids[0])
    return redirect(f"{reverse('messaging:procedure', args=[procedure.pk])}?state={Message.State.FAILED}")


def _ics_response(content: bytes, method: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=f"text/calendar; method={method}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def message_ics(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "mail.view")
    message = get_object_or_404(Message, procedure=procedure, pk=mid)
    if not message.ics:
        raise Http404
    return _ics_response(fill_ics(message.ics, REDACTED).encode(), message.ics_method, f"message-{message.pk}.ics")


@login_required
@require_GET
def appointment_ics(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """The candidate's copy of the appointment as it stands now (CANCEL once cancelled)."""
    procedure = procedure_or_404(request.user, pk, "mail.view")
    appointment = get_object_or_404(Appointment.objects.select_related("procedure", "candidate", "room"),
                                    procedure=procedure, pk=aid)
    method = ical.CANCEL if appointment.status == Appointment.Status.CANCELLED else ical.REQUEST
    content = ical.appointment_ics(appointment, appointment.candidate.email, method,
                                   attendee_name=appointment.candidate.full_name,
                                   language=appointment.candidate.language)
    return _ics_response(content, method, f"appointment-{appointment.pk}.ics")


@login_required
@require_POST
def send_one(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "appointment.manage")
    appointment = get_object_or_404(Appointment, procedure=procedure, pk=aid)
    try:
        queued = invitation_send_or_hold(appointment=appointment, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if queued is None:
            messages.info(request, _("Its online meeting is not made yet: the invitations go out as soon as it "
                                     "exists."))
        else:
            messages.success(request, _("The invitations are queued."))
    return redirect("messaging:candidate", pk=procedure.pk, cid=appointment.candidate_id)


@login_required
@require_http_methods(["GET", "POST"])
def bulk(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "appointment.manage")
    if request.method == "POST":
        _run, created = bulk_send_start(procedure=procedure, actor=request.user)
        if not created:
            messages.info(request, _("A send is already running; its progress is shown below."))
        return redirect("messaging:bulk", pk=procedure.pk)
    latest = BulkSend.objects.filter(procedure=procedure).first()
    return render(request, "messaging/bulk.html", {
        "procedure": procedure, "run": latest, "progress": bulk_progress(latest) if latest else None,
        "pending": pending_appointments(procedure.pk).count(),
    })


@login_required
@require_GET
def bulk_progress_partial(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "appointment.manage")
    run = get_object_or_404(BulkSend, procedure=procedure, pk=run_id)
    return render(request, "messaging/_bulk_progress.html", {"procedure": procedure, "run": run,
                                                             "progress": bulk_progress(run),
                                                             "pending": pending_appointments(procedure.pk).count()})


@login_required
@require_GET
def at_risk(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "mail.view")
    return render(request, "messaging/at_risk.html", {"procedure": procedure, "rows": selectors.at_risk(procedure)})
