"""The outbox: every e-mail is a row, written in the same transaction as the change that causes it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from interviewdesk.procedures.models import Candidate, Procedure
from interviewdesk.scheduling.models import Appointment


class Message(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=40)  # e.g. "invitation", "problem_report", "result"
    procedure = models.ForeignKey(Procedure, null=True, blank=True, on_delete=models.CASCADE, related_name="messages")
    candidate = models.ForeignKey(Candidate, null=True, blank=True, on_delete=models.CASCADE, related_name="messages")
    appointment = models.ForeignKey(Appointment, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="messages")
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient_email = models.EmailField(_("recipient"))
    language = models.CharField(max_length=2)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # The iCalendar part, if any, and its METHOD (REQUEST / CANCEL).
    ics = models.TextField(blank=True)
    ics_method = models.CharField(max_length=10, blank=True)
    # Set by a sender that must never produce the same message twice (bulk sends, reminders).
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"
