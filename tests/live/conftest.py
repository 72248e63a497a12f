"""Shared setup for the live-session tests: a procedure with its staff and an interview starting now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from interviewdesk.core.models import User
from interviewdesk.live import services
from interviewdesk.live.models import LiveSession, State
from interviewdesk.procedures.models import Procedure, Role
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, ProcedureFactory, jury_with_members, member


@dataclass
class Setup:
    procedure: Procedure
    officer: User
    proctor: User
    chair: User
    assessors: list[User]
    appointment: Appointment

    @property
    def session(self) -> LiveSession:
        return services.session_current(self.appointment)


def make_setup(**procedure_fields) -> Setup:
    procedure = ProcedureFactory(**procedure_fields)
    officer = member(procedure, Role.SELECTION_OFFICER)
    proctor = member(procedure, Role.PROCTOR)
    jury = jury_with_members(procedure)
    seats = list(jury.members.select_related("user"))
    start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=2)
    appointment = AppointmentFactory(procedure=procedure, jury=jury, proctor=proctor, starts_at=start,
                                     ends_at=start + dt.timedelta(hours=1), status=Appointment.Status.INVITED)
    return Setup(procedure, officer, proctor, seats[0].user, [s.user for s in seats[1:]], appointment)


@pytest.fixture(autouse=True)
def _at_ten_today(today_at_ten):
    """A live session starts "now", and the console shows today's sessions: at 23:59 one starting in
    two minutes would be tomorrow's. So these tests run at 10:00 on whatever day it is (TEST_NOW
    still picks the day: a weekend, a DST Sunday, 1 January), the clock ticking."""


@pytest.fixture
def setup(db) -> Setup:
    return make_setup()


def declare_all(s: Setup) -> None:
    for user in [s.chair, *s.assessors]:
        services.declaration_submit(actor=user, appointment=s.appointment, has_link=False)


def bring_to(s: Setup, state: str) -> LiveSession:
    """Drive the session through the real services up to `state` (a path without preparation)."""
    session = s.session
    session.refresh_from_db()
    steps = [
        (State.CANDIDATE_WAITING, lambda: services.session_checkin(actor=s.proctor, session=session)),
        (State.IDENTITY_CHECKED, lambda: services.session_identity_record(
            actor=s.proctor, session=session, document_type="belgian_eid", result="match")),
        (State.RULES_CONFIRMED, lambda: services.session_rules_confirm(
            actor=s.proctor, session=session, rules_reminded=True, camera_microphone_on=True)),
        (State.PART_1, lambda: (declare_all(s), services.session_part_1_start(actor=s.chair, session=session))),
        (State.PART_2, lambda: services.session_part_2_start(actor=s.chair, session=session)),
        (State.CLOSED, lambda: services.session_close(actor=s.chair, session=session)),
    ]
    order = [State.SCHEDULED, *(target for target, _step in steps)]
    for target, step in steps:
        if session.state == state:
            break
        if order.index(session.state) >= order.index(target):
            continue  # already past this step
        step()
        session.refresh_from_db()
        assert session.state == target
    return session
