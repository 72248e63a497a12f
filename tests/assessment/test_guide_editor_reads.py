"""The guide editor's page only reads; saving is one transaction (issue 15, "Reads never write")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from interviewdesk.assessment import services
from interviewdesk.assessment.models import AssessmentSettings, InterviewGuide
from interviewdesk.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def guide_url(world) -> str:
    return reverse("assessment:guide_edit", args=[world.procedure.pk])


def test_opening_the_guide_editor_writes_nothing_and_shows_the_profile(client, world):
    client.force_login(world.officer)
    audit_before = AuditEntry.objects.count()
    page = client.get(guide_url(world)).content.decode()
    assert not InterviewGuide.objects.filter(procedure=world.procedure).exists()
    assert AuditEntry.objects.count() == audit_before
    for pc in world.procedure.profile.select_related("competency"):
        assert str(pc.competency.label()) in page  # version 1 as it will be made from the function profile


def test_the_first_save_makes_version_1_with_the_texts(client, world):
    cid = world.procedure.profile.order_by("order").first().competency_id
    client.force_login(world.officer)
    response = client.post(guide_url(world), {"part1_questions": "Why this post?", "aggregation": "linear_mean",
                                              f"c{cid}_main_question": "A time you analysed data?"})
    assert response.status_code == 302
    guide = InterviewGuide.objects.get(procedure=world.procedure)
    assert (guide.version, guide.part1_questions) == (1, "Why this post?")
    assert guide.competencies.get(competency_id=cid).main_question == "A time you analysed data?"


def test_a_profile_change_shows_in_the_editor_without_touching_the_stored_guide(client, world):
    guide = services.guide_ensure(procedure=world.procedure)
    removed = world.procedure.profile.order_by("order").first()
    removed.delete()
    client.force_login(world.officer)
    page = client.get(guide_url(world)).content.decode()
    assert f'name="c{removed.competency_id}_main_question"' not in page
    assert guide.competencies.filter(competency_id=removed.competency_id).exists()  # still stored until a save


def test_saving_the_guide_is_all_or_nothing(world, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("interviewdesk.assessment.services.guide.guide_update", broken)
    with pytest.raises(RuntimeError):
        services.guide_save(procedure=world.procedure, actor=world.officer, aggregation="linear_mean",
                            part1_questions="x", competencies={})
    assert not AssessmentSettings.objects.filter(procedure=world.procedure, aggregation="linear_mean").exists()
    assert not AuditEntry.objects.filter(action="assessment.aggregation_set").exists()
