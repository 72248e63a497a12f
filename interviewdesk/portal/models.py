"""The candidate's access (personal link) and what they do before the interview."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from interviewdesk.procedures.models import Candidate, Procedure, Room
from interviewdesk.scheduling.models import Appointment


class AccessToken(models.Model):
    """One personal link. The token is never stored: it is an HMAC of `nonce` under SECRET_KEY
    (portal.services.access), so the worker can put it into an e-mail when it sends one, and only its
    SHA-256 is kept for the lookup. A database (or a backup of it) without SECRET_KEY holds no
    working link. The link lasts across appointment changes; it ends when staff revoke it, when
    the candidate's address changes, when `expires_at` passes or when the procedure closes."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="access_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    # Random, per link; empty for links issued before links were derived (they still open, by their hash).
    nonce = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    # Set only on the tokens tokenlookup.session_token loads for a candidate's session: the raw
    # MAX() of their appointments', results' and live sessions' changes (None when there is nothing).
    appointments_changed: Any
    result_published: Any
    live_changed: Any
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"access token #{self.pk} for candidate #{self.candidate_id}"


EQUIPMENT_ITEMS = [
    ("webcam", _("a computer or laptop with a webcam")),
    ("microphone", _("a microphone")),
    ("audio", _("speakers or a headset")),
    ("internet", _("a good internet connection")),
    ("room_alone", _("a room where you are alone during the whole interview")),
    ("identity_card", _("your identity card")),
]


class Readiness(models.Model):
    """The candidate's own declarations: one row per candidate, created on first use."""

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="readiness")
    phone_confirmed_at = models.DateTimeField(null=True, blank=True)
    equipment = models.JSONField(default=dict, blank=True)  # item code → True (has it) / False
    equipment_declared_at = models.DateTimeField(null=True, blank=True)
    rules_acknowledged_at = models.DateTimeField(null=True, blank=True)
    rules_language = models.CharField(max_length=2, blank=True)
    # Which house rules were accepted with the session rules: the procedure's version at the time and
    # a digest of exactly the lines shown (procedures.house_rules).
    rules_version = models.PositiveIntegerField(null=True, blank=True)
    rules_digest = models.CharField(max_length=16, blank=True)
    # Raised by every portal change the overview shows; part of the overview's cache key.
    version = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"readiness of candidate #{self.candidate_id}"

    @property
    def equipment_missing(self) -> list[str]:
        return [code for code, _label in EQUIPMENT_ITEMS if self.equipment.get(code) is False]


class DeviceCheck(models.Model):
    """One run of the in-browser device and connection check, with its numbers."""

    class Verdict(models.TextChoices):
        OK = "ok", _("ok")
        WARNING = "warning", _("warning")
        FAIL = "fail", _("fail")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="device_checks")
    created_at = models.DateTimeField(auto_now_add=True)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    camera_ok = models.BooleanField(default=False)
    microphone_ok = models.BooleanField(default=False)
    sound_heard = models.BooleanField(default=False)
    browser = models.CharField(max_length=40, blank=True)
    browser_recommended = models.BooleanField(default=False)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    download_mbps = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    upload_mbps = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)  # codes, see devicecheck.REASONS

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["candidate", "-created_at"])]

    def __str__(self) -> str:
        return f"device check #{self.pk} {self.verdict}"


class RoomRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    TRANSITIONS: dict[str, set[str]] = {
        Status.OPEN: {Status.APPROVED, Status.REFUSED},
        Status.APPROVED: set(),
        Status.REFUSED: set(),
    }

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="room_requests")
    appointment = models.ForeignKey(Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("why you need a room or equipment"))
    needs = models.TextField(_("what you need"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateField(null=True, blank=True)  # last day to ask, for the interview at the time
    late = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"room request #{self.pk} ({self.status})"


class ConnectionTestSlot(models.Model):
    """A time a proctor offers for live connection tests; several candidates may share it."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="connection_test_slots")
    proctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("proctor"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=1)
    free: int  # set only on the slots connection_tests.free_slots() returns
    platform = models.CharField(_("platform"), max_length=20, choices=Appointment.Platform.choices,
                                default=Appointment.Platform.TEAMS)
    join_url = models.URLField(_("join link"), max_length=500, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="test_slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"connection test slot #{self.pk} {self.starts_at:%Y-%m-%d %H:%M}"


class ConnectionTestBooking(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("not yet held")
        PASSED = "passed", _("passed")
        PROBLEMS = "problems", _("problems")
        NO_SHOW = "no_show", _("no show")

    slot = models.ForeignKey(ConnectionTestSlot, on_delete=models.PROTECT, related_name="bookings")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="connection_test_bookings")
    appointment = models.OneToOneField(Appointment, on_delete=models.CASCADE, related_name="connection_test_booking")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"connection test booking #{self.pk}"


ADJUSTMENT_KINDS = [
    ("extra_time", _("extra time")),
    ("quiet_room", _("a quiet room")),
    ("interpreter", _("an interpreter")),
    ("screen_reader", _("a screen reader")),
    ("other", _("something else")),
]


def certificate_path(instance, filename: str) -> str:
    """A random name: the original file name may itself be personal data."""
    return f"certificates/{instance.candidate.procedure_id}/{uuid.uuid4().hex}"


class AdjustmentRequest(models.Model):
    """Special-category data: visible only to the procedure's selection officers (candidate.sensitive)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="adjustment_requests")
    kinds = models.JSONField(default=list)
    details = models.TextField(_("explanation"), blank=True)
    certificate = models.FileField(upload_to=certificate_path, blank=True)
    certificate_type = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"adjustment request #{self.pk}"

    @property
    def kind_labels(self) -> list[str]:
        labels = dict(ADJUSTMENT_KINDS)
        return [str(labels.get(kind, kind)) for kind in self.kinds]


# The steps extra time can be decided for before a first plan exists.
AHEAD_STEPS = (Appointment.Kind.PREPARATION, Appointment.Kind.INTERVIEW)


class AdjustmentDecision(models.Model):
    """Staff's decision for one step of the candidate's procedure: an appointment, or, before the
    candidate has one, a kind of step (`step`, `appointment` empty: "decided ahead of planning").
    The planner reads both (portal.planning_needs); applying a plan copies an ahead decision onto
    the appointments it creates (`adjustments_ahead_attach`), so everything after works per step."""

    request = models.ForeignKey(AdjustmentRequest, on_delete=models.CASCADE, related_name="decisions")
    appointment = models.ForeignKey(Appointment, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(max_length=20, choices=Appointment.Kind.choices)  # the appointment's kind, or ahead
    approved = models.BooleanField(default=False)
    extra_minutes = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "appointment"], name="adjustment_decision_per_step"),
            models.UniqueConstraint(fields=["request", "step"], condition=models.Q(appointment__isnull=True),
                                    name="adjustment_decision_ahead_per_step"),
        ]

    def __str__(self) -> str:
        return f"adjustment decision #{self.pk}"


class AvailabilityRequest(models.Model):
    """The officer's question "on which half-days can you not come?" to one candidate before the
    planning, and whether they answered. One row per candidate: asking again is idempotent, and a
    reminder goes only to those who have not answered (portal.services.availability_requests).
    `answered_at` is set whenever the candidate saves their half-days, asked or not, even when they
    can come on every half-day (which leaves no other trace)."""

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="availability_request")
    asked_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    times_sent = models.PositiveSmallIntegerField(default=0)
    answered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"availability request of candidate #{self.candidate_id}"


class ProblemReport(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="problem_reports")
    text = models.TextField(_("what is the problem?"))
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"problem report #{self.pk}"
