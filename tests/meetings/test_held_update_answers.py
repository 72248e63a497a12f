"""An update held until its meeting exists asks the attendees to answer again when it carries a new
date, time or link, as an update that goes out at once does (scheduling.services.REANSWER_FIELDS);
one that changes nothing the candidate's calendar shows keeps their answer."""

from __future__ import annotations

import datetime as dt

import pytest

from interviewdesk.meetings.models import Meeting, Scope
from interviewdesk.meetings.services import meeting_work, meetings_retry
from interviewdesk.messaging.models import Invitation, Message
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.procedures.models import Role
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_set_status, appointment_update
from tests.factories import ProcedureFactory, jury_with_members, member
from tests.meetings.conftest import use_teams
from tests.meetings.fake_graph import ORGANIZER
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db


def meeting_of(appointment) -> Meeting:
    return Meeting.objects.get(links__appointment_id=appointment.pk)


def sent_and_accepted(appointment) -> Appointment:
    assert meeting_work(meeting_id=meeting_of(appointment).pk) == Meeting.State.READY
    invitation_send(appointment=appointment)
    appointment_set_status(actor=None, appointment=appointment, to=Appointment.Status.CONFIRMED)
    return Appointment.objects.get(pk=appointment.pk)


def candidate_invitation(appointment) -> Invitation:
    return Invitation.objects.get(appointment=appointment, role=Invitation.Role.CANDIDATE)


def candidate_mails(appointment) -> int:
    return Message.objects.filter(appointment=appointment, recipient_email=appointment.candidate.email).count()


@pytest.fixture
def jury_day(graph, working_day_morning):
    procedure = ProcedureFactory()
    use_teams(procedure, scope=Scope.JURY_DAY)
    appointment = sent_and_accepted(planned_interview(procedure=procedure))
    assert candidate_invitation(appointment).partstat == Invitation.PartStat.ACCEPTED
    return appointment


def test_a_held_move_to_another_day_asks_the_candidate_to_answer_again(jury_day):
    mails = candidate_mails(jury_day)
    next_day = jury_day.starts_at + dt.timedelta(days=1)
    moved = appointment_update(actor=None, appointment=jury_day, starts_at=next_day,
                               ends_at=next_day + dt.timedelta(hours=1))
    assert candidate_mails(moved) == mails  # held until the new day's meeting exists
    assert meeting_work(meeting_id=meeting_of(moved).pk) == Meeting.State.READY
    assert candidate_mails(moved) == mails + 1
    assert candidate_invitation(moved).partstat == Invitation.PartStat.NEEDS_ACTION
    assert Appointment.objects.get(pk=moved.pk).status == Appointment.Status.INVITED


def test_a_held_change_of_jury_the_same_day_gives_a_new_link_and_asks_again(jury_day):
    other_jury = jury_with_members(jury_day.procedure)
    moved = appointment_update(actor=None, appointment=jury_day, jury_id=other_jury.pk)
    assert meeting_work(meeting_id=meeting_of(moved).pk) == Meeting.State.READY
    mail = Message.objects.filter(appointment=moved, recipient_email=moved.candidate.email).latest("id")
    assert mail.kind == "update" and meeting_of(moved).join_url in mail.body_text
    assert candidate_invitation(moved).partstat == Invitation.PartStat.NEEDS_ACTION
    assert Appointment.objects.get(pk=moved.pk).status == Appointment.Status.INVITED


def test_a_held_change_of_proctor_keeps_the_candidates_answer(graph, working_day_morning):
    procedure = ProcedureFactory()
    use_teams(procedure)
    appointment = sent_and_accepted(planned_interview(procedure=procedure))
    meeting = meeting_of(appointment)
    graph.policies.clear()  # the next update of the meeting fails: what follows waits for it
    changed = appointment_update(actor=None, appointment=appointment,
                                 proctor_id=member(procedure, Role.PROCTOR).pk)
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.FAILED
    graph.policies.add(ORGANIZER)
    assert meetings_retry(procedure=procedure, actor=None) == 1
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.READY
    assert candidate_invitation(changed).partstat == Invitation.PartStat.ACCEPTED
    assert Appointment.objects.get(pk=changed.pk).status == Appointment.Status.CONFIRMED
