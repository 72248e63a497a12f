"""The device and connection check: thresholds and the verdict, decided on the server.

The browser measures (static/portal/device-check.js) against our own endpoints only — no
third-party service — and posts the numbers; the server applies the thresholds, so staff see
one consistent verdict with the numbers behind it.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from interviewdesk.core.audit import audit_record
from interviewdesk.procedures.models import Candidate

from ..models import DeviceCheck
from .candidate import overview_touch

# A video call needs roughly 1.5 Mbit/s each way for good quality; below 0.5 it breaks up.
FAIL_DOWNLOAD_MBPS = Decimal("1.0")
WARN_DOWNLOAD_MBPS = Decimal("3.0")
FAIL_UPLOAD_MBPS = Decimal("0.5")
WARN_UPLOAD_MBPS = Decimal("1.5")
FAIL_LATENCY_MS = 1000
WARN_LATENCY_MS = 300

REASONS = {
    "no_camera": (_("No camera could be used."), "fail"),
    "no_microphone": (_("No microphone could be used."), "fail"),
    "sound_not_heard": (_("You did not hear the test sound: check your speakers or headset."), "warning"),
    "browser": (_("Use Google Chrome or Microsoft Edge for the interview."), "warning"),
    "latency_high": (_("The connection reacts slowly."), "warning"),
    "latency_fail": (_("The connection reacts far too slowly."), "fail"),
    "download_low": (_("The download speed is low."), "warning"),
    "download_fail": (_("The download speed is too low for a video call."), "fail"),
    "upload_low": (_("The upload speed is low."), "warning"),
    "upload_fail": (_("The upload speed is too low for a video call."), "fail"),
    "not_measured": (_("The connection could not be measured."), "fail"),
}

RECOMMENDED_BROWSERS = {"Chrome", "Edge"}


def judge(*, camera_ok: bool, microphone_ok: bool, sound_heard: bool, browser: str, latency_ms: int | None,
          download_mbps: Decimal | None, upload_mbps: Decimal | None) -> tuple[str, list[str]]:
    """(verdict, reason codes). One failing item fails the check; otherwise any warning warns."""
    reasons = []
    if not camera_ok:
        reasons.append("no_camera")
    if not microphone_ok:
        reasons.append("no_microphone")
    if not sound_heard:
        reasons.append("sound_not_heard")
    if browser not in RECOMMENDED_BROWSERS:
        reasons.append("browser")
    if latency_ms is None or download_mbps is None or upload_mbps is None:
        reasons.append("not_measured")
    else:
        if latency_ms > FAIL_LATENCY_MS:
            reasons.append("latency_fail")
        elif latency_ms > WARN_LATENCY_MS:
            reasons.append("latency_high")
        if download_mbps < FAIL_DOWNLOAD_MBPS:
            reasons.append("download_fail")
        elif download_mbps < WARN_DOWNLOAD_MBPS:
            reasons.append("download_low")
        if upload_mbps < FAIL_UPLOAD_MBPS:
            reasons.append("upload_fail")
        elif upload_mbps < WARN_UPLOAD_MBPS:
            reasons.append("upload_low")
    levels = {REASONS[code][1] for code in reasons}
    verdict = "fail" if "fail" in levels else "warning" if levels else "ok"
    return verdict, reasons


@transaction.atomic
def device_check_record(*, candidate: Candidate, **measured) -> DeviceCheck:
    verdict, reasons = judge(**measured)
    check = DeviceCheck.objects.create(
        candidate=candidate, verdict=verdict, reasons=reasons,
        browser_recommended=measured["browser"] in RECOMMENDED_BROWSERS, **measured,
    )
    overview_touch(candidate.pk)
    audit_record(actor_label="candidate", action="device_check.recorded", obj=check,
                 procedure_id=candidate.procedure_id, to_state=verdict)
    return check


def reason_texts(check: DeviceCheck) -> list[str]:
    return [str(REASONS[code][0]) for code in check.reasons if code in REASONS]
