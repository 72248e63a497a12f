"""The staff overview pages: the dashboard, a procedure's page (with closing and reopening) and a
candidate's page. They sit in scheduling because they show appointments beside procedure data."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from interviewdesk.core.listing import page_of, search_people, search_text
from interviewdesk.core.phones import display_phone
from interviewdesk.procedures import selectors as procedure_selectors
from interviewdesk.procedures import services as procedure_services
from interviewdesk.procedures.models import Procedure
from interviewdesk.procedures.permissions import can, procedure_or_404

from . import selectors, visibility
from .models import Appointment


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "scheduling/dashboard.html", selectors.dashboard_context(request.user))


def _pager(request: HttpRequest, items, param: str, per_page: int):
    return page_of(request, items, per_page=per_page, param=param)


@login_required
def procedure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "procedure.view")
    user = request.user
    show_all = request.GET.get("appointments") == "all"
    q = search_text(request)
    status = request.GET.get("astatus", "")
    appointments = selectors.procedure_appointments(procedure, everything=show_all).filter(
        visibility.appointment_scope(user))
    if status in Appointment.Status.values:
        appointments = appointments.filter(status=status)
    return render(request, "scheduling/procedure_detail.html", {
        "procedure": procedure,
        "profile": procedure_selectors.procedure_profile(procedure),
        "candidates": _pager(request, search_people(selectors.procedure_candidates(procedure).filter(
            visibility.candidate_filter(user, procedure)), q), "page",
                             selectors.CANDIDATES_PER_PAGE),
        "q": q,
        "juries": procedure_selectors.procedure_juries(procedure),
        "appointments": _pager(request, appointments, "apage", selectors.APPOINTMENTS_PER_PAGE),
        "appointment_status": status,
        "appointment_statuses": Appointment.Status.choices,
        "show_all_appointments": show_all,
        "transitions": sorted(procedure_services.PROCEDURE_TRANSITIONS[procedure.status]),
        "can_manage": can(user, "procedure.manage", procedure),
        "can_manage_candidates": can(user, "candidate.manage", procedure),
        "can_schedule": can(user, "appointment.manage", procedure),
        "can_view_candidates": can(user, "candidate.view", procedure),
        "sees": visibility.sees(visibility.list_needs(user, procedure)),
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
        and to in procedure_services.PROCEDURE_TRANSITIONS[procedure.status]
    form = ReopenForm(request.POST if request.method == "POST" else None) if reopening else None
    if request.method == "POST" and (not needs_confirmation or request.POST.get("confirmed") == "yes"):
        if form is not None and not form.is_valid():
            return _status_confirmation(request, procedure, to, form, status=400)
        try:
            procedure = procedure_services.procedure_set_status(actor=request.user, procedure=procedure, to=to,
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
    # Need-to-know: a jury member reads their own candidates' CV and motivation, a proctor the
    # phone and date of birth of the candidates of their sessions; another candidate answers 404.
    candidate = visibility.candidate_or_404(request.user, procedure, cid)
    can_manage = can(request.user, "candidate.manage", procedure)
    return render(request, "scheduling/candidate_detail.html", {
        "procedure": procedure,
        "candidate": candidate,
        "sees": visibility.sees(candidate.needs),
        "phone_display": display_phone(candidate.phone),
        "appointments": selectors.candidate_appointments(candidate).filter(visibility.appointment_scope(request.user)),
        # Who changed what is for the people who manage the candidate, not for the jury.
        "history": selectors.history_rows(selectors.candidate_history(candidate)) if can_manage else None,
        "can_manage": can_manage,
        "can_schedule": can(request.user, "appointment.manage", procedure),
    })
