"""A planning run and its proposal: what the officer reviews, adjusts and applies.

A proposal is not appointments: its items become appointments only when the officer applies
it (`services.proposal_apply`, through `appointment_plan`/`appointment_update`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from interviewdesk.procedures.models import Candidate, Jury, Procedure, Room
from interviewdesk.scheduling.models import Appointment

from .instance import DEFAULT_ORDER


def default_order() -> list[str]:
    return list(DEFAULT_ORDER)


class PlanningRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for the worker")
        RUNNING = "running", _("planning")
        DONE = "done", _("proposal ready")
        FAILED = "failed", _("failed")
        APPLYING = "applying", _("being applied")
        APPLIED = "applied", _("applied")
        DISCARDED = "discarded", _("discarded")

    # queued → running → done | failed; done → applying → applied, or back to done when a step is
    # refused (nothing applied); done → discarded (services.planning_run_set_status).
    TRANSITIONS: dict[str, set[str]] = {
        Status.QUEUED: {Status.RUNNING, Status.FAILED},
        Status.RUNNING: {Status.DONE, Status.FAILED},
        Status.DONE: {Status.APPLYING, Status.DISCARDED},
        Status.APPLYING: {Status.APPLIED, Status.DONE},
        Status.FAILED: set(),
        Status.APPLIED: set(),
        Status.DISCARDED: set(),
    }

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="planning_runs")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seed = models.PositiveIntegerField(default=1)
    time_limit = models.PositiveSmallIntegerField(_("time limit (seconds)"), default=60)
    objective_order = models.JSONField(default=default_order)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    progress_note = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    # Apply runs in the worker (thousands of appointments in one transaction): when it started, the
    # officer's language, and why the last attempt applied nothing (in that language).
    apply_started_at = models.DateTimeField(null=True, blank=True)
    apply_language = models.CharField(max_length=8, blank=True)
    apply_error = models.TextField(blank=True)
    figures = models.JSONField(default=dict, blank=True)
    unplanned = models.JSONField(default=dict, blank=True)  # candidate id → {"code", "params"}
    # Candidates the officer took out of an earlier proposal this one re-runs: they stay out of
    # every re-run until the officer puts them back (they have no item here).
    taken_out = models.JSONField(default=list, blank=True)
    # Why a run failed, for the officer: {"code": "pin_no_longer_fits", "candidate": id, "rules": [...]}.
    failure = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("planning run")

    def __str__(self) -> str:
        return f"planning run {self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status not in (self.Status.QUEUED, self.Status.RUNNING)


class ProposalItem(models.Model):
    """One candidate's interview (with case and connection test) in a proposal."""

    run = models.ForeignKey(PlanningRun, on_delete=models.CASCADE, related_name="items")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    case_starts_at = models.DateTimeField(null=True, blank=True)
    case_ends_at = models.DateTimeField(null=True, blank=True)
    proctor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    test_starts_at = models.DateTimeField(null=True, blank=True)
    test_ends_at = models.DateTimeField(null=True, blank=True)
    test_proctor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+")
    # Re-planning: the interview that exists (moved when `moved`), and the connection test kept.
    appointment = models.ForeignKey(Appointment, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    test_appointment = models.ForeignKey(Appointment, null=True, blank=True, on_delete=models.CASCADE,
                                         related_name="+")
    moved = models.BooleanField(default=False)
    pinned = models.BooleanField(_("pinned"), default=False)
    removed = models.BooleanField(_("taken out"), default=False)
    why = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["starts_at", "jury_id", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "candidate"], name="proposal_item_one_per_candidate")]

    def __str__(self) -> str:
        return f"item {self.pk} of run {self.run_id}"



