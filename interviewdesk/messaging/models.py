"""The outbox: every e-mail is a row, written in the same transaction as the change that causes it.

Beside it: who is invited to which appointment and how they answered (Invitation), and the
bulk sends a selection officer starts for a procedure (BulkSend).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from interviewdesk.procedures.models import Candidate, Procedure
from interviewdesk.scheduling.models import Appointment, new_ical_uid

from .labels import calendar_label, kind_label


class BulkSend(models.Model):
    """"Send all pending invitations" for one procedure. The run is resumable: it walks the
    procedure's pending appointments, and every invitation carries a dedupe key."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="bulk_sends")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    total = models.PositiveIntegerField(default=0)  # appointments pending when the run started
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)  # every invitation queued
    # Set after every step: a run untouched for a while has lost its worker and is continued by the sweep.
    touched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # At most one unfinished run per procedure: a second click joins the running one.
            models.UniqueConstraint(fields=["procedure"], condition=models.Q(finished_at__isnull=True),
                                    name="one_running_bulk_send_per_procedure"),
        ]

    def __str__(self) -> str:
        return f"bulk send #{self.pk} ({self.procedure_id})"


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
    bulk_send = models.ForeignKey(BulkSend, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages")
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient_email = models.EmailField(_("recipient"))
    language = models.CharField(max_length=2)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # The iCalendar part, if any, its METHOD (REQUEST / CANCEL) and the SEQUENCE it carries.
    ics = models.TextField(blank=True)
    ics_method = models.CharField(max_length=10, blank=True)
    ics_sequence = models.PositiveIntegerField(null=True, blank=True)
    # The text, HTML and calendar file hold `links.PERSONAL_LINK` instead of the candidate's working
    # link; delivery puts the link in when it builds the e-mail (docs/messaging.md, "The personal link").
    personal_link = models.BooleanField(default=False)
    # Set by a sender that must never produce the same message twice (bulk sends, reminders).
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The worker (core.workers) that claimed the row while "sending": its stopped heartbeat gives the
    # claim back. Empty when claimed outside a worker; then only the timeout does.
    claimed_by = models.CharField(max_length=100, blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"

    @property
    def kind_display(self) -> str:
        """The kind, and the calendar version when there is one, in the reader's language."""
        calendar = calendar_label(self.ics_method, self.ics_sequence)
        return f"{kind_label(self.kind)} — {calendar}" if calendar else kind_label(self.kind)


class Invitation(models.Model):
    """One person invited to one appointment, and their answer (iCalendar PARTSTAT)."""

    class Role(models.TextChoices):
        CANDIDATE = "candidate", _("candidate")
        CHAIR = "chair", _("jury chair")
        ASSESSOR = "assessor", _("assessor")
        PROCTOR = "proctor", _("proctor")

    class PartStat(models.TextChoices):
        NEEDS_ACTION = "needs_action", _("no answer yet")
        ACCEPTED = "accepted", _("accepted")
        TENTATIVE = "tentative", _("maybe (tentative)")
        DECLINED = "declined", _("declined")

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    email = models.EmailField(_("e-mail"))
    name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=2)
    partstat = models.CharField(_("answer"), max_length=12, choices=PartStat.choices,
                                default=PartStat.NEEDS_ACTION)
    # The SEQUENCE of the last REQUEST or CANCEL queued for this person; None: never invited.
    last_sequence_sent = models.PositiveIntegerField(null=True, blank=True)
    # The appointment's own SEQUENCE at that time: the version of the appointment this person has.
    # (A person removed and added again needs a higher SEQUENCE than their CANCEL, so the two differ.)
    appointment_sequence = models.PositiveIntegerField(null=True, blank=True)
    cancelled = models.BooleanField(default=False)  # a CANCEL was queued (e.g. removed from the jury)
    # When the person's current version (last REQUEST) was queued: a reminder whose moment came
    # before that is not sent (the appointment was moved closer after it).
    version_sent_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["appointment", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["appointment", "email"], name="invitation_unique_email")]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.get_role_display()} for appointment #{self.appointment_id} ({self.partstat})"


class ReplyReview(models.Model):
    """A calendar answer that changed nothing by itself, for the contact person to look at:
    its sender could not be trusted, or it proposes something (a delegate, another time)."""

    class Reason(models.TextChoices):
        SENDER_MISMATCH = "sender_mismatch", _("sent from another address than the invited one")
        NOT_AUTHENTICATED = "not_authenticated", _("the receiving mail server could not confirm the sender")
        NOT_INVITED = "not_invited", _("the answering address was not invited to this appointment")
        DELEGATED = "delegated", _("the invitee passed the invitation on to someone else")
        COUNTER = "counter", _("the invitee proposes another time")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="reply_reviews")
    appointment = models.ForeignKey(Appointment, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="reply_reviews")
    invitation = models.ForeignKey(Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    sender = models.CharField(_("sender"), max_length=254, blank=True)  # the From address
    attendee = models.CharField(_("attendee"), max_length=254, blank=True)  # the ATTENDEE the answer is for
    answer = models.CharField(_("answer"), max_length=20, blank=True)  # METHOD:PARTSTAT as received
    # What was proposed: {"delegated_to": "...", "starts_at": iso, "ends_at": iso, "comment": "..."}
    proposal = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("calendar answer to check")
        verbose_name_plural = _("calendar answers to check")

    def __str__(self) -> str:
        return f"calendar answer to check #{self.pk} ({self.reason})"

    def _proposed(self, key: str):
        value = self.proposal.get(key)
        return dt.datetime.fromisoformat(value) if value else None

    @property
    def proposed_starts_at(self):
        return self._proposed("starts_at")

    @property
    def proposed_ends_at(self):
        return self._proposed("ends_at")


class SharedStaffEvent(models.Model):
    """One calendar event a staff member holds for a group of appointments: the proctor's one event
    for a connection-test slot, whatever the number of candidates who booked it (docs/messaging.md,
    "One event per connection-test slot"). The candidates keep their own invitation per appointment."""

    group = models.CharField(max_length=100)  # e.g. "test_slot:<slot id>", given by the app that knows the group
    email = models.EmailField(_("e-mail"))
    # Its own UID (the group's event is none of the appointments'); unguessable, like theirs.
    uid = models.CharField(max_length=64, unique=True, default=new_ical_uid, editable=False)
    # The appointment whose facts the last message carried: a calendar answer to `uid` is recorded on it.
    appointment = models.ForeignKey(Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_sequence_sent = models.PositiveIntegerField(null=True, blank=True)  # None: nothing sent yet
    version = models.CharField(max_length=64, blank=True)  # ical.staff_version of what was last sent
    cancelled = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "email"], name="shared_staff_event_unique")]

    def __str__(self) -> str:
        return f"shared staff event {self.group} ({self.last_sequence_sent})"
