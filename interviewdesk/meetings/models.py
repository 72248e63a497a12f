"""Meetings the product makes for appointments (Teams through Microsoft Graph, self-hosted Jitsi).

A `Meeting` is a durable row like an outbox message: the worker claims it, calls the provider and
records the result, so no meeting is made twice (the provider call is idempotent: Graph's
`createOrGet` with the row's `external_id`, Jitsi's room name fixed when the row is written) and
none is lost when a worker dies (its claims are taken again by the sweep once its heartbeat stops,
or after CLAIM_TIMEOUT for a claim made outside a worker).

`MeetingSettings` holds a procedure's choice (provider, one meeting per appointment or per jury and
day, the Teams organizer, the Jitsi server); secrets come from the settings (environment), never
from the database. The manual provider is today's `Appointment.join_url`, typed by staff.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from interviewdesk.procedures.models import Jury, Procedure
from interviewdesk.scheduling.models import Appointment


class Provider(models.TextChoices):
    MANUAL = "manual", _("a link typed by staff (Skype for Business or any other platform)")
    TEAMS = "teams", _("Microsoft Teams, made by the product")
    JITSI = "jitsi", _("Jitsi Meet (self-hosted), made by the product")


GENERATED = (Provider.TEAMS, Provider.JITSI)


class Scope(models.TextChoices):
    APPOINTMENT = "appointment", _("one meeting per appointment")
    JURY_DAY = "jury_day", _("one meeting per jury and day (the proctor admits each candidate in turn)")


# Besides the procedure's choice, a meeting row may be the one meeting of a connection-test slot: the
# candidates who booked the same proctor at the same time share it (docs/meetings.md).
TEST_SLOT = "test_slot"
MEETING_SCOPES = [*Scope.choices, (TEST_SLOT, _("one meeting per connection-test slot"))]


def new_external_id() -> str:
    """Stable for the row's life, unguessable: Graph's externalId, and the Jitsi room name."""
    return secrets.token_hex(16)


class MeetingSettings(models.Model):
    procedure = models.OneToOneField(Procedure, on_delete=models.CASCADE, related_name="meeting_settings")
    provider = models.CharField(_("meetings"), max_length=10, choices=Provider.choices, default=Provider.MANUAL)
    scope = models.CharField(_("one meeting"), max_length=12, choices=Scope.choices, default=Scope.APPOINTMENT)
    # The Teams account that owns the meetings (an application access policy must allow the app for it).
    teams_organizer = models.CharField(_("Teams organizer account"), max_length=254, blank=True)
    jitsi_base_url = models.URLField(_("Jitsi server"), max_length=200, blank=True)
    jitsi_app_id = models.CharField(_("Jitsi application id"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting settings")
        verbose_name_plural = _("meeting settings")

    def __str__(self) -> str:
        return f"meeting settings of procedure {self.procedure_id} ({self.provider})"

    @property
    def generated(self) -> bool:
        return self.provider in GENERATED


class Meeting(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("being made")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")
        DELETED = "deleted", _("deleted")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="meetings")
    provider = models.CharField(max_length=10, choices=Provider.choices)
    scope = models.CharField(max_length=12, choices=MEETING_SCOPES)
    # Per jury and day: the jury and the Brussels date. Per appointment: the one appointment's link row.
    # Per connection-test slot: the slot's proctor and times (selectors.test_slot_key).
    group_key = models.CharField(max_length=100, blank=True)
    jury = models.ForeignKey(Jury, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(null=True, blank=True)
    organizer = models.CharField(max_length=254, blank=True)  # Teams: the organizer's UPN
    base_url = models.URLField(max_length=200, blank=True)  # Jitsi: the server
    app_id = models.CharField(max_length=100, blank=True)  # Jitsi: the token issuer
    external_id = models.CharField(max_length=64, unique=True, default=new_external_id, editable=False)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    # What the worker must do next: make or update it (the times, the settings), or delete it.
    delete_wanted = models.BooleanField(default=False)
    # Raised by every change the provider must hear about; the worker records the version it sent.
    version = models.PositiveIntegerField(default=1)
    done_version = models.PositiveIntegerField(default=0)
    provider_id = models.CharField(max_length=500, blank=True)  # Graph's onlineMeeting id
    join_url = models.URLField(max_length=1000, blank=True)  # Teams: joinWebUrl (everybody; the lobby sorts them)
    last_error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The worker process that holds the claim (core.workers: its heartbeat), "" outside a worker; and
    # the claim's own random token, so a claim taken again (even by the same process) is told apart.
    claimed_by = models.CharField(max_length=100, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["jury", "day"], condition=models.Q(scope="jury_day") & ~models.Q(state="deleted"),
                                    name="one_live_meeting_per_jury_day"),
            models.UniqueConstraint(fields=["procedure", "group_key"],
                                    condition=models.Q(scope=TEST_SLOT) & ~models.Q(state="deleted"),
                                    name="one_live_meeting_per_test_slot"),
        ]
        indexes = [models.Index(fields=["state", "next_try_at"], name="meeting_state_next_try")]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"meeting #{self.pk} ({self.provider}, {self.state})"


class AppointmentMeeting(models.Model):
    """Which meeting an appointment uses. No row: the manual link (`Appointment.join_url`)."""

    appointment = models.OneToOneField(Appointment, on_delete=models.CASCADE, primary_key=True,
                                       related_name="meeting_link")
    # None with `manual`: this appointment keeps a typed link although its procedure has meetings made.
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="links")
    manual = models.BooleanField(_("use the typed link for this appointment"), default=False)
    # Not blank: this appointment's meeting is made by this provider (its own meeting), whatever the procedure chose.
    provider = models.CharField(_("provider for this appointment"), max_length=10, blank=True,
                                choices=[(p.value, p.label) for p in GENERATED])
    # The first invitation goes out when the meeting is ready (a connection test the candidate booked
    # while its meeting was being made: nobody else will press "send"). Read by messaging.
    invite_when_ready = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("meeting of an appointment")
        verbose_name_plural = _("meetings of appointments")

    def __str__(self) -> str:
        return f"appointment {self.appointment_id} → meeting {self.meeting_id}"
