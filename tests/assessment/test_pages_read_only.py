"""Opening a score sheet or the consensus page writes nothing (issue 15, "reads never write"): the page
shows an empty sheet or consensus; the first save (or submit, or sign-off) creates the rows, in the
same transaction as what it stores."""

from __future__ import annotations

import pytest
from django.urls import reverse

from interviewdesk.assessment.models import (
    GuideCompetency,
    InterviewGuide,
    Result,
    ResultLevel,
    ScoreSheet,
    SheetRating,
)
from interviewdesk.core.models import AuditEntry
from tests.gets import get_writing_nothing

from .conftest import level_id, submit_sheet

pytestmark = pytest.mark.django_db

SHEET_ROWS = (ScoreSheet, SheetRating, InterviewGuide, GuideCompetency, AuditEntry)
RESULT_ROWS = (Result, ResultLevel, AuditEntry)


def iv(name, world):
    return reverse(f"assessment:{name}", kwargs={"pk": world.procedure.pk, "appointment_id": world.appointment.pk})


def typed(response, orders, notes="typed"):
    """The sheet form as shown, filled in: STAR notes and one level per competency in page order."""
    data = {"part1_notes": notes}
    for (_rating, fields, level), order in zip(response.context["groups"], orders, strict=True):
        data |= {field.html_name: "written" for field in fields}
        data[level.html_name] = str(level_id(response.context["procedure"], order)) if order else ""
    return data


def test_opening_a_sheet_before_any_guide_exists_writes_nothing(client, world):
    client.force_login(world.a1)
    response = get_writing_nothing(client, iv("sheet", world), *SHEET_ROWS)
    assert response.status_code == 200
    assert len(response.context["groups"]) == 2  # the profile's two competencies, ready to be written
    assert "Submit and lock" in response.content.decode()


def test_opening_a_sheet_when_colleagues_have_theirs_writes_nothing(client, world):
    submit_sheet(world.appointment, world.a2, [3, 4])
    client.force_login(world.a1)
    response = get_writing_nothing(client, iv("sheet", world), *SHEET_ROWS)
    assert response.status_code == 200
    assert response.context["guide"] == ScoreSheet.objects.get(member=world.a2).guide


def test_the_first_save_creates_the_sheet_with_what_was_typed(client, world):
    client.force_login(world.a1)
    shown = client.get(iv("sheet", world))
    response = client.post(iv("sheet", world), typed(shown, [3, None]))
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(member=world.a1)
    assert sheet.part1_notes == "typed"
    ratings = list(sheet.ratings.order_by("guide_competency__order"))
    assert [r.level.order if r.level else None for r in ratings] == [3, None]
    assert {r.situation for r in ratings} == {"written"}
    assert AuditEntry.objects.filter(action="sheet.opened").count() == 1


def test_the_first_autosave_and_a_direct_submit_create_the_sheet(client, world):
    client.force_login(world.a1)
    shown = client.get(iv("sheet", world))
    assert client.post(iv("sheet_autosave", world), typed(shown, [2, None])).status_code == 200
    assert ScoreSheet.objects.get(member=world.a1).ratings.filter(level__isnull=False).count() == 1
    client.force_login(world.a2)
    shown = client.get(iv("sheet", world))
    client.post(iv("sheet_submit", world), typed(shown, [4, 5]))
    assert ScoreSheet.objects.get(member=world.a2).status == ScoreSheet.Status.SUBMITTED


def test_opening_the_consensus_writes_nothing(client, world):
    for user in world.panel:
        submit_sheet(world.appointment, user, [4, 5])
    client.force_login(world.chair)
    response = get_writing_nothing(client, iv("consensus", world), *RESULT_ROWS)
    assert response.status_code == 200
    assert len(response.context["groups"]) == 2
    assert not Result.objects.exists()


def test_saving_or_signing_off_the_consensus_creates_the_result(client, world):
    for user in world.panel:
        submit_sheet(world.appointment, user, [4, 5])
    client.force_login(world.chair)
    response = client.get(iv("consensus", world))
    data = {}
    for (_rl, fields, _row), order in zip(response.context["groups"], [4, 5], strict=True):
        level, strengths, to_develop = fields
        data |= {level.html_name: level_id(world.procedure, order), strengths.html_name: "Good",
                 to_develop.html_name: "Delegation"}
    # "Sign off" from a consensus never saved: the typed levels are saved and the confirmation shown
    confirm = client.post(iv("sign_off", world), data)
    assert confirm.status_code == 200
    result = Result.objects.get(appointment=world.appointment)
    assert [rl.level.order for rl in result.levels.order_by("guide_competency__order")] == [4, 5]
    client.post(iv("sign_off", world), {"confirmed": "yes"})
    result.refresh_from_db()
    assert result.status == Result.Status.SIGNED_OFF
