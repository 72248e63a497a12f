from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from interviewdesk.assessment import services
from interviewdesk.assessment.models import AssessmentSettings, Result, ScoreSheet
from interviewdesk.core.models import AuditEntry
from interviewdesk.procedures.models import ProfileCompetency
from interviewdesk.scheduling.models import Appointment
from tests.factories import UserFactory, competency

from .conftest import complete, level_id, sign_off, submit_sheet

pytestmark = pytest.mark.django_db


def test_the_first_guide_is_made_from_the_function_profile(world):
    guide = services.guide_ensure(procedure=world.procedure, actor=world.officer)
    assert guide.version == 1
    assert [gc.competency.code for gc in guide.competencies.all()] == ["analysing", "cooperating"]


def test_editing_a_guide_no_sheet_uses_changes_it_in_place(world):
    guide = services.guide_ensure(procedure=world.procedure)
    cid = guide.competencies.first().competency_id
    saved = services.guide_update(procedure=world.procedure, actor=world.officer, part1_questions="Why us?",
                                  competencies={cid: {"main_question": "Tell me about a problem", "anchors": {4: "ok"}}})
    assert (saved.pk, saved.version, saved.part1_questions) == (guide.pk, 1, "Why us?")
    assert saved.competencies.get(competency_id=cid).anchors == {"4": "ok"}


def test_editing_a_guide_used_by_a_sheet_makes_a_new_version_and_the_sheet_keeps_the_old(world):
    sheet = services.sheet_open(appointment=world.appointment, member=world.a1)
    old = sheet.guide
    cid = old.competencies.first().competency_id
    new = services.guide_update(procedure=world.procedure, actor=world.officer, part1_questions="New",
                                competencies={cid: {"main_question": "Changed"}})
    sheet.refresh_from_db()
    assert (new.version, sheet.guide_id) == (2, old.pk)
    assert old.competencies.get(competency_id=cid).main_question == ""
    assert AuditEntry.objects.filter(action="guide.new_version", to_state="v2").count() == 1


def test_a_second_member_of_the_same_interview_gets_the_same_guide_version(world):
    first = services.sheet_open(appointment=world.appointment, member=world.a1)
    services.guide_update(procedure=world.procedure, actor=world.officer, part1_questions="x", competencies={})
    second = services.sheet_open(appointment=world.appointment, member=world.a2)
    assert second.guide_id == first.guide_id


def test_only_a_member_of_the_interviews_jury_gets_a_sheet(world):
    with pytest.raises(ValidationError, match="jury"):
        services.sheet_open(appointment=world.appointment, member=UserFactory())


def test_submit_needs_a_level_for_every_competency(world):
    sheet = services.sheet_open(appointment=world.appointment, member=world.a1)
    with pytest.raises(ValidationError, match="every competency"):
        services.sheet_submit(sheet=sheet, actor=world.a1)


def test_a_submitted_sheet_is_locked_against_saving_and_resubmitting(world):
    sheet = submit_sheet(world.appointment, world.a1, [4, 5])
    assert sheet.status == ScoreSheet.Status.SUBMITTED
    with pytest.raises(ValidationError, match="locked"):
        services.sheet_save(sheet=sheet, actor=world.a1, part1_notes="late edit", ratings={})
    with pytest.raises(ValidationError, match="already submitted"):
        services.sheet_submit(sheet=sheet, actor=world.a1)
    sheet.refresh_from_db()
    assert sheet.part1_notes == "notes"


def test_nobody_writes_on_another_members_sheet(world):
    sheet = services.sheet_open(appointment=world.appointment, member=world.a1)
    with pytest.raises(ValidationError, match="own score sheet"):
        services.sheet_save(sheet=sheet, actor=world.a2, part1_notes="x", ratings={})


def test_a_level_of_another_scale_is_refused(world):
    from interviewdesk.procedures.models import RatingScale, ScaleLevel
    other = ScaleLevel.objects.create(scale=RatingScale.objects.create(name="other"), order=1, label={"en": "x"},
                                      min_pct=0, max_pct=100)
    sheet = services.sheet_open(appointment=world.appointment, member=world.a1)
    gc_id = sheet.ratings.first().guide_competency_id
    with pytest.raises(ValidationError, match="scale"):
        services.sheet_save(sheet=sheet, actor=world.a1, part1_notes="", ratings={gc_id: {"level": other.pk}})


def test_the_consensus_opens_only_when_every_member_submitted(world):
    submit_sheet(world.appointment, world.chair, [4, 4])
    submit_sheet(world.appointment, world.a1, [4, 4])
    with pytest.raises(ValidationError, match="every jury member"):
        services.result_open(appointment=world.appointment, actor=world.chair)
    submit_sheet(world.appointment, world.a2, [4, 4])
    assert services.result_open(appointment=world.appointment, actor=world.chair).status == Result.Status.OPEN


def test_an_assessor_cannot_lead_the_consensus(world):
    with pytest.raises(ValidationError, match="chair"):
        services.result_open(appointment=world.appointment, actor=world.a1)


def test_sign_off_needs_a_justification_per_competency(world):
    for user in world.panel:
        submit_sheet(world.appointment, user, [4, 5])
    with pytest.raises(ValidationError, match="justification"):
        sign_off(world.appointment, world.chair, [4, 5], strengths="", to_develop=" ")


def test_sign_off_computes_the_final_percentage_and_locks_the_result(world):
    result = complete(world.appointment, world.panel, {u: [4, 5] for u in world.panel}, consensus=[4, 5])
    # midpoints 63 and 84.5, equal weights; pass mark 60
    assert (result.final_pct, result.passed, result.status) == (Decimal("73.75"), True, Result.Status.SIGNED_OFF)
    assert result.signed_off_by == world.chair
    with pytest.raises(ValidationError, match="locked"):
        services.result_save(result=result, actor=world.chair, levels={})
    entry = AuditEntry.objects.get(action="result.signed_off")
    assert (entry.from_state, entry.to_state, entry.actor) == ("open", "signed_off", world.chair)


def test_profile_weights_and_the_procedures_aggregation_are_applied(world):
    ProfileCompetency.objects.filter(procedure=world.procedure, competency__code="analysing").update(weight=3)
    AssessmentSettings.objects.create(procedure=world.procedure, aggregation=AssessmentSettings.Aggregation.LOWER_BOUND_MEAN)
    result = complete(world.appointment, world.panel, {u: [2, 6] for u in world.panel}, consensus=[2, 6])
    # lower bounds 7 (weight 3) and 93 (weight 1): (21 + 93) / 4 = 28.5
    assert (result.final_pct, result.passed, result.aggregation) == (Decimal("28.50"), False, "lower_bound_mean")


def test_a_correction_needs_a_reason_and_is_audited_with_before_and_after(world):
    result = complete(world.appointment, world.panel, {u: [4, 5] for u in world.panel}, consensus=[4, 5])
    gc_id = result.levels.order_by("guide_competency__order").first().guide_competency_id
    change = {gc_id: {"level": level_id(world.procedure, 2), "strengths": "Some", "to_develop": "More"}}
    with pytest.raises(ValidationError, match="reason"):
        services.result_correct(result=result, actor=world.officer, reason=" ", levels=change)
    corrected = services.result_correct(result=result, actor=world.officer, reason="Typo in level", levels=change)
    assert (corrected.final_pct, corrected.passed) == (Decimal("49.50"), False)
    entry = AuditEntry.objects.get(action="result.corrected")
    assert (entry.actor, entry.reason) == (world.officer, "Typo in level")
    assert entry.changes["final_pct"] == ["73.75", "49.50"]
    assert entry.changes[f"competency {gc_id}"] == [4, 2]


def test_a_correction_is_refused_while_the_consensus_is_open(world):
    for user in world.panel:
        submit_sheet(world.appointment, user, [4, 5])
    result = services.result_open(appointment=world.appointment, actor=world.chair)
    with pytest.raises(ValidationError, match="still open"):
        services.result_correct(result=result, actor=world.officer, reason="x", levels={})


def test_result_notify_publishes_once_with_an_audit_entry(world):
    result = complete(world.appointment, world.panel, {u: [4, 5] for u in world.panel}, consensus=[4, 5])
    published = services.result_notify(result=result)
    assert published.status == Result.Status.PUBLISHED
    assert published.published_at is not None
    assert AuditEntry.objects.filter(action="result.published", from_state="signed_off").count() == 1
    with pytest.raises(ValidationError, match="cannot go"):
        services.result_notify(result=published)


def test_an_open_result_cannot_be_published(world):
    for user in world.panel:
        submit_sheet(world.appointment, user, [4, 5])
    result = services.result_open(appointment=world.appointment, actor=world.chair)
    with pytest.raises(ValidationError, match="cannot go"):
        services.result_notify(result=result)


def test_results_publish_publishes_every_signed_off_result_of_the_procedure(world):
    complete(world.appointment, world.panel, {u: [4, 5] for u in world.panel}, consensus=[4, 5])
    assert services.results_publish(procedure=world.procedure, actor=world.officer) == 1
    assert services.results_publish(procedure=world.procedure, actor=world.officer) == 0


def test_a_guide_no_sheet_uses_follows_the_function_profile(world):
    services.guide_ensure(procedure=world.procedure)
    ProfileCompetency.objects.filter(procedure=world.procedure, competency__code="cooperating").delete()
    ProfileCompetency.objects.create(procedure=world.procedure, competency=competency("planning"), order=5)
    guide = services.guide_ensure(procedure=world.procedure)
    assert [gc.competency.code for gc in guide.competencies.all()] == ["analysing", "planning"]


def test_a_guide_in_use_keeps_its_competencies_when_the_profile_changes(world):
    sheet = services.sheet_open(appointment=world.appointment, member=world.a1)
    ProfileCompetency.objects.create(procedure=world.procedure, competency=competency("planning"), order=5)
    services.guide_ensure(procedure=world.procedure)
    assert [gc.competency.code for gc in sheet.guide.competencies.all()] == ["analysing", "cooperating"]
    new = services.guide_update(procedure=world.procedure, actor=world.officer, part1_questions="", competencies={})
    assert [gc.competency.code for gc in new.competencies.all()] == ["analysing", "cooperating", "planning"]


def test_a_cancelled_interview_gets_no_score_sheet(world):
    world.appointment.status = Appointment.Status.CANCELLED
    world.appointment.save()
    with pytest.raises(ValidationError, match="cancelled or missed"):
        services.sheet_open(appointment=world.appointment, member=world.a1)


def test_setting_the_same_aggregation_twice_audits_once(world):
    services.aggregation_set(procedure=world.procedure, actor=world.officer, aggregation="linear_mean")
    services.aggregation_set(procedure=world.procedure, actor=world.officer, aggregation="linear_mean")
    assert AuditEntry.objects.filter(action="assessment.aggregation_set").count() == 1
