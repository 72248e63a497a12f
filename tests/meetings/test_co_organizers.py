"""Who may admit the candidate: the jury and the proctor are the Teams meeting's co-organizers, so a
change of people alone (another proctor, another jury, a jury member replaced) updates the meeting's
participants at Graph (a PATCH), as a move updates its times."""

from __future__ import annotations

import datetime as dt

import pytest

from interviewdesk.meetings.models import Meeting, Scope
from interviewdesk.meetings.services import meeting_work, meetings_work_due
from interviewdesk.procedures.models import JuryMember, Role
from interviewdesk.scheduling.services import appointment_update
from interviewdesk.setup.services import jury_save
from tests.factories import ProcedureFactory, UserFactory, jury_with_members, member
from tests.meetings.conftest import use_teams
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db


def co_organizers(request) -> list[str]:
    attendees = request.body["participants"]["attendees"]
    assert {a["role"] for a in attendees} == {"coOrganizer"}
    return sorted(a["upn"] for a in attendees)


def staff_of(appointment) -> list[str]:
    appointment.refresh_from_db()
    people = [m.user.email.lower() for m in appointment.jury.members.select_related("user")]
    return sorted([*people, appointment.proctor.email.lower()])


def made(appointment) -> Meeting:
    meeting = Meeting.objects.get(links__appointment=appointment)
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.READY
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def teams_procedure(graph, working_day_morning):
    procedure = ProcedureFactory()
    use_teams(procedure)
    return procedure


def test_another_proctor_alone_updates_the_meetings_co_organizers(graph, teams_procedure):
    appointment = planned_interview(procedure=teams_procedure)
    meeting = made(appointment)
    before = len(graph.graph_calls("PATCH"))
    newcomer = member(teams_procedure, Role.PROCTOR)
    appointment_update(actor=None, appointment=appointment, proctor_id=newcomer.pk)
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.READY
    patches = graph.graph_calls("PATCH")[before:]
    assert len(patches) == 1 and patches[0].path.endswith(f"/onlineMeetings/{meeting.provider_id}")
    assert newcomer.email.lower() in co_organizers(patches[0])
    assert co_organizers(patches[0]) == staff_of(appointment)
    assert len(graph.graph_calls("POST")) == 1  # the same meeting, the same link


def test_another_jury_alone_updates_the_meetings_co_organizers(graph, teams_procedure):
    appointment = planned_interview(procedure=teams_procedure)
    meeting = made(appointment)
    old = staff_of(appointment)
    other_jury = jury_with_members(teams_procedure)
    appointment_update(actor=None, appointment=appointment, jury_id=other_jury.pk)
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.READY
    patch = graph.graph_calls("PATCH")[-1]
    assert co_organizers(patch) == staff_of(appointment) != old
    assert len(graph.graph_calls("POST")) == 1


@pytest.mark.parametrize("scope", [Scope.APPOINTMENT, Scope.JURY_DAY])
def test_a_jury_member_replaced_in_the_set_up_updates_the_coming_meetings_of_that_jury(graph, teams_procedure,
                                                                                       scope):
    use_teams(teams_procedure, scope=scope)
    appointment = planned_interview(procedure=teams_procedure)
    meeting = made(appointment)
    jury = appointment.jury
    chair = jury.members.get(role=JuryMember.Role.CHAIR).user
    leaving, staying = [m.user for m in jury.members.filter(role=JuryMember.Role.ASSESSOR).order_by("id")]
    newcomer = UserFactory()
    officer = member(teams_procedure, Role.SELECTION_OFFICER)
    before = len(graph.graph_calls("PATCH"))

    jury_save(actor=officer, procedure=teams_procedure, jury=jury, name=jury.name, languages=jury.languages,
              chair=chair, assessors=[staying, newcomer])
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.PENDING  # handed to the worker in the set-up's transaction
    assert meetings_work_due() == 1
    patch, = graph.graph_calls("PATCH")[before:]
    assert patch.path.endswith(f"/onlineMeetings/{meeting.provider_id}")
    upns = co_organizers(patch)
    assert newcomer.email.lower() in upns and leaving.email.lower() not in upns
    assert upns == staff_of(appointment)
    assert len(graph.graph_calls("POST")) == 1


def test_a_jury_change_leaves_past_and_cancelled_meetings_and_other_juries_alone(graph, teams_procedure,
                                                                                  time_machine):
    ours = planned_interview(procedure=teams_procedure)
    theirs = planned_interview(procedure=teams_procedure)
    made(ours), made(theirs)
    time_machine.move_to(ours.ends_at + dt.timedelta(hours=1), tick=False)  # the interviews are over
    jury = ours.jury
    chair = jury.members.get(role=JuryMember.Role.CHAIR).user
    officer = member(teams_procedure, Role.SELECTION_OFFICER)
    jury_save(actor=officer, procedure=teams_procedure, jury=jury, name=jury.name, languages=jury.languages,
              chair=chair, assessors=[UserFactory()])
    assert not Meeting.objects.filter(state=Meeting.State.PENDING).exists()
