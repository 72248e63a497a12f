"""Issuing and checking personal links.

A link's token is never stored. It is derived: HMAC-SHA256 under SECRET_KEY of a random per-link
`nonce`; the row keeps the nonce and the SHA-256 of the token (for the lookup). So the worker can
put the link into an e-mail when it sends it (messaging.links), while the database, the outbox and
any backup of them hold no working link. A candidate keeps one link across appointment changes:
every e-mail that needs it carries the same one, and it ends only when staff revoke it, when the
candidate's address changes, when it expires (`expires_at`, see `lifetime_end`) or when the
procedure closes (docs/portal.md, "Personal link and session").

Opening the link (GET) changes nothing; a POST from that page starts the candidate's session (see
portal views), so mail scanners that prefetch links neither log anyone in nor use anything up.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from interviewdesk.core.audit import audit_record
from interviewdesk.core.batching import insert, update
from interviewdesk.procedures.models import Candidate, Procedure
from interviewdesk.scheduling.models import Appointment

from ..models import AccessToken

TOKEN_BYTES = 32  # 256 bits, URL-safe base64 → 43 characters
_SALT = "interviewdesk.portal.access_link"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _derive(nonce: str, secret: str) -> str:
    digest = salted_hmac(_SALT, nonce, secret=secret, algorithm="sha256").digest()  # 32 bytes
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _token_of(nonce: str, token_hash: str) -> str | None:
    """The token of a stored link, under SECRET_KEY or, after a key rotation, one of
    SECRET_KEY_FALLBACKS (the one whose hash matches); None when no key gives it."""
    for secret in (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())):
        raw = _derive(nonce, secret)
        if constant_time_compare(_hash(raw), token_hash):
            return raw
    return None


def lifetime_end(needed_until: dt.datetime) -> dt.datetime:
    """A link lasts PORTAL_LINK_DAYS_AFTER_USE days (default 30) after the last moment an e-mail
    needed it: the end of an appointment it was sent for, or the end of the period to ask for an
    explanation of the result."""
    return needed_until + dt.timedelta(days=getattr(settings, "PORTAL_LINK_DAYS_AFTER_USE", 30))


def _new_token(candidate: Candidate, expires_at: dt.datetime) -> tuple[AccessToken, str]:
    nonce = secrets.token_hex(TOKEN_BYTES)
    raw = _derive(nonce, settings.SECRET_KEY)
    return AccessToken(candidate=candidate, nonce=nonce, token_hash=_hash(raw), expires_at=expires_at), raw


def _needed_until(candidate: Candidate) -> dt.datetime:
    """The end of the candidate's latest appointment still on, or now."""
    latest = (Appointment.objects.filter(candidate=candidate, status__in=Appointment.ACTIVE_STATUSES)
              .aggregate(end=Max("ends_at"))["end"])
    return max(latest, timezone.now()) if latest else timezone.now()


def _working(now: dt.datetime):
    return Q(revoked_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


@transaction.atomic
def access_link_issue(*, candidate: Candidate, actor=None) -> str:
    """Revoke the candidate's links and return a new absolute one (staff reissue, the demo). The
    link returned is for the caller to show once; an e-mail carries it through
    messaging.links (`message_queue(personal_link=True)`), never as text."""
    revoked = access_link_revoke(candidate=candidate, actor=actor, reason="a new link is issued", audit=False)
    token, raw = _new_token(candidate, lifetime_end(_needed_until(candidate)))
    token.save()
    audit_record(actor=actor, action="access_link.issued", obj=token, procedure_id=candidate.procedure_id,
                 changes={"revoked_earlier": (None, revoked)})
    return personal_link(raw)


@transaction.atomic
def access_links_ensure(*, candidates: list[Candidate], needed_until: dict[int, dt.datetime], actor=None) -> None:
    """Each candidate keeps their working link (or gets one, the first time or after it expired),
    lasting at least until `lifetime_end(needed_until[candidate id])`. Earlier links stay valid.
    One SELECT for all; new links go through core.batching.insert, so a bulk send writes a whole
    group's with one INSERT."""
    now = timezone.now()
    current = {token.candidate_id: token for token in AccessToken.objects.filter(
        _working(now), candidate__in=candidates).exclude(nonce="").order_by("created_at")}  # the newest wins
    for candidate in candidates:
        until = lifetime_end(needed_until[candidate.pk])
        token = current.get(candidate.pk)
        if token is None:
            token, _raw = _new_token(candidate, until)
            insert(token)
            audit_record(actor=actor, action="access_link.issued", obj=token, procedure_id=candidate.procedure_id)
        elif token.expires_at is not None and token.expires_at < until:
            token.expires_at = until
            update(token, ["expires_at"])


def access_links_for_delivery(*, candidate_ids) -> dict[int, tuple[str, str]]:
    """{candidate id: (their address in lower case, their newest working link)}, for the worker that
    is about to send e-mails carrying the placeholder. One query; the links exist only in memory."""
    rows = (AccessToken.objects.filter(_working(timezone.now()), candidate_id__in=candidate_ids)
            .exclude(nonce="").exclude(candidate__procedure__status=Procedure.Status.CLOSED)
            .order_by("created_at").values_list("candidate_id", "nonce", "token_hash", "candidate__email"))
    links = {}
    for candidate_id, nonce, token_hash, email in rows:
        raw = _token_of(nonce, token_hash)
        if raw:
            links[candidate_id] = (email.strip().lower(), personal_link(raw))
    return links


def personal_link(raw: str) -> str:
    return settings.SITE_URL + reverse("portal:open", kwargs={"token": raw})


def access_link_revoke(*, candidate: Candidate, actor=None, reason: str = "", audit: bool = True) -> int:
    count = AccessToken.objects.filter(candidate=candidate, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if audit:
        audit_record(actor=actor, action="access_link.revoked", obj=candidate, procedure_id=candidate.procedure_id,
                     reason=reason, changes={"revoked": (None, count)})
    return count


def access_token_find(raw: str) -> tuple[AccessToken | None, str]:
    """The token and "ok", or None / the token with the reason it cannot be used:
    "unknown", "revoked", "closed" (its procedure is closed) or "expired"."""
    if not raw or len(raw) > 100:
        return None, "unknown"
    token = AccessToken.objects.select_related("candidate__procedure").filter(token_hash=_hash(raw)).first()
    if token is None:
        return None, "unknown"
    if token.revoked_at:
        return token, "revoked"
    if token.candidate.procedure.status == Procedure.Status.CLOSED:
        return token, "closed"
    if token.expires_at and token.expires_at <= timezone.now():
        return token, "expired"
    return token, "ok"
