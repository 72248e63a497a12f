"""Issuing and checking personal links.

The raw token appears only in the link sent to the candidate. Opening the link (GET)
changes nothing; a POST from that page starts the candidate's session (see portal views),
so mail scanners that prefetch links neither log anyone in nor use anything up.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from interviewdesk.core.audit import audit_record
from interviewdesk.core.batching import insert
from interviewdesk.procedures.models import Candidate, Procedure

from .models import AccessToken

TOKEN_BYTES = 32  # 256 bits, URL-safe base64 → 43 characters


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def access_link_issue(*, candidate: Candidate, actor=None) -> str:
    """Revoke the candidate's earlier links and return a new absolute personal link."""
    return access_links_issue(candidates=[candidate], actor=actor)[candidate.pk]


@transaction.atomic
def access_links_issue(*, candidates: list[Candidate], actor=None) -> dict[int, str]:
    """A new personal link for each candidate, earlier ones revoked: {candidate id: link}.
    A bulk send issues a whole group's links with one UPDATE and one INSERT (the new tokens go
    through core.batching.insert, so inside deferred_inserts() they are written with the rest)."""
    now = timezone.now()
    active = AccessToken.objects.filter(candidate__in=candidates, revoked_at__isnull=True)
    earlier = Counter(active.values_list("candidate_id", flat=True))
    if earlier:
        active.update(revoked_at=now)
    links = {}
    for candidate in candidates:
        raw = secrets.token_urlsafe(TOKEN_BYTES)
        token = insert(AccessToken(candidate=candidate, token_hash=_hash(raw)))
        audit_record(actor=actor, action="access_link.issued", obj=token, procedure_id=candidate.procedure_id,
                     changes={"revoked_earlier": (None, earlier[candidate.pk])})
        links[candidate.pk] = personal_link(raw)
    return links


def personal_link(raw: str) -> str:
    return settings.SITE_URL + reverse("portal:open", kwargs={"token": raw})


def access_link_revoke(*, candidate: Candidate, actor=None, reason: str = "") -> int:
    count = AccessToken.objects.filter(candidate=candidate, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record(actor=actor, action="access_link.revoked", obj=candidate, procedure_id=candidate.procedure_id,
                 reason=reason, changes={"revoked": (None, count)})
    return count


def access_token_find(raw: str) -> tuple[AccessToken | None, str]:
    """The token and "ok", or None / the token with the reason it cannot be used:
    "unknown", "revoked", "expired" (its own expiry or its procedure closed)."""
    if not raw or len(raw) > 100:
        return None, "unknown"
    token = AccessToken.objects.select_related("candidate__procedure").filter(token_hash=_hash(raw)).first()
    if token is None:
        return None, "unknown"
    if token.revoked_at:
        return token, "revoked"
    if (token.expires_at and token.expires_at <= timezone.now()) or (
        token.candidate.procedure.status == Procedure.Status.CLOSED
    ):
        return token, "expired"
    return token, "ok"
