"""The candidate's access: a personal link with a long random token, stored hashed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from interviewdesk.procedures.models import Candidate


class AccessToken(models.Model):
    """One personal link. Only the SHA-256 of the token is stored; the link itself is shown once
    (in the invitation e-mail). Issuing a new link revokes the previous ones."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="access_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"access token #{self.pk} for candidate #{self.candidate_id}"
