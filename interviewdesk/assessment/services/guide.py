"""Interview guide versions: made from the function profile, edited by the selection officer.

Once a score sheet uses a version, that version is frozen: an edit becomes a new version.
"""

from __future__ import annotations

from django.db import transaction

from interviewdesk.core.audit import audit_record
from interviewdesk.procedures.models import Procedure, ProfileCompetency

from ..models import AssessmentSettings, GuideCompetency, InterviewGuide

GUIDE_TEXT_FIELDS = ("main_question", "probe_situation", "probe_task", "probe_action", "probe_result")


def guide_current(procedure: Procedure) -> InterviewGuide | None:
    return procedure.interview_guides.order_by("-version").first()


def guide_preview(procedure: Procedure) -> tuple[InterviewGuide, list[GuideCompetency]]:
    """What the guide editor shows, read only: the current version and its competencies as they
    will be once saved (a version no sheet uses follows the function profile; before the first
    save, version 1 made from the profile). Unsaved rows where nothing exists yet; nothing is written."""
    guide = guide_current(procedure)
    profile = list(ProfileCompetency.objects.filter(procedure=procedure).select_related("competency")
                   .order_by("order", "id"))
    if guide is None:
        guide = InterviewGuide(procedure=procedure, version=1)
        return guide, [GuideCompetency(guide=guide, competency=pc.competency, order=pc.order, anchors={})
                       for pc in profile]
    existing = {gc.competency_id: gc for gc in guide.competencies.select_related("competency")}
    if guide.sheets.exists():
        return guide, sorted(existing.values(), key=lambda gc: (gc.order, gc.pk))
    return guide, [existing.get(pc.competency_id) or GuideCompetency(guide=guide, competency=pc.competency,
                                                                      order=pc.order, anchors={})
                   for pc in profile]


@transaction.atomic
def guide_save(*, procedure: Procedure, actor, aggregation: str, part1_questions: str,
               competencies: dict[int, dict]) -> InterviewGuide:
    """The guide editor's one action: the aggregation rule and the guide's texts, in one transaction."""
    aggregation_set(procedure=procedure, actor=actor, aggregation=aggregation)
    return guide_update(procedure=procedure, actor=actor, part1_questions=part1_questions, competencies=competencies)


def _add_profile_competencies(guide: InterviewGuide, previous: InterviewGuide | None = None) -> None:
    """One guide entry per profile competency, copying texts from the previous version when it had them."""
    old = {gc.competency_id: gc for gc in previous.competencies.all()} if previous else {}
    for pc in ProfileCompetency.objects.filter(procedure=guide.procedure).order_by("order", "id"):
        source = old.get(pc.competency_id)
        GuideCompetency.objects.create(
            guide=guide, competency_id=pc.competency_id, order=pc.order,
            anchors=dict(source.anchors) if source else {},
            **{f: getattr(source, f) if source else "" for f in GUIDE_TEXT_FIELDS},
        )


def _sync_with_profile(guide: InterviewGuide) -> None:
    """Follow changes of the function profile while no sheet uses the version yet."""
    profile = {pc.competency_id: pc.order for pc in ProfileCompetency.objects.filter(procedure=guide.procedure)}
    existing = {gc.competency_id: gc for gc in guide.competencies.all()}
    for competency_id, gc in existing.items():
        if competency_id not in profile:
            gc.delete()
        elif gc.order != profile[competency_id]:
            gc.order = profile[competency_id]
            gc.save(update_fields=["order"])
    GuideCompetency.objects.bulk_create([
        GuideCompetency(guide=guide, competency_id=cid, order=order) for cid, order in profile.items()
        if cid not in existing
    ])


@transaction.atomic
def guide_ensure(*, procedure: Procedure, actor=None) -> InterviewGuide:
    """The procedure's current guide; version 1 is made from the function profile on first use.

    A version no sheet uses yet follows the profile (competencies added, removed, reordered).
    """
    guide = guide_current(procedure)
    if guide is None:
        guide = InterviewGuide.objects.create(procedure=procedure, version=1, created_by=actor)
        _add_profile_competencies(guide)
        audit_record(actor=actor, action="guide.created", obj=guide, procedure_id=procedure.pk, to_state="v1")
    elif not guide.sheets.exists():
        _sync_with_profile(guide)
    return guide


@transaction.atomic
def guide_update(*, procedure: Procedure, actor, part1_questions: str, competencies: dict[int, dict]) -> InterviewGuide:
    """Apply the officer's edits. `competencies` maps competency id → texts and {"anchors": {order: text}}.

    A version that a score sheet already uses is never changed: the edit becomes a new version.
    """
    guide = guide_ensure(procedure=procedure, actor=actor)
    if guide.sheets.exists():
        previous = guide
        guide = InterviewGuide.objects.create(procedure=procedure, version=previous.version + 1, created_by=actor)
        _add_profile_competencies(guide, previous)
        audit_record(actor=actor, action="guide.new_version", obj=guide, procedure_id=procedure.pk,
                     from_state=f"v{previous.version}", to_state=f"v{guide.version}")
    guide.part1_questions = part1_questions
    guide.save(update_fields=["part1_questions"])
    for gc in guide.competencies.all():
        data = competencies.get(gc.competency_id)
        if data is None:
            continue
        for field in GUIDE_TEXT_FIELDS:
            setattr(gc, field, data.get(field, ""))
        gc.anchors = {str(k): v for k, v in data.get("anchors", {}).items() if v}
        gc.save()
    audit_record(actor=actor, action="guide.edited", obj=guide, procedure_id=procedure.pk)
    return guide


@transaction.atomic
def aggregation_set(*, procedure: Procedure, actor, aggregation: str) -> AssessmentSettings:
    """Choose how consensus levels become the final percentage (applies to results signed off later)."""
    row, _created = AssessmentSettings.objects.get_or_create(procedure=procedure)
    if row.aggregation != aggregation:
        previous, row.aggregation = row.aggregation, AssessmentSettings.Aggregation(aggregation)
        row.save(update_fields=["aggregation"])
        audit_record(actor=actor, action="assessment.aggregation_set", obj=row, procedure_id=procedure.pk,
                     changes={"aggregation": (previous, row.aggregation)})
    return row
