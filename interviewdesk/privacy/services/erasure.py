"""Erasing candidates' personal data, the same way for the retention sweep and for one candidate's
request. What stays: the rows' skeleton (who did what, when, statuses, levels per competency, final
scores and outcomes, language), so statistics and the proof that a procedure ran properly remain,
without a name, an address or a free text (docs/privacy.md lists every field).

`erasure_plan(candidate_ids)` counts what would change (a dry run, no writes); `candidates_erase`
does it in the caller's transaction and returns the same counts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interviewdesk.assessment.models import Result, ResultLevel, ScoreSheet, SheetRating
from interviewdesk.core.models import AuditEntry
from interviewdesk.core.text import LazyText
from interviewdesk.live import models as live
from interviewdesk.meetings.models import Meeting
from interviewdesk.messaging.models import Invitation, Message, ReplyReview
from interviewdesk.planning.models import ProposalItem
from interviewdesk.portal import models as portal
from interviewdesk.procedures.models import Candidate, CandidatePreference, CandidateUnavailability
from interviewdesk.scheduling.models import Appointment

from ..models import CandidateErasure

ERASED_DOMAIN = "erased.invalid"  # RFC 2606: never delivered anywhere


def _erased_address(prefix: str):
    return Concat(Value(f"{prefix}-"), Cast("id", CharField()), Value(f"@{ERASED_DOMAIN}"),
                  output_field=CharField())


@dataclass(frozen=True)
class Step:
    """One kind of row to change: `rows(ids)` selects them for the candidate ids; `values` is the update,
    None deletes them. `label` says what it is, for the dry run and the officer's page."""

    key: str
    label: LazyText
    rows: Callable[[list[int]], models.QuerySet]
    values: dict | None = field(default=None)


def _appointments(ids):
    return Appointment.objects.filter(candidate_id__in=ids)


def _sessions(ids):
    return live.LiveSession.objects.filter(appointment__candidate_id__in=ids)


def _own_meetings(ids):
    """Meetings the product made that only these candidates' appointments use: their join link
    opens the candidate's interview, and the provider's error text may describe it. A meeting per
    jury and day that another candidate still uses stays until that candidate is erased too. The
    provider's ids stay: they name nobody and let the worker delete the meeting at the provider."""
    used_by_others = Appointment.objects.exclude(candidate_id__in=ids)
    own = Meeting.objects.filter(links__appointment__candidate_id__in=ids).exclude(
        links__appointment__in=used_by_others)
    return Meeting.objects.filter(pk__in=own.values("pk"))


STEPS: list[Step] = [
    Step("candidates", _("identity, contact details, CV and motivation"),
         lambda ids: Candidate.objects.filter(pk__in=ids),
         {"first_name": "", "last_name": Concat(Value("#"), Cast("id", CharField()), output_field=CharField()),
          "email": _erased_address("candidate"), "phone": "", "date_of_birth": None, "cv_text": "",
          "motivation": ""}),
    Step("unavailability", _("half-days the candidate cannot come"),
         lambda ids: CandidateUnavailability.objects.filter(candidate_id__in=ids)),
    Step("preferences", _("half-days the candidate prefers"),
         lambda ids: CandidatePreference.objects.filter(candidate_id__in=ids)),
    Step("links", _("personal links"), lambda ids: portal.AccessToken.objects.filter(candidate_id__in=ids)),
    Step("declarations", _("declarations on the personal page (phone, equipment, rules)"),
         lambda ids: portal.Readiness.objects.filter(candidate_id__in=ids)),
    Step("device_checks", _("device check results"),
         lambda ids: portal.DeviceCheck.objects.filter(candidate_id__in=ids)),
    Step("room_requests", _("room and equipment requests (texts)"),
         lambda ids: portal.RoomRequest.objects.filter(candidate_id__in=ids),
         {"reason": "", "needs": "", "decision_note": ""}),
    Step("connection_tests", _("notes on connection tests"),
         lambda ids: portal.ConnectionTestBooking.objects.filter(candidate_id__in=ids), {"notes": ""}),
    Step("adjustments", _("adjustment requests and certificates"),
         lambda ids: portal.AdjustmentRequest.objects.filter(candidate_id__in=ids),
         {"kinds": [], "details": "", "certificate": "", "certificate_type": ""}),
    Step("adjustment_decisions", _("notes on adjustment decisions"),
         lambda ids: portal.AdjustmentDecision.objects.filter(request__candidate_id__in=ids), {"note": ""}),
    Step("problem_reports", _("problems reported"),
         lambda ids: portal.ProblemReport.objects.filter(candidate_id__in=ids), {"text": ""}),
    Step("session_problem_reports", _("problems reported during a session"),
         lambda ids: live.ProblemReport.objects.filter(session__appointment__candidate_id__in=ids), {"text": ""}),
    Step("messages_to_candidate", _("e-mails to the candidate (address, subject, text)"),
         lambda ids: Message.objects.filter(candidate_id__in=ids),
         {"recipient_name": "", "recipient_email": _erased_address("message"), "subject": "", "body_text": "",
          "body_html": "", "ics": "", "last_error": ""}),
    Step("messages_about_candidate", _("e-mails to staff about the candidate (subject, text)"),
         lambda ids: Message.objects.filter(appointment__candidate_id__in=ids).exclude(candidate_id__in=ids),
         {"subject": "", "body_text": "", "body_html": "", "ics": "", "last_error": ""}),
    Step("invitations", _("the candidate's calendar invitations (address)"),
         lambda ids: Invitation.objects.filter(appointment__candidate_id__in=ids, role=Invitation.Role.CANDIDATE),
         {"email": _erased_address("invitation"), "name": ""}),
    Step("calendar_answers", _("calendar answers to check"),
         lambda ids: ReplyReview.objects.filter(appointment__candidate_id__in=ids),
         {"sender": "", "attendee": "", "proposal": {}}),
    Step("sessions", _("notes on sessions (reasons for stopping, room check)"),
         _sessions, {"stop_reason": "", "room_check_note": ""}),
    Step("session_events", _("texts in session timelines"),
         lambda ids: live.SessionEvent.objects.filter(session__appointment__candidate_id__in=ids), {"detail": ""}),
    Step("identity_checks", _("notes on identity checks"),
         lambda ids: live.IdentityCheck.objects.filter(session__appointment__candidate_id__in=ids), {"note": ""}),
    Step("incidents", _("descriptions of incidents"),
         lambda ids: live.Incident.objects.filter(session__appointment__candidate_id__in=ids), {"description": ""}),
    Step("conflict_declarations", _("jury members' declarations about the candidate (texts)"),
         lambda ids: live.ConflictDeclaration.objects.filter(appointment__candidate_id__in=ids),
         {"link_description": "", "decision_reason": ""}),
    Step("follow_ups", _("texts of follow-ups"),
         lambda ids: live.FollowUp.objects.filter(appointment__candidate_id__in=ids), {"reason": ""}),
    Step("score_sheets", _("jury notes on part 1"),
         lambda ids: ScoreSheet.objects.filter(appointment__candidate_id__in=ids), {"part1_notes": ""}),
    Step("ratings", _("jury STAR notes (levels stay)"),
         lambda ids: SheetRating.objects.filter(sheet__appointment__candidate_id__in=ids),
         {"situation": "", "task": "", "action": "", "result": ""}),
    Step("result_texts", _("written justifications of the result (levels and score stay)"),
         lambda ids: ResultLevel.objects.filter(result__appointment__candidate_id__in=ids),
         {"strengths": "", "to_develop": ""}),
    Step("meetings", _("links to the candidate's meetings and the platform's messages about them"),
         _own_meetings, {"join_url": "", "last_error": ""}),
    Step("typed_meeting_links", _("meeting links typed for the candidate's appointments"),
         lambda ids: _appointments(ids).exclude(join_url=""), {"join_url": ""}),
    Step("planning_reasons", _("planner's reasons"),
         lambda ids: ProposalItem.objects.filter(candidate_id__in=ids), {"why": {}}),
]

# Rows whose audit entries may hold the candidate's values (old and new e-mail, CV text, reasons,
# client addresses): their entries keep who, when, what and the states, with the values erased.
AUDITED = [
    lambda ids: Candidate.objects.filter(pk__in=ids),
    _appointments,
    lambda ids: portal.AccessToken.objects.filter(candidate_id__in=ids),
    lambda ids: portal.RoomRequest.objects.filter(candidate_id__in=ids),
    lambda ids: portal.AdjustmentRequest.objects.filter(candidate_id__in=ids),
    lambda ids: portal.AdjustmentDecision.objects.filter(request__candidate_id__in=ids),
    lambda ids: portal.ProblemReport.objects.filter(candidate_id__in=ids),
    lambda ids: portal.ConnectionTestBooking.objects.filter(candidate_id__in=ids),
    lambda ids: portal.Readiness.objects.filter(candidate_id__in=ids),
    lambda ids: Message.objects.filter(Q(candidate_id__in=ids) | Q(appointment__candidate_id__in=ids)),
    lambda ids: Invitation.objects.filter(appointment__candidate_id__in=ids),
    lambda ids: ReplyReview.objects.filter(appointment__candidate_id__in=ids),
    _sessions,
    lambda ids: live.Incident.objects.filter(session__appointment__candidate_id__in=ids),
    lambda ids: live.IdentityCheck.objects.filter(session__appointment__candidate_id__in=ids),
    lambda ids: live.ProblemReport.objects.filter(session__appointment__candidate_id__in=ids),
    lambda ids: live.ConflictDeclaration.objects.filter(appointment__candidate_id__in=ids),
    lambda ids: live.FollowUp.objects.filter(appointment__candidate_id__in=ids),
    lambda ids: ScoreSheet.objects.filter(appointment__candidate_id__in=ids),
    lambda ids: Result.objects.filter(appointment__candidate_id__in=ids),
    _own_meetings,
]

AUDIT_KEY = "audit_values"
AUDIT_LABEL = _("values and reasons in the audit trail (who, when and what stay)")
FILES_KEY = "files"
FILES_LABEL = _("uploaded files")


def _delete_files(storage, names) -> None:
    for name in names:
        storage.delete(name)


def step_labels() -> dict[str, LazyText]:
    return {**{step.key: step.label for step in STEPS}, FILES_KEY: FILES_LABEL, AUDIT_KEY: AUDIT_LABEL}


def _audit_entries(ids: list[int]) -> models.QuerySet:
    condition = Q(pk__in=[])
    for rows in AUDITED:
        queryset = rows(ids)
        label = queryset.model._meta.label_lower
        object_ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
        if object_ids:
            condition |= Q(object_type=label, object_id__in=object_ids)
    return AuditEntry.objects.filter(condition)


def _certificates(ids: list[int]) -> list[str]:
    return list(portal.AdjustmentRequest.objects.filter(candidate_id__in=ids).exclude(certificate="")
                .values_list("certificate", flat=True))


def erasure_plan(*, candidate_ids: list[int]) -> dict[str, int]:
    """What erasing these candidates would change, per kind (row counts). Reads only."""
    counts = {step.key: step.rows(candidate_ids).count() for step in STEPS}
    counts[FILES_KEY] = len(_certificates(candidate_ids))
    counts[AUDIT_KEY] = _audit_entries(candidate_ids).count()
    return counts


def _erase_audit_values(entries: models.QuerySet) -> int:
    changed = []
    for entry in entries.only("id", "changes", "reason", "client_address").iterator(chunk_size=500):
        entry.changes = {key: [None, None] for key in entry.changes}
        entry.reason = ""
        entry.client_address = None
        changed.append(entry)
    AuditEntry.objects.bulk_update(changed, ["changes", "reason", "client_address"], batch_size=500)
    return len(changed)


def candidates_erase(*, candidate_ids: list[int], cause: str, actor=None) -> dict[str, int]:
    """Erase the personal data of these candidates (all of one procedure) and record each erasure.
    Runs inside the caller's transaction; uploaded files are deleted once it commits."""
    candidate_ids = sorted(set(candidate_ids))
    if not candidate_ids:
        return {}
    files = _certificates(candidate_ids)
    audit_entries = list(_audit_entries(candidate_ids).values_list("pk", flat=True))
    counts: dict[str, int] = {}
    # Queued e-mails to or about them are not sent any more: their text is gone.
    Message.objects.filter(Q(candidate_id__in=candidate_ids) | Q(appointment__candidate_id__in=candidate_ids),
                           state__in=[Message.State.QUEUED, Message.State.SENDING]).update(
        state=Message.State.FAILED, next_attempt_at=None)
    for step in STEPS:
        rows = step.rows(candidate_ids)
        counts[step.key] = rows.delete()[0] if step.values is None else rows.update(**step.values)
    counts[FILES_KEY] = len(files)
    counts[AUDIT_KEY] = _erase_audit_values(AuditEntry.objects.filter(pk__in=audit_entries))
    now = timezone.now()
    procedure_ids = dict(Candidate.objects.filter(pk__in=candidate_ids).values_list("pk", "procedure_id"))
    CandidateErasure.objects.bulk_create([
        CandidateErasure(candidate_id=pk, procedure_id=procedure_ids[pk], cause=cause, erased_at=now,
                         erased_by=actor if getattr(actor, "is_authenticated", False) else None,
                         counts=counts if len(candidate_ids) == 1 else {})
        for pk in candidate_ids
    ])
    storage = portal.AdjustmentRequest._meta.get_field("certificate").storage
    transaction.on_commit(functools.partial(_delete_files, storage, files))
    return counts
