"""Candidate pages with more moving parts: device check, connection test booking, adjustments."""

from __future__ import annotations

import os

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors
from .forms import AdjustmentForm, SlotChoiceForm
from .models import ADJUSTMENT_KINDS, AdjustmentRequest, ConnectionTestSlot
from .services import adjustments, connection_tests, devicecheck
from .session import CandidateRequest, candidate_view

# Incompressible filler for the download measurement, made once per process.
_BLOCK = os.urandom(256 * 1024)
MAX_TRANSFER = 8 * 1024 * 1024


class DeviceCheckForm(forms.Form):
    camera_ok = forms.BooleanField(required=False, widget=forms.HiddenInput)
    microphone_ok = forms.BooleanField(required=False, widget=forms.HiddenInput)
    sound_heard = forms.BooleanField(required=False, label=gettext_lazy("I heard the test sound."))
    browser = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    latency_ms = forms.IntegerField(required=False, min_value=0, max_value=600_000, widget=forms.HiddenInput)
    download_mbps = forms.DecimalField(required=False, min_value=0, max_digits=8, decimal_places=2,
                                       widget=forms.HiddenInput)
    upload_mbps = forms.DecimalField(required=False, min_value=0, max_digits=8, decimal_places=2,
                                     widget=forms.HiddenInput)


@require_http_methods(["GET", "POST"])
@candidate_view
def device_check(request: CandidateRequest) -> HttpResponse:
    candidate = request.candidate
    form = DeviceCheckForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            devicecheck.device_check_record(candidate=candidate, **form.cleaned_data)
            return redirect("portal:device_check")
        messages.error(request, _("The results could not be saved. Please run the check again."))
    latest = selectors.latest_device_check(candidate)
    return render(request, "portal/device_check.html", {
        "form": DeviceCheckForm(), "latest": latest, "reasons": devicecheck.reason_texts(latest) if latest else [],
        "js_text": _js_text(),
    })


def _js_text() -> dict[str, str]:
    """The script's messages, translated here and handed over as JSON (no inline script)."""
    return {
        "checking": _("Checking your camera and microphone…"),
        "measuring": _("Measuring your connection: this takes a few seconds…"),
        "done": _("The check is finished. Tick the box if you heard the test sound, then save the result."),
        "measure_failed": _("The connection could not be measured. Check that you are online and try again."),
        "camera_ok": _("Your camera works: you should see yourself."),
        "camera_fail": _("Your camera could not be used. Allow this page to use it, or close other programs that use it."),
        "microphone_ok": _("Your microphone works: speak and the level moves."),
        "microphone_fail": _("Your microphone could not be used. Allow this page to use it and check that it is connected."),
        "media_unsupported": _("This browser cannot use a camera or microphone. Use Google Chrome or Microsoft Edge."),
        "browser_ok": _("Your browser is suitable for the interview."),
        "browser_warn": _("You use {browser}. We recommend Google Chrome or Microsoft Edge: other browsers may not "
                          "work well with the meeting platform."),
    }


@require_GET
@candidate_view
def ping(request: CandidateRequest) -> HttpResponse:
    return HttpResponse(status=204)


@require_GET
@candidate_view
def download(request: CandidateRequest) -> HttpResponse:
    try:
        size = min(max(int(request.GET.get("bytes", "1048576")), 1), MAX_TRANSFER)
    except ValueError:
        size = 1024 * 1024
    body = (_BLOCK * (size // len(_BLOCK) + 1))[:size]
    return HttpResponse(body, content_type="application/octet-stream")


@require_POST
@candidate_view
def upload(request: CandidateRequest) -> HttpResponse:
    received = 0
    while received < MAX_TRANSFER:  # read and drop: only the time it takes matters
        chunk = request.read(64 * 1024)
        if not chunk:
            break
        received += len(chunk)
    return JsonResponse({"bytes": received})


@require_http_methods(["GET", "POST"])
@candidate_view
def connection_test(request: CandidateRequest) -> HttpResponse:
    candidate = request.candidate
    interview = selectors.main_interview(selectors.candidate_appointments(candidate))
    if request.method == "POST":
        form = SlotChoiceForm(request.POST)
        if form.is_valid():
            slot = get_object_or_404(ConnectionTestSlot, pk=form.cleaned_data["slot"], procedure=candidate.procedure)
            try:
                connection_tests.connection_test_book(candidate=candidate, slot=slot, interview=interview)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Your connection test is booked."))
        return redirect("portal:connection_test")
    return render(request, "portal/connection_test.html", {
        "booking": selectors.current_booking(candidate),
        "slots": connection_tests.free_slots(candidate, interview),
        "interview": interview, "hours": connection_tests.hours_before_interview(),
    })


@require_http_methods(["GET", "POST"])
@candidate_view
def adjustments_page(request: CandidateRequest) -> HttpResponse:
    candidate = request.candidate
    form = AdjustmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        adjustments.adjustment_request_create(candidate=candidate, kinds=form.cleaned_data["kinds"],
                                              details=form.cleaned_data["details"],
                                              certificate=form.cleaned_data["certificate"])
        messages.success(request, _("Your request is recorded. We will let you know what we can arrange."))
        return redirect("portal:adjustments")
    labels = dict(ADJUSTMENT_KINDS)
    own = AdjustmentRequest.objects.filter(candidate=candidate).prefetch_related("decisions__appointment")
    return render(request, "portal/adjustments.html", {
        "form": form, "requests": own, "labels": labels, "procedure": candidate.procedure,
    })
