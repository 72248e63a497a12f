import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from interviewdesk.core.models import AuditEntry
from interviewdesk.procedures.models import Role
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import (
    SchedulingConflict,
    appointment_cancel,
    appointment_plan,
    appointment_set_status,
    appointment_update,
)
from tests.factories import (
    CandidateFactory,
    ProcedureFactory,
    RoomFactory,
    jury_with_members,
    member,
    tomorrow_at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    procedure = ProcedureFactory()
    officer = member(procedure, Role.SELECTION_OFFICER)
    return procedure, officer, jury_with_members(procedure)


def new(procedure, jury, start, minutes=60, **kw):
    kw.setdefault("candidate", CandidateFactory(procedure=procedure))
    return Appointment(procedure=procedure, jury=jury, starts_at=start, ends_at=start + dt.timedelta(minutes=minutes),
                       join_url="https://teams.example.org/l/x", **kw)


def test_plan_saves_a_planned_appointment_and_audits_it(setup):
    procedure, officer, jury = setup
    appointment = appointment_plan(actor=officer, appointment=new(procedure, jury, tomorrow_at(9)))
    assert appointment.status == Appointment.Status.PLANNED
    entry = AuditEntry.objects.get(object_type="scheduling.appointment", object_id=str(appointment.pk))
    assert (entry.actor, entry.action, entry.to_state) == (officer, "appointment.planned", "planned")


def test_plan_refuses_the_same_jury_twice_at_once_and_names_the_conflict(setup):
    procedure, officer, jury = setup
    first = appointment_plan(actor=officer, appointment=new(procedure, jury, tomorrow_at(9)))
    with pytest.raises(SchedulingConflict) as info:
        appointment_plan(actor=officer, appointment=new(procedure, jury, tomorrow_at(9, 30)))
    chair = jury.chair
    assert any(str(chair) in m and "Jury member" in m for m in info.value.messages)
    assert info.value.conflicts[0].other == first
    assert Appointment.objects.count() == 1


def test_plan_refuses_a_candidate_in_two_appointments_at_once(setup):
    procedure, officer, jury = setup
    other_jury = jury_with_members(procedure)
    first = appointment_plan(actor=officer, appointment=new(procedure, jury, tomorrow_at(9)))
    with pytest.raises(SchedulingConflict) as info:
        appointment_plan(actor=officer, appointment=new(procedure, other_jury, tomorrow_at(9, 15), candidate=first.candidate))
    assert [c.what for c in info.value.conflicts] == ["Candidate"]


def test_plan_refuses_a_proctor_or_a_room_booked_twice(setup):
    procedure, officer, jury = setup
    proctor = member(procedure, Role.PROCTOR)
    room = RoomFactory()
    appointment_plan(actor=officer, appointment=new(procedure, jury, tomorrow_at(9), proctor=proctor, room=room,
                                                    mode=Appointment.Mode.PROVIDED_ROOM))
    other = new(procedure, jury_with_members(procedure), tomorrow_at(9, 45), proctor=proctor, room=room,
                mode=Appointment.Mode.PROVIDED_ROOM)
    with pytest.raises(SchedulingConflict) as info:
        appointment_plan(actor=officer, appointment=other)
    assert sorted(c.what for c in info.value.conflicts) == ["Proctor", "Room"]


def test_a_jury_member_sitting_on_two_juries_cannot_be_in_both_at_once(setup):
    procedure, officer, jury = setup
    shared = jury.chair
    second = jury_with_members(procedure, chair=shared)
    appointment_plan(actor=officer, appointment=new(procedure, jury, tomorrow_at(9)))
    with pytest.raises(SchedulingConflict):
        appointment_plan(actor=officer, appointment=new(procedure, second, tomorrow_at(9, 30)))


def test_back_to_back_appointments_do_not_conflict(setup):
    procedure, officer, jury = setup
    appointment_plan(actor=officer, appointment=new(procedure, jury, tomorrow_at(9)))
    appointment_plan(actor=officer, appointment=new(procedure, jury, tomorrow_at(10)))
    assert Appointment.objects.count() == 2


def test_a_cancelled_appointment_frees_its_slot(setup):
    procedure, officer, jury = setup
    first = appointment_plan(actor=officer, appointment=new(procedure, jury, tomorrow_at(9)))
    appointment_cancel(actor=officer, appointment=first, reason="candidate withdrew")
    appointment_plan(actor=officer, appointment=new(procedure, jury, tomorrow_at(9)))
    assert Appointment.objects.filter(status=Appointment.Status.PLANNED).count() == 1


def test_moving_raises_the_sequence_and_records_from_and_to(setup):
    procedure, officer, jury = setup
    appointment = appointment_plan(actor=officer, appointment=new(procedure, jury, tomorrow_at(9)))
    moved = appointment_update(actor=officer, appointment=appointment, starts_at=tomorrow_at(14),
                               ends_at=tomorrow_at(15))
    assert moved.sequence == 1
    entry = AuditEntry.objects.filter(action="appointment.updated").get()
    assert entry.changes["starts_at"][1] == str(tomorrow_at(14))


def test_moving_into_a_conflict_is_refused_and_changes_nothing(setup):
    procedure, officer, jury = setup
    appointment_plan(actor=officer, appointment=new(procedure, jury, tomorrow_at(9)))
    second = appointment_plan(actor=officer, appointment=new(procedure, jury, tomorrow_at(11)))
    with pytest.raises(SchedulingConflict):
        appointment_update(actor=officer, appointment=second, starts_at=tomorrow_at(9, 30), ends_at=tomorrow_at(10, 30))
    second.refresh_from_db()
    assert (second.starts_at, second.sequence) == (tomorrow_at(11), 0)


def test_changing_only_the_jury_does_not_raise_the_sequence(setup):
    procedure, officer, jury = setup
    appointment = appointment_plan(actor=officer, appointment=new(procedure, jury, tomorrow_at(9)))
    other = jury_with_members(procedure)
    assert appointment_update(actor=officer, appointment=appointment, jury_id=other.pk).sequence == 0


def test_cancel_raises_the_sequence_and_cannot_be_undone(setup):
    procedure, officer, jury = setup
    appointment = appointment_plan(actor=officer, appointment=new(procedure, jury, tomorrow_at(9)))
    cancelled = appointment_cancel(actor=officer, appointment=appointment)
    assert (cancelled.status, cancelled.sequence) == ("cancelled", 1)
    with pytest.raises(ValidationError):
        appointment_set_status(actor=officer, appointment=cancelled, to=Appointment.Status.CONFIRMED)


def test_a_stopped_interview_gets_a_new_time_on_the_same_appointment(setup):
    procedure, officer, jury = setup
    appointment = appointment_plan(actor=officer, appointment=new(procedure, jury, tomorrow_at(9)))
    appointment_set_status(actor=officer, appointment=appointment, to=Appointment.Status.INVITED)
    appointment_set_status(actor=officer, appointment=appointment, to=Appointment.Status.STOPPED, reason="connection lost")
    again = appointment_update(actor=officer, appointment=appointment, starts_at=tomorrow_at(15), ends_at=tomorrow_at(16))
    assert (again.pk, again.status, again.sequence) == (appointment.pk, "planned", 1)


def test_a_new_time_for_a_stopped_interview_follows_the_transition_table(setup, monkeypatch):
    """appointment_update moves a stopped interview back to planned only because the table allows it."""
    procedure, officer, jury = setup
    appointment = appointment_plan(actor=officer, appointment=new(procedure, jury, tomorrow_at(9)))
    appointment_set_status(actor=officer, appointment=appointment, to=Appointment.Status.INVITED)
    appointment_set_status(actor=officer, appointment=appointment, to=Appointment.Status.STOPPED, reason="lost")
    monkeypatch.setitem(Appointment.TRANSITIONS, Appointment.Status.STOPPED, set())
    with pytest.raises(ValidationError, match="cannot become planned"):
        appointment_update(actor=officer, appointment=appointment, starts_at=tomorrow_at(15), ends_at=tomorrow_at(16))
    appointment.refresh_from_db()
    assert (appointment.status, appointment.starts_at) == (Appointment.Status.STOPPED, tomorrow_at(9))


def test_illegal_status_change_is_refused_with_a_clear_message(setup):
    procedure, officer, jury = setup
    appointment = appointment_plan(actor=officer, appointment=new(procedure, jury, tomorrow_at(9)))
    with pytest.raises(ValidationError) as info:
        appointment_set_status(actor=officer, appointment=appointment, to=Appointment.Status.DONE)
    assert info.value.messages == ["An appointment that is planned cannot become done."]


def test_an_interview_needs_a_jury_and_a_provided_room_needs_a_room(setup):
    procedure, officer, _jury = setup
    with pytest.raises(ValidationError) as info:
        appointment_plan(actor=officer, appointment=new(procedure, None, tomorrow_at(9), mode=Appointment.Mode.PROVIDED_ROOM))
    assert info.value.messages == ["An interview needs a jury.", "Choose the room the candidate will use."]


def test_end_before_start_is_refused_even_across_the_autumn_clock_change(setup):
    import zoneinfo

    procedure, officer, jury = setup
    brussels = zoneinfo.ZoneInfo("Europe/Brussels")
    # 25 Oct 2026 02:30 happens twice; fold=1 (the second, UTC+1) is *later* than fold=0 (UTC+2).
    start = dt.datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=brussels)
    end = dt.datetime(2026, 10, 25, 2, 45, fold=0, tzinfo=brussels)  # 45 minutes *before* the start
    appointment = Appointment(procedure=procedure, jury=jury, candidate=CandidateFactory(procedure=procedure),
                              starts_at=start, ends_at=end)
    with pytest.raises(ValidationError) as info:
        appointment_plan(actor=officer, appointment=appointment)
    assert "The end must be after the start." in info.value.messages
