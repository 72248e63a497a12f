"""Appointments: interviews, preparations (case / technical test) and connection tests."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from interviewdesk.procedures.models import Candidate, Jury, Procedure, Room


def new_ical_uid() -> str:
    """An iCalendar UID nobody can guess (a calendar reply names its event by UID)."""
    return f"{secrets.token_urlsafe(18)}@interviewdesk"


class Appointment(models.Model):
    # What the viewer may read of the candidate; set by the live session pages (scheduling.visibility).
    needs: frozenset[str]

    class Kind(models.TextChoices):
        INTERVIEW = "interview", _("interview")
        PREPARATION = "preparation", _("preparation (case or technical test)")
        CONNECTION_TEST = "connection_test", _("connection test")

    class Mode(models.TextChoices):
        HOME = "home", _("online from home")
        PROVIDED_ROOM = "provided_room", _("online from a room we provide")

    class Platform(models.TextChoices):
        TEAMS = "teams", _("Microsoft Teams")
        SKYPE = "skype_for_business", _("Skype for Business")
        JITSI = "jitsi", _("Jitsi")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        INVITED = "invited", _("invited")
        CONFIRMED = "confirmed", _("confirmed")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")
        NO_SHOW = "no_show", _("no show")
        STOPPED = "stopped", _("stopped")

    # Which statuses may follow which: one table, checked by services.appointment_set_status.
    TRANSITIONS: dict[str, set[str]] = {
        Status.PLANNED: {Status.INVITED, Status.CANCELLED},
        Status.INVITED: {Status.CONFIRMED, Status.CANCELLED, Status.DONE, Status.NO_SHOW, Status.STOPPED},
        # → invited: a decline or a "maybe" after an acceptance, or a move the candidate must answer again.
        Status.CONFIRMED: {Status.INVITED, Status.DONE, Status.CANCELLED, Status.NO_SHOW, Status.STOPPED},
        Status.DONE: set(),
        Status.CANCELLED: set(),
        # A stopped or missed interview gets a new slot on the same appointment, so the
        # candidate's calendar updates the same event (same UID, higher SEQUENCE).
        Status.NO_SHOW: {Status.PLANNED},
        Status.STOPPED: {Status.PLANNED},
    }
    # Appointments in these statuses still hold their people and room.
    ACTIVE_STATUSES = (Status.PLANNED, Status.INVITED, Status.CONFIRMED)

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="appointments")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INTERVIEW)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="appointments")
    jury = models.ForeignKey(Jury, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments")
    proctor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="proctored_appointments", verbose_name=_("proctor"))
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.HOME)
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices, default=Platform.TEAMS)
    join_url = models.URLField(_("join link"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    # iCalendar SEQUENCE: raised on every change the candidate's calendar must apply.
    sequence = models.PositiveIntegerField(default=0)
    # iCalendar UID: random for new appointments; appointments created before it existed keep
    # the "appointment-<id>@interviewdesk" their calendars already hold (migration 0003).
    uid = models.CharField(max_length=64, unique=True, default=new_ical_uid, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after_start"),
        ]
        # A procedure's coming appointments by status (the dashboard's count, the lists): without it
        # PostgreSQL reads every appointment of the procedure.
        indexes = [models.Index(fields=["procedure", "status", "starts_at"], name="appointment_proc_status_start")]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.candidate} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def ical_uid(self) -> str:
        """Stable across moves and reschedules (calendar clients update the same event), and
        unguessable, so nobody can forge a calendar answer for an appointment they were not sent."""
        return self.uid
