"""Retention per procedure and the record of each erasure (numbers only, never the erased values)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from interviewdesk.procedures.models import Candidate, Procedure


class RetentionPolicy(models.Model):
    """How long a procedure's candidate data are kept after it is closed. A procedure without a row
    keeps them settings.RETENTION_MONTHS months."""

    procedure = models.OneToOneField(Procedure, on_delete=models.CASCADE, related_name="retention_policy")
    months = models.PositiveSmallIntegerField(
        _("months after the procedure is closed"), validators=[MinValueValidator(1), MaxValueValidator(120)])
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    def __str__(self) -> str:
        return f"retention of procedure #{self.procedure_id}: {self.months} months"


class CandidateErasure(models.Model):
    """A candidate whose personal data were erased: when, why (retention or their request), by whom,
    and how many rows of each kind were erased. Nothing here names the candidate."""

    class Cause(models.TextChoices):
        RETENTION = "retention", _("retention period over")
        REQUEST = "request", _("the candidate's request")

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="erasure")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    cause = models.CharField(_("cause"), max_length=10, choices=Cause.choices)
    erased_at = models.DateTimeField(_("erased at"))
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-erased_at", "-id"]

    def __str__(self) -> str:
        return f"erasure of candidate #{self.candidate_id} ({self.cause})"
