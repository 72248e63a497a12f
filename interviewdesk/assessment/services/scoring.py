"""State changes of the assessment: guide edits, score sheets, consensus, sign-off, publication."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from interviewdesk.core.audit import audit_record
from interviewdesk.procedures.models import JuryMember, Procedure, ProfileCompetency, ScaleLevel
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.selectors import jury_seat

from .. import aggregation, notifications
from ..attempts import current_attempt, scoring_refusal
from ..models import AssessmentSettings, InterviewGuide, Result, ResultLevel, ScoreSheet, SheetRating
from ..selectors import result_detail, sheet_detail
from .guide import guide_ensure, guide_preview

STAR_FIELDS = ("situation", "task", "action", "result")


# --- score sheets ----------------------------------------------------------------------------

def refuse_if_not_scorable(appointment: Appointment) -> None:
    reason = scoring_refusal(appointment)
    if reason:
        raise ValidationError(reason, code="not_scorable")


def _refuse_earlier_attempt(sheet: ScoreSheet) -> None:
    refuse_if_not_scorable(sheet.appointment)
    if sheet.attempt != current_attempt(sheet.appointment):
        raise ValidationError(_("This score sheet belongs to an earlier, stopped session of this interview."),
                              code="not_scorable")

def _sheet_guide(appointment: Appointment) -> InterviewGuide | None:
    """The guide version the interview's sheets use: every sheet of one interview uses the same
    version, even if the guide changed meanwhile. None before the first sheet."""
    sibling = ScoreSheet.objects.filter(appointment=appointment).select_related("guide").first()
    return sibling.guide if sibling else None


def _refuse_unless_seated(appointment: Appointment, member) -> None:
    if appointment.kind != Appointment.Kind.INTERVIEW or jury_seat(member, appointment) is None:
        raise ValidationError(_("Only a member of this interview's jury has a score sheet."))
    refuse_if_not_scorable(appointment)


def sheet_shown(*, appointment: Appointment, member) -> tuple[ScoreSheet, list[SheetRating]]:
    """The member's sheet and its ratings as the sheet page shows them, read only: the stored sheet,
    or before the first save an empty unsaved one on the guide `sheet_open` would use (a GET writes
    nothing; the first save, autosave or submit creates it)."""
    _refuse_unless_seated(appointment, member)
    attempt = current_attempt(appointment)
    sheet = ScoreSheet.objects.filter(appointment=appointment, member=member, attempt=attempt).first()
    if sheet:
        sheet = sheet_detail(sheet)
        return sheet, list(sheet.ratings.all())
    guide = _sheet_guide(appointment)
    if guide is not None:
        competencies = list(guide.competencies.select_related("competency").order_by("order", "id"))
    else:
        guide, competencies = guide_preview(appointment.procedure)
    # The page shows each competency's dimensions and indicators: one query for all, as sheet_detail does.
    prefetch_related_objects(competencies, "competency__dimensions__indicators")
    sheet = ScoreSheet(appointment=appointment, member=member, guide=guide, attempt=attempt)
    return sheet, [SheetRating(sheet=sheet, guide_competency=gc) for gc in competencies]


@transaction.atomic
def sheet_open(*, appointment: Appointment, member) -> ScoreSheet:
    """The member's own sheet for the interview, created when missing (by the first save, autosave
    or submit, in its transaction)."""
    _refuse_unless_seated(appointment, member)
    attempt = current_attempt(appointment)
    sheet = ScoreSheet.objects.filter(appointment=appointment, member=member, attempt=attempt).first()
    if sheet:
        return sheet
    guide = _sheet_guide(appointment) or guide_ensure(procedure=appointment.procedure)
    sheet = ScoreSheet.objects.create(appointment=appointment, member=member, guide=guide, attempt=attempt)
    SheetRating.objects.bulk_create([SheetRating(sheet=sheet, guide_competency=gc) for gc in guide.competencies.all()])
    audit_record(actor=member, action="sheet.opened", obj=sheet, procedure_id=appointment.procedure_id,
                 to_state=sheet.status)
    return sheet


def _scale_level(procedure: Procedure, level_id) -> ScaleLevel | None:
    if level_id in (None, ""):
        return None
    level = ScaleLevel.objects.filter(scale_id=procedure.scale_id, pk=level_id).first()
    if level is None:
        raise ValidationError(_("That level is not on this procedure's scale."))
    return level


@transaction.atomic
def sheet_save(*, sheet: ScoreSheet, actor, part1_notes: str, ratings: dict[int, dict]) -> ScoreSheet:
    """Store a draft. `ratings` maps guide-competency id → STAR notes and "level" (a ScaleLevel id or None)."""
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.member_id != actor.pk:
        raise ValidationError(_("You can only write on your own score sheet."))
    if sheet.is_submitted:
        raise ValidationError(_("This score sheet is submitted and locked."))
    _refuse_earlier_attempt(sheet)
    procedure = sheet.appointment.procedure
    sheet.part1_notes = part1_notes
    sheet.save(update_fields=["part1_notes", "updated_at"])
    for rating in sheet.ratings.all():
        data = ratings.get(rating.guide_competency_id)
        if data is None:
            continue
        for field in STAR_FIELDS:
            setattr(rating, field, data.get(field, ""))
        rating.level = _scale_level(procedure, data.get("level"))
        rating.save()
    return sheet


@transaction.atomic
def sheet_submit(*, sheet: ScoreSheet, actor) -> ScoreSheet:
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.member_id != actor.pk:
        raise ValidationError(_("You can only submit your own score sheet."))
    if sheet.is_submitted:
        raise ValidationError(_("This score sheet is already submitted."))
    _refuse_earlier_attempt(sheet)
    if sheet.ratings.filter(level__isnull=True).exists():
        raise ValidationError(_("Give a level for every competency before you submit."))
    sheet.status, sheet.submitted_at = ScoreSheet.Status.SUBMITTED, timezone.now()
    sheet.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(actor=actor, action="sheet.submitted", obj=sheet, procedure_id=sheet.appointment.procedure_id,
                 from_state=ScoreSheet.Status.DRAFT, to_state=ScoreSheet.Status.SUBMITTED)
    return sheet


def all_sheets_submitted(appointment: Appointment) -> bool:
    if appointment.jury_id is None:
        return False  # nobody to score it
    members = set(JuryMember.objects.filter(jury_id=appointment.jury_id).values_list("user_id", flat=True))
    submitted = set(appointment.score_sheets.filter(status=ScoreSheet.Status.SUBMITTED,
                                                    attempt=current_attempt(appointment))
                    .values_list("member_id", flat=True))
    return bool(members) and members <= submitted


# --- consensus and result --------------------------------------------------------------------

def _transition(result: Result, to: str, *, actor=None, reason: str = "", actor_label: str = "") -> None:
    if to not in Result.TRANSITIONS[result.status]:
        raise ValidationError(_("A result cannot go from “%(from)s” to “%(to)s”.") % {
            "from": result.get_status_display(), "to": Result.Status(to).label})
    previous, result.status = result.status, to
    audit_record(actor=actor, actor_label=actor_label, action=f"result.{to}", obj=result,
                 procedure_id=result.appointment.procedure_id, from_state=previous, to_state=to, reason=reason)


def _refuse_unless_chair(appointment: Appointment, actor) -> None:
    seat = jury_seat(actor, appointment)
    if seat is None or seat.role != JuryMember.Role.CHAIR:
        raise ValidationError(_("Only the jury chair leads the consensus."))
    refuse_if_not_scorable(appointment)


def _result_levels(appointment: Appointment, result: Result) -> list[ResultLevel]:
    """One consensus level per competency of the guide the current attempt's sheets use, weighted by
    the function profile."""
    sheet = appointment.score_sheets.filter(attempt=current_attempt(appointment)).first()
    if sheet is None:  # callers open the consensus only once every member has submitted a sheet
        raise ValidationError(_("The consensus opens when every jury member has submitted their sheet."))
    guide = sheet.guide
    weights = dict(ProfileCompetency.objects.filter(procedure_id=appointment.procedure_id)
                   .values_list("competency_id", "weight"))
    return [ResultLevel(result=result, guide_competency=gc, weight=weights.get(gc.competency_id, Decimal(1)))
            for gc in guide.competencies.select_related("competency")]


def result_shown(*, appointment: Appointment, actor) -> tuple[Result, list[ResultLevel]]:
    """The consensus as its page shows it, read only: the stored result, or before the chair first
    saves it an empty unsaved one (a GET writes nothing; saving or signing off creates it)."""
    _refuse_unless_chair(appointment, actor)
    existing = Result.objects.filter(appointment=appointment).first()
    if existing:
        existing = result_detail(existing)
        return existing, list(existing.levels.all())
    if not all_sheets_submitted(appointment):
        raise ValidationError(_("The consensus opens when every jury member has submitted their sheet."))
    result = Result(appointment=appointment)
    return result, _result_levels(appointment, result)


@transaction.atomic
def result_open(*, appointment: Appointment, actor) -> Result:
    """The consensus of an interview, created when missing (by the chair's first save or sign-off, in
    its transaction); only once every jury member has submitted."""
    _refuse_unless_chair(appointment, actor)
    existing = Result.objects.filter(appointment=appointment).first()
    if existing:
        return existing
    if not all_sheets_submitted(appointment):
        raise ValidationError(_("The consensus opens when every jury member has submitted their sheet."))
    result = Result.objects.create(appointment=appointment)
    ResultLevel.objects.bulk_create(_result_levels(appointment, result))
    audit_record(actor=actor, action="result.opened", obj=result, procedure_id=appointment.procedure_id,
                 to_state=result.status)
    return result


def _apply_levels(result: Result, levels: dict[int, dict]) -> dict[str, tuple]:
    changes: dict[str, tuple] = {}
    procedure = result.appointment.procedure
    for rl in result.levels.select_related("level"):
        data = levels.get(rl.guide_competency_id)
        if data is None:
            continue
        new_level = _scale_level(procedure, data.get("level"))
        before = (rl.level.order if rl.level else None, rl.strengths, rl.to_develop)
        rl.level, rl.strengths, rl.to_develop = new_level, data.get("strengths", ""), data.get("to_develop", "")
        after = (new_level.order if new_level else None, rl.strengths, rl.to_develop)
        if before != after:
            changes[f"competency {rl.guide_competency_id}"] = (before[0], after[0])
            rl.save()
    return changes


@transaction.atomic
def result_save(*, result: Result, actor, levels: dict[int, dict]) -> Result:
    result = Result.objects.select_for_update().get(pk=result.pk)
    seat = jury_seat(actor, result.appointment)
    if seat is None or seat.role != JuryMember.Role.CHAIR:
        raise ValidationError(_("Only the jury chair leads the consensus."))
    if result.is_locked:
        raise ValidationError(_("The result is signed off and locked."))
    refuse_if_not_scorable(result.appointment)
    _apply_levels(result, levels)
    return result


def _compute(result: Result) -> None:
    procedure = result.appointment.procedure
    rows = list(result.levels.select_related("level"))
    if any(rl.level is None for rl in rows):
        raise ValidationError(_("Set a consensus level for every competency."))
    if any(not (rl.strengths.strip() or rl.to_develop.strip()) for rl in rows):
        raise ValidationError(_("Write a justification (strengths or points to develop) for every competency."))
    method = AssessmentSettings.objects.filter(procedure=procedure).values_list("aggregation", flat=True).first() \
        or AssessmentSettings.Aggregation.MIDPOINT_MEAN
    scale_levels = list(ScaleLevel.objects.filter(scale_id=procedure.scale_id))
    result.final_pct = aggregation.final_percentage([(rl.level, rl.weight) for rl in rows if rl.level is not None], scale_levels, method)
    result.passed = aggregation.passes(result.final_pct, procedure.pass_mark_pct)
    result.aggregation = method


def result_preview(*, result: Result) -> Result:
    """The result as signing off would compute it, not saved (for the chair's confirmation).
    Raises the same ValidationError as the sign-off when a level or a justification is missing."""
    _compute(result)
    return result


@transaction.atomic
def result_sign_off(*, result: Result, actor) -> Result:
    result = Result.objects.select_for_update().get(pk=result.pk)
    seat = jury_seat(actor, result.appointment)
    if seat is None or seat.role != JuryMember.Role.CHAIR:
        raise ValidationError(_("Only the jury chair signs off."))
    refuse_if_not_scorable(result.appointment)
    _compute(result)
    _transition(result, Result.Status.SIGNED_OFF, actor=actor)
    result.signed_off_by, result.signed_off_at = actor, timezone.now()
    result.save()
    return result


@transaction.atomic
def result_correct(*, result: Result, actor, reason: str, levels: dict[int, dict]) -> Result:
    """A correction after sign-off: by the selection officer, with a reason, in the audit log."""
    result = Result.objects.select_for_update().get(pk=result.pk)
    if not result.is_locked:
        raise ValidationError(_("The consensus is still open: the chair changes it directly."))
    if not reason.strip():
        raise ValidationError(_("A correction needs a reason."))
    before = (result.final_pct, result.passed)
    changes = _apply_levels(result, levels)
    _compute(result)
    result.save()
    changes.update({"final_pct": (before[0], result.final_pct), "passed": (before[1], result.passed)})
    entry = audit_record(actor=actor, action="result.corrected", obj=result,
                         procedure_id=result.appointment.procedure_id, from_state=result.status,
                         to_state=result.status, changes=changes, reason=reason.strip())
    if result.status == Result.Status.PUBLISHED and (result.final_pct, result.passed) != before:
        # The candidate already has the old result: they are told, in this same transaction.
        notifications.result_corrected_mail_queue(result=result, correction_id=entry.pk)
    return result


@transaction.atomic
def result_notify(*, result: Result) -> Result:
    """Publish a signed-off result and queue the e-mail telling the candidate, in one transaction.

    The outbox row is keyed by the result, so a second call (or a retried publication) never
    mails the candidate twice; if the transaction rolls back, neither the state nor the mail stays.
    """
    result = Result.objects.select_for_update().select_related("appointment__candidate",
                                                               "appointment__procedure").get(pk=result.pk)
    _transition(result, Result.Status.PUBLISHED, actor_label="system")
    result.published_at = timezone.now()
    result.save(update_fields=["status", "published_at"])
    notifications.result_mail_queue(result=result)
    return result


def results_publish(*, procedure: Procedure, actor) -> int:
    """Publish every signed-off result of the procedure; returns how many."""
    signed = Result.objects.filter(appointment__procedure=procedure, status=Result.Status.SIGNED_OFF)
    count = 0
    for result in signed:
        result_notify(result=result)
        count += 1
    if count:
        audit_record(actor=actor, action="results.published", obj=procedure, procedure_id=procedure.pk,
                     changes={"count": (0, count)})
    return count
