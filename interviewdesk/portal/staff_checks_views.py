"""Staff pages for connection-test slots (bulk creation, outcomes) and reasonable adjustments."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from interviewdesk.core import localtime
from interviewdesk.core.audit import audit_record
from interviewdesk.core.batching import deferred_inserts
from interviewdesk.core.clientaddress import client_address
from interviewdesk.core.listing import page_of, search_people, search_text
from interviewdesk.core.models import User
from interviewdesk.procedures.models import Role
from interviewdesk.procedures.permissions import can, procedure_or_404, roles_in
from interviewdesk.scheduling import visibility
from interviewdesk.scheduling.models import Appointment

from .models import AHEAD_STEPS, AdjustmentRequest, ConnectionTestBooking, ConnectionTestSlot
from .services import adjustments, connection_tests


class SlotBulkForm(forms.Form):
    proctor = forms.ModelChoiceField(label=gettext_lazy("Proctor"), queryset=User.objects.none())
    day = forms.DateField(label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    first_start = forms.TimeField(label=gettext_lazy("First slot starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    last_end = forms.TimeField(label=gettext_lazy("Last slot ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(label=gettext_lazy("Minutes per slot"), min_value=5, max_value=240, initial=15)
    capacity = forms.IntegerField(label=gettext_lazy("Candidates per slot"), min_value=1, max_value=50, initial=1)
    platform = forms.ChoiceField(label=gettext_lazy("Platform"), choices=Appointment.Platform.choices)
    join_url = forms.URLField(label=gettext_lazy("Join link"), required=False, max_length=500, assume_scheme="https")

    def clean_day(self):
        day = self.cleaned_data["day"]
        localtime.check_date(day)
        return day

    def __init__(self, *args, procedure, user, **kwargs):
        super().__init__(*args, **kwargs)
        proctors = User.objects.filter(memberships__procedure=procedure, memberships__role=Role.PROCTOR).distinct()
        if not can(user, "appointment.manage", procedure):
            proctors = proctors.filter(pk=user.pk)  # a proctor offers their own time only
        self.fields["proctor"].queryset = proctors


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=[
        c for c in ConnectionTestBooking.Outcome.choices if c[0] != ConnectionTestBooking.Outcome.PENDING])
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2}))


SLOTS_PER_PAGE = 20


@login_required
@require_http_methods(["GET", "POST"])
def test_slots(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "session.run")
    can_create = can(request.user, "appointment.manage", procedure) or Role.PROCTOR in roles_in(request.user, procedure)
    form = SlotBulkForm(request.POST or None, procedure=procedure, user=request.user)
    if request.method == "POST":
        if not can_create:
            return HttpResponse(status=404)
        if form.is_valid():
            try:
                created = connection_tests.slots_create_bulk(actor=request.user, procedure=procedure, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("%(count)s slots created.") % {"count": len(created.slots)})
                if created.nonexistent:
                    messages.warning(request, _("No slot at %(times)s: that time does not exist that night (the "
                                                "clocks move forward).") % {
                        "times": ", ".join(t.strftime("%H:%M") for t in created.nonexistent)})
                for conflict in created.busy:
                    messages.warning(request, _("No slot then: %(conflict)s") % {"conflict": conflict})
                return redirect("portal:test_slots", pk=procedure.pk)
    since = timezone.now() - dt.timedelta(days=7)
    # Need-to-know: connection tests are the proctors' (any proctor of the procedure may run a group
    # test for a colleague) and the officer's; a chair sees the slots but not who booked them.
    bookings_shown = ConnectionTestBooking.objects.select_related("candidate", "appointment").order_by("id")
    if visibility.DAY not in visibility.list_needs(request.user, procedure):
        bookings_shown = bookings_shown.none()
    slots = (ConnectionTestSlot.objects.filter(procedure=procedure, starts_at__gte=since).select_related("proctor")
             .prefetch_related(Prefetch("bookings", queryset=bookings_shown)))
    q, status = search_text(request), request.GET.get("status", "")
    if q or status in ConnectionTestBooking.Outcome.values:  # slots with a booking that matches
        bookings = search_people(ConnectionTestBooking.objects.filter(slot__procedure=procedure), q, prefix="candidate__")
        if status in ConnectionTestBooking.Outcome.values:
            bookings = bookings.filter(outcome=status)
        slots = slots.filter(pk__in=bookings.values("slot_id"))
    page = page_of(request, slots.order_by("starts_at", "id"), per_page=SLOTS_PER_PAGE)
    return render(request, "portal/staff/test_slots.html", {
        "procedure": procedure, "form": form, "slots": page.object_list, "page": page, "can_create": can_create,
        "q": q, "status": status, "status_choices": ConnectionTestBooking.Outcome.choices,
        "outcome_choices": cast(forms.ChoiceField, OutcomeForm.base_fields["outcome"]).choices,
    })


@login_required
@require_POST
def test_outcome(request: HttpRequest, pk: int, booking_pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "session.run")
    if visibility.DAY not in visibility.list_needs(request.user, procedure):
        raise Http404
    booking = get_object_or_404(ConnectionTestBooking, pk=booking_pk, slot__procedure=procedure)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            connection_tests.connection_test_record(actor=request.user, booking=booking, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Outcome recorded."))
    else:
        messages.error(request, _("Choose passed, problems or no-show."))
    return redirect("portal:test_slots", pk=procedure.pk)


@login_required
@require_GET
def adjustments_staff(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "candidate.sensitive")
    items = list(AdjustmentRequest.objects.filter(candidate__procedure=procedure).select_related("candidate")
                 .prefetch_related("decisions", Prefetch("candidate__appointments", queryset=Appointment.objects.filter(
                     status__in=Appointment.ACTIVE_STATUSES).order_by("starts_at"), to_attr="steps")))
    # Special-category data: every read is audited, like a certificate download (one insert for the page).
    with deferred_inserts():
        for item in items:
            audit_record(actor=request.user, action="adjustment.read", obj=item, procedure_id=procedure.pk,
                         client_address=client_address(request))
    steps = [Appointment.Kind.PREPARATION, Appointment.Kind.INTERVIEW] if procedure.has_pre_stage \
        else [Appointment.Kind.INTERVIEW]
    return render(request, "portal/staff/adjustments.html", {
        "procedure": procedure, "requests": items, "ahead_steps": [(step, step.label) for step in steps]})


class _Decision(forms.Form):
    """What every adjustment decision says, on an appointment or ahead of planning."""

    approved = forms.TypedChoiceField(coerce=lambda v: v == "yes", choices=[("yes", "yes"), ("no", "no")])
    extra_minutes = forms.IntegerField(min_value=0, max_value=240, required=False)
    note = forms.CharField(required=False, max_length=1000)


class DecisionForm(_Decision):
    appointment = forms.IntegerField()


@login_required
@require_POST
def adjustment_decide(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "candidate.sensitive")
    item = get_object_or_404(AdjustmentRequest, pk=request_pk, candidate__procedure=procedure)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The decision could not be saved."))
        return redirect("portal:adjustments_staff", pk=procedure.pk)
    appointment = get_object_or_404(Appointment, pk=form.cleaned_data["appointment"], candidate_id=item.candidate_id)
    try:
        adjustments.adjustment_decide(actor=request.user, request=item, appointment=appointment,
                                      approved=form.cleaned_data["approved"],
                                      extra_minutes=form.cleaned_data["extra_minutes"] or 0,
                                      note=form.cleaned_data["note"])
        messages.success(request, _("Decision saved."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("portal:adjustments_staff", pk=procedure.pk)


class AheadDecisionForm(_Decision):
    step = forms.ChoiceField(choices=[(step, step) for step in AHEAD_STEPS])


@login_required
@require_POST
def adjustment_decide_ahead(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    """Extra time for a step the candidate has no appointment for yet (the next plan gives it)."""
    procedure = procedure_or_404(request.user, pk, "candidate.sensitive")
    item = get_object_or_404(AdjustmentRequest, pk=request_pk, candidate__procedure=procedure)
    form = AheadDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The decision could not be saved: give the extra minutes as a number from 0 to 240."))
        return redirect("portal:adjustments_staff", pk=procedure.pk)
    try:
        adjustments.adjustment_decide_ahead(actor=request.user, request=item, **{
            **form.cleaned_data, "extra_minutes": form.cleaned_data["extra_minutes"] or 0})
        messages.success(request, _("Decision saved. The next plan gives this extra time."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("portal:adjustments_staff", pk=procedure.pk)


@login_required
@require_GET
def certificate(request: HttpRequest, pk: int, request_pk: int) -> HttpResponseBase:
    procedure = procedure_or_404(request.user, pk, "candidate.sensitive")
    item = get_object_or_404(AdjustmentRequest, pk=request_pk, candidate__procedure=procedure)
    if not item.certificate:
        return HttpResponse(status=404)
    audit_record(actor=request.user, action="certificate.read", obj=item, procedure_id=procedure.pk)
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}[item.certificate_type]
    response = FileResponse(item.certificate.open("rb"), content_type=item.certificate_type, as_attachment=True,
                            filename=f"certificate-{item.pk}.{extension}")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
