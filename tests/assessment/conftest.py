"""A procedure with a two-competency profile, one jury (chair + two assessors) and one interview."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from interviewdesk.assessment import services
from interviewdesk.procedures.models import Role, ScaleLevel
from tests.factories import AppointmentFactory, ProcedureFactory, jury_with_members, member, with_profile


def level_id(procedure, order: int) -> int:
    return ScaleLevel.objects.get(scale_id=procedure.scale_id, order=order).pk


def submit_sheet(appointment, user, orders: list[int]):
    """Open, fill (one level per competency, in guide order) and submit the user's sheet."""
    sheet = services.sheet_open(appointment=appointment, member=user)
    ratings = {r.guide_competency_id: {"situation": "S", "task": "T", "action": "A", "result": "R",
                                       "level": level_id(appointment.procedure, o)}
               for r, o in zip(sheet.ratings.order_by("guide_competency__order"), orders, strict=True)}
    services.sheet_save(sheet=sheet, actor=user, part1_notes="notes", ratings=ratings)
    return services.sheet_submit(sheet=sheet, actor=user)


def sign_off(appointment, chair, orders: list[int], strengths: str = "Clear examples", to_develop: str = "Delegation"):
    result = services.result_open(appointment=appointment, actor=chair)
    levels = {rl.guide_competency_id: {"level": level_id(appointment.procedure, o), "strengths": strengths,
                                       "to_develop": to_develop}
              for rl, o in zip(result.levels.order_by("guide_competency__order"), orders, strict=True)}
    services.result_save(result=result, actor=chair, levels=levels)
    return services.result_sign_off(result=result, actor=chair)


def complete(appointment, jury_users, levels_by_user: dict, consensus: list[int]):
    for user in jury_users:
        submit_sheet(appointment, user, levels_by_user[user])
    return sign_off(appointment, jury_users[0], consensus)


@pytest.fixture
def world():
    procedure = with_profile(ProcedureFactory())
    officer = member(procedure, Role.SELECTION_OFFICER)
    jury = jury_with_members(procedure)
    chair = jury.chair
    assessors = [m.user for m in jury.members.filter(role="assessor").order_by("id")]
    appointment = AppointmentFactory(procedure=procedure, jury=jury)
    return SimpleNamespace(procedure=procedure, officer=officer, jury=jury, chair=chair, a1=assessors[0],
                           a2=assessors[1], appointment=appointment, panel=[chair, *assessors])
