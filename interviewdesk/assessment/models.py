"""STAR assessment: interview guides, score sheets, results.

A guide is versioned: once a score sheet uses a version, editing the guide makes a new
version and the existing sheets keep theirs (services.guide_update).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from interviewdesk.procedures.models import Competency, Procedure, ScaleLevel
from interviewdesk.scheduling.models import Appointment


class AssessmentSettings(models.Model):
    """How one procedure turns consensus levels into a final percentage."""

    class Aggregation(models.TextChoices):
        MIDPOINT_MEAN = "midpoint_mean", _("weighted mean of the levels' band midpoints")
        LOWER_BOUND_MEAN = "lower_bound_mean", _("weighted mean of the levels' band lower bounds")
        LINEAR_MEAN = "linear_mean", _("weighted mean level mapped linearly onto 0-100 %")

    procedure = models.OneToOneField(Procedure, on_delete=models.CASCADE, related_name="assessment_settings")
    aggregation = models.CharField(_("aggregation"), max_length=20, choices=Aggregation.choices,
                                   default=Aggregation.MIDPOINT_MEAN)

    def __str__(self) -> str:
        return f"{self.procedure.reference}: {self.get_aggregation_display()}"


class InterviewGuide(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="interview_guides")
    version = models.PositiveIntegerField(_("version"))
    part1_questions = models.TextField(_("part 1 questions (CV and motivation)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["procedure", "-version"]
        constraints = [models.UniqueConstraint(fields=["procedure", "version"], name="guide_version_unique")]
        verbose_name = _("interview guide")

    def __str__(self) -> str:
        return f"{self.procedure.reference} v{self.version}"


class GuideCompetency(models.Model):
    """One competency of the profile as the guide asks about it (texts are the officer's)."""

    guide = models.ForeignKey(InterviewGuide, on_delete=models.CASCADE, related_name="competencies")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    main_question = models.TextField(_("main STAR question"), blank=True)
    probe_situation = models.TextField(_("follow-up: situation"), blank=True)
    probe_task = models.TextField(_("follow-up: task"), blank=True)
    probe_action = models.TextField(_("follow-up: action"), blank=True)
    probe_result = models.TextField(_("follow-up: result"), blank=True)
    # Behavioural anchor per scale level: {"<level order>": "text"}.
    anchors = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["guide", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["guide", "competency"], name="guide_competency_unique")]

    def __str__(self) -> str:
        return f"{self.guide}: {self.competency}"

    def anchor(self, level_order: int) -> str:
        return self.anchors.get(str(level_order), "")


class ScoreSheet(models.Model):
    """One jury member's independent notes and levels for one interview."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="score_sheets")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="score_sheets")
    guide = models.ForeignKey(InterviewGuide, on_delete=models.PROTECT, related_name="sheets")
    # The live attempt the sheet belongs to: a stopped attempt's notes never count for a later one.
    attempt = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    part1_notes = models.TextField(_("notes on part 1 (CV and motivation)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["appointment", "id"]
        constraints = [models.UniqueConstraint(fields=["appointment", "member", "attempt"],
                                               name="one_sheet_per_member_and_attempt")]

    def __str__(self) -> str:
        return f"sheet #{self.pk}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class SheetRating(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="ratings")
    guide_competency = models.ForeignKey(GuideCompetency, on_delete=models.PROTECT, related_name="+")
    situation = models.TextField(_("situation"), blank=True)
    task = models.TextField(_("task"), blank=True)
    action = models.TextField(_("action"), blank=True)
    result = models.TextField(_("result"), blank=True)
    level = models.ForeignKey(ScaleLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["sheet", "guide_competency__order", "guide_competency_id"]
        constraints = [models.UniqueConstraint(fields=["sheet", "guide_competency"], name="one_rating_per_competency")]

    def __str__(self) -> str:
        return f"rating #{self.pk}"


class Result(models.Model):
    """The jury's consensus on one interview, and the final percentage computed from it."""

    class Status(models.TextChoices):
        OPEN = "open", _("consensus open")
        SIGNED_OFF = "signed_off", _("signed off")
        PUBLISHED = "published", _("published")

    TRANSITIONS: dict[str, set[str]] = {
        Status.OPEN: {Status.SIGNED_OFF},
        Status.SIGNED_OFF: {Status.PUBLISHED},
        Status.PUBLISHED: set(),
    }

    appointment = models.OneToOneField(Appointment, on_delete=models.CASCADE, related_name="assessment_result")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    final_pct = models.DecimalField(_("final score (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True)
    aggregation = models.CharField(max_length=20, blank=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["appointment"]

    def __str__(self) -> str:
        return f"result #{self.pk}"

    @property
    def is_locked(self) -> bool:
        return self.status != self.Status.OPEN


class ResultLevel(models.Model):
    """The consensus level of one competency, with the chair's written justification."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="levels")
    guide_competency = models.ForeignKey(GuideCompetency, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(ScaleLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    strengths = models.TextField(_("strengths"), blank=True)
    to_develop = models.TextField(_("points to develop"), blank=True)
    weight = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("1"))

    class Meta:
        ordering = ["result", "guide_competency__order", "guide_competency_id"]
        constraints = [models.UniqueConstraint(fields=["result", "guide_competency"], name="one_level_per_competency")]

    def __str__(self) -> str:
        return f"result level #{self.pk}"
