"""Asking every candidate not yet planned on which half-days they cannot come (issue 13).

Before a first plan exists, candidates have no invitation and so no personal link: the officer's
bulk action mails each of them their link and the deadline, in their language, through the
outbox (one row per candidate, delivered in batches as the bulk send does). The question is
remembered per candidate (`AvailabilityRequest`), so asking twice mails nobody twice: a second
"ask" reaches only candidates never asked (e.g. imported since), and "remind" only those asked who
have not answered. Two clicks at once are serialised on the procedure's row; the outbox's
dedupe key (candidate, how many times asked) refuses a duplicate row in any case.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from interviewdesk.core.audit import audit_record
from interviewdesk.core.batching import deferred_inserts
from interviewdesk.messaging import tasks as messaging_tasks
from interviewdesk.messaging.links import personal_links_ensure
from interviewdesk.messaging.models import Message
from interviewdesk.messaging.services import Recipient, message_queue
from interviewdesk.procedures.models import Candidate, Procedure
from interviewdesk.scheduling.models import Appointment

from ..models import AvailabilityRequest
from .unavailability import unavailability_open

ASK, REMIND = "ask", "remind"
DELIVERY_BATCH = 50  # messages per delivery task, as in a bulk send of invitations


def availability_request_refusal(procedure: Procedure) -> str | None:
    """Why the candidates cannot be asked now, or None."""
    if not procedure.first_interview_day or not procedure.last_interview_day:
        return _("Set the planning window (first and last interview day) first: candidates answer for its half-days.")
    if not procedure.unavailability_deadline:
        return _("Set the candidates' deadline first: the e-mail tells them until when they can answer.")
    if not unavailability_open(procedure):
        return _("The candidates' deadline has passed: move it in the set-up before asking them.")
    return None


def availability_request_audience(procedure: Procedure, mode: str) -> QuerySet[Candidate]:
    """Who the action mails: candidates without an interview that is on or done ("not yet
    planned"), and either never asked (ASK) or asked without an answer yet (REMIND)."""
    planned = Appointment.objects.filter(
        candidate_id=OuterRef("pk"), kind=Appointment.Kind.INTERVIEW,
        status__in=[*Appointment.ACTIVE_STATUSES, Appointment.Status.DONE])
    asked = AvailabilityRequest.objects.filter(candidate_id=OuterRef("pk"), times_sent__gt=0)
    answered = AvailabilityRequest.objects.filter(candidate_id=OuterRef("pk"), answered_at__isnull=False)
    candidates = procedure.candidates.filter(~Exists(planned), ~Exists(answered))
    candidates = candidates.filter(Exists(asked)) if mode == REMIND else candidates.filter(~Exists(asked))
    return candidates.order_by("id")


def _link_needed_until(procedure: Procedure) -> dt.datetime:
    """The link must work at least until the last interview day (an invitation extends it later)."""
    last = procedure.last_interview_day or timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(last, dt.time(23, 59)))


@transaction.atomic
def availability_request_send(*, procedure: Procedure, actor, mode: str = ASK) -> int:
    """Mail the audience of `mode` their personal link and the deadline; returns how many were
    mailed (0 when nobody is left to ask). Refused with a message when the candidates cannot answer."""
    if mode not in (ASK, REMIND):
        raise ValueError(f"unknown mode {mode!r}")
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)  # two clicks: one after the other
    refusal = availability_request_refusal(procedure)
    if refusal:
        raise ValidationError(refusal)
    candidates = list(availability_request_audience(procedure, mode))
    if not candidates:
        return 0
    now = timezone.now()
    requests = {r.candidate_id: r for r in AvailabilityRequest.objects.select_for_update().filter(
        candidate__in=candidates)}
    until = _link_needed_until(procedure)
    with deferred_inserts() as written:
        personal_links_ensure(candidates=candidates, needed_until={c.pk: until for c in candidates}, actor=actor)
        for candidate in candidates:
            request = requests.get(candidate.pk) or AvailabilityRequest(candidate=candidate)
            request.times_sent += 1
            request.asked_at = request.asked_at or now
            request.reminded_at = now if mode == REMIND else request.reminded_at
            requests[candidate.pk] = request
            message_queue(
                kind="availability_request",
                to=Recipient(candidate.email, candidate.full_name, candidate.language),
                template="portal_availability_request",
                context={"candidate": candidate, "procedure": procedure, "reminder": mode == REMIND},
                procedure=procedure, candidate=candidate, personal_link=True, enqueue=False,
                dedupe_key=f"availability-request:{candidate.pk}:{request.times_sent}", dedupe_lookup=False)
    AvailabilityRequest.objects.bulk_create([r for r in requests.values() if r.pk is None])
    AvailabilityRequest.objects.bulk_update([r for r in requests.values() if r.pk is not None],
                                            ["times_sent", "asked_at", "reminded_at"])
    ids = [m.pk for m in written.of(Message)]
    for start in range(0, len(ids), DELIVERY_BATCH):
        messaging_tasks.enqueue_batch(ids[start:start + DELIVERY_BATCH])
    audit_record(actor=actor, action="availability_request.sent", obj=procedure, procedure_id=procedure.pk,
                 changes={"mode": (None, mode), "candidates": (None, len(candidates))})
    return len(candidates)


def availability_request_counts(procedure: Procedure) -> dict[str, int]:
    """For the officer's page: how many the action would mail in each mode, and how many answered."""
    return {
        ASK: availability_request_audience(procedure, ASK).count(),
        REMIND: availability_request_audience(procedure, REMIND).count(),
        "answered": AvailabilityRequest.objects.filter(candidate__procedure=procedure,
                                                       answered_at__isnull=False).count(),
    }
