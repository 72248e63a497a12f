import datetime as dt
import itertools

import pytest
import time_machine
from django.core.exceptions import ValidationError

from interviewdesk.core.models import AuditEntry
from interviewdesk.live import services
from interviewdesk.live.models import TRANSITIONS, IdentityCheck, LiveSession, PhaseTiming, State
from interviewdesk.live.services.machine import apply
from interviewdesk.procedures.models import Procedure
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, tomorrow_at
from tests.live.conftest import bring_to, declare_all, make_setup

pytestmark = pytest.mark.django_db


def transitions_of(session):
    return list(AuditEntry.objects.filter(object_type="live.livesession", object_id=str(session.pk))
                .order_by("id").values_list("from_state", "to_state"))


def test_a_session_runs_from_scheduled_to_closed_and_every_step_is_audited_with_who(setup):
    session = bring_to(setup, State.CLOSED)
    assert transitions_of(session) == [
        ("scheduled", "candidate_waiting"), ("candidate_waiting", "identity_checked"),
        ("identity_checked", "rules_confirmed"), ("rules_confirmed", "part_1"), ("part_1", "part_2"),
        ("part_2", "closed"),
    ]
    actors = list(AuditEntry.objects.filter(object_type="live.livesession").order_by("id")
                  .values_list("actor__username", flat=True))
    assert actors == [setup.proctor.username] * 3 + [setup.chair.username] * 3
    setup.appointment.refresh_from_db()
    assert setup.appointment.status == Appointment.Status.DONE


def test_closing_records_the_start_and_end_of_both_parts(setup):
    session = bring_to(setup, State.CLOSED)
    phases = list(PhaseTiming.objects.filter(session=session).values_list("phase", flat=True))
    assert phases == ["part_1", "part_2"]
    assert all(p.ended_at is not None and p.ended_at >= p.started_at for p in session.phases.all())


ILLEGAL = [(a, b) for a, b in itertools.product(State.values, State.values) if b not in TRANSITIONS[a]]


@pytest.mark.parametrize(("start", "to"), ILLEGAL)
def test_every_illegal_transition_is_refused_with_a_clear_message(setup, start, to):
    session = setup.session
    LiveSession.objects.filter(pk=session.pk).update(state=start)
    session.refresh_from_db()
    with pytest.raises(services.IllegalTransition) as info:
        apply(session, to, actor=setup.proctor)
    assert info.value.messages == [
        f"A session that is “{State(start).label}” cannot become “{State(to).label}”."
    ]
    session.refresh_from_db()
    assert session.state == start


def test_part_two_cannot_start_from_the_lobby(setup):
    session = bring_to(setup, State.CANDIDATE_WAITING)
    with pytest.raises(services.IllegalTransition) as info:
        services.session_part_2_start(actor=setup.chair, session=session)
    assert info.value.messages == [
        "A session that is “candidate waiting in the lobby” cannot become “part 2: competencies”."
    ]


def test_no_show_is_refused_before_fifteen_minutes_after_the_start_and_accepted_after(setup):
    session = setup.session
    start = setup.appointment.starts_at
    with (
        time_machine.travel(start + dt.timedelta(minutes=14, seconds=59), tick=False),
        pytest.raises(services.IllegalTransition) as info,
    ):
        services.session_mark_no_show(actor=setup.proctor, session=session)
    assert "can be marked absent from" in info.value.messages[0]
    with time_machine.travel(start + dt.timedelta(minutes=15), tick=False):
        session = services.session_mark_no_show(actor=setup.proctor, session=session)
    assert session.state == State.NO_SHOW
    setup.appointment.refresh_from_db()
    assert setup.appointment.status == Appointment.Status.NO_SHOW


def test_the_no_show_delay_is_configurable(setup, settings):
    settings.LIVE_NO_SHOW_MINUTES = 5
    with time_machine.travel(setup.appointment.starts_at + dt.timedelta(minutes=5), tick=False):
        session = services.session_mark_no_show(actor=setup.proctor, session=setup.session)
    assert session.state == State.NO_SHOW


def test_a_cancelled_appointment_cannot_check_in(setup):
    Appointment.objects.filter(pk=setup.appointment.pk).update(status=Appointment.Status.CANCELLED)
    setup.appointment.refresh_from_db()
    with pytest.raises(services.IllegalTransition) as info:
        services.session_checkin(actor=setup.proctor, session=setup.session)
    assert info.value.messages == ["This appointment is cancelled."]


@pytest.mark.parametrize(("document", "result"), [("belgian_eid", "mismatch"), ("none", "no_document")])
def test_identity_mismatch_or_no_document_stops_the_session_with_the_reason(setup, document, result):
    session = bring_to(setup, State.CANDIDATE_WAITING)
    session = services.session_identity_record(actor=setup.proctor, session=session, document_type=document,
                                               result=result, note="Photo differs")
    assert session.state == State.STOPPED
    assert session.stop_reason_display.startswith("Identity not confirmed: ")
    assert session.stop_reason.endswith("Photo differs")
    setup.appointment.refresh_from_db()
    assert setup.appointment.status == Appointment.Status.STOPPED


def test_identity_check_stores_only_the_document_type_result_and_note(setup):
    session = bring_to(setup, State.IDENTITY_CHECKED)
    check = IdentityCheck.objects.get(session=session)
    assert (check.document_type, check.result, check.checked_by) == ("belgian_eid", "match", setup.proctor)
    stored = {f.name for f in IdentityCheck._meta.get_fields()}
    assert stored == {"id", "session", "document_type", "result", "note", "checked_by", "checked_at"}


def test_identity_cannot_match_without_a_document(setup):
    session = bring_to(setup, State.CANDIDATE_WAITING)
    with pytest.raises(ValidationError) as info:
        services.session_identity_record(actor=setup.proctor, session=session, document_type="none", result="match")
    assert info.value.messages == ["An identity cannot match without a document."]


def test_identity_is_checked_only_in_the_lobby(setup):
    session = bring_to(setup, State.IDENTITY_CHECKED)
    with pytest.raises(services.IllegalTransition):
        services.session_identity_record(actor=setup.proctor, session=session, document_type="passport",
                                         result="match")
    assert IdentityCheck.objects.filter(session=session).count() == 1


def test_rules_need_both_confirmations_and_keep_the_room_check(setup):
    session = bring_to(setup, State.IDENTITY_CHECKED)
    with pytest.raises(ValidationError):
        services.session_rules_confirm(actor=setup.proctor, session=session, rules_reminded=True,
                                       camera_microphone_on=False)
    session = services.session_rules_confirm(actor=setup.proctor, session=session, rules_reminded=True,
                                             camera_microphone_on=True, room_check_note=" Empty room shown ")
    assert (session.state, session.room_check_note, session.camera_microphone_on) == (
        State.RULES_CONFIRMED, "Empty room shown", True)


def test_preparation_is_refused_when_the_procedure_has_none(setup):
    session = bring_to(setup, State.RULES_CONFIRMED)
    with pytest.raises(services.IllegalTransition) as info:
        services.session_preparation_start(actor=setup.proctor, session=session)
    assert info.value.messages == ["This procedure has no preparation (case or technical test)."]


def test_an_interview_with_a_case_goes_through_the_preparation_to_part_one():
    s = make_setup(pre_stage=Procedure.PreStage.CASE, pre_stage_minutes=30)
    session = bring_to(s, State.RULES_CONFIRMED)
    services.session_preparation_start(actor=s.proctor, session=session)
    with pytest.raises(services.IllegalTransition) as info:
        services.session_close(actor=s.proctor, session=session)
    assert info.value.messages == ["After the preparation comes part 1 of the interview."]
    declare_all(s)
    session = services.session_part_1_start(actor=s.chair, session=session)
    assert list(session.phases.values_list("phase", flat=True)) == ["preparation", "part_1"]


def test_a_preparation_appointment_closes_after_the_preparation_and_has_no_parts(setup):
    appointment = AppointmentFactory(procedure=setup.procedure, candidate=setup.appointment.candidate,
                                     kind=Appointment.Kind.PREPARATION, proctor=setup.proctor,
                                     starts_at=setup.appointment.starts_at - dt.timedelta(hours=2),
                                     ends_at=setup.appointment.starts_at - dt.timedelta(hours=1),
                                     status=Appointment.Status.CONFIRMED)
    setup.appointment = appointment
    session = bring_to(setup, State.RULES_CONFIRMED)
    session = services.session_preparation_start(actor=setup.proctor, session=session)
    with pytest.raises(services.IllegalTransition) as info:
        services.session_part_1_start(actor=setup.proctor, session=session)
    assert "no interview parts" in info.value.messages[0]
    session = services.session_close(actor=setup.proctor, session=session)
    assert session.state == State.CLOSED
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.DONE


def test_stopping_needs_a_reason(setup):
    session = bring_to(setup, State.PART_1)
    with pytest.raises(ValidationError):
        services.session_stop(actor=setup.chair, session=session, reason="  ")
    session = services.session_stop(actor=setup.chair, session=session, reason="Notes on the desk")
    assert (session.state, session.stop_reason) == (State.STOPPED, "Notes on the desk")
    assert session.phases.get(phase="part_1").ended_at == session.stopped_at


@pytest.mark.parametrize("state", [State.CANDIDATE_WAITING, State.IDENTITY_CHECKED, State.RULES_CONFIRMED,
                                   State.PREPARATION, State.PART_1, State.PART_2])
def test_a_session_can_be_stopped_from_every_live_state(state):
    s = make_setup(pre_stage=Procedure.PreStage.TECHNICAL_TEST, pre_stage_minutes=30)
    if state == State.PREPARATION:
        session = bring_to(s, State.RULES_CONFIRMED)
        services.session_preparation_start(actor=s.proctor, session=session)
    else:
        session = bring_to(s, state)
    session = services.session_stop(actor=s.proctor, session=session, reason="Rule violation")
    assert transitions_of(session)[-1] == (state, "stopped")
    s.appointment.refresh_from_db()
    assert s.appointment.status == Appointment.Status.STOPPED


# Every legal move of the table, each performed by its own service.
def _service_for(s, session, to):
    actor = s.proctor
    return {
        State.CANDIDATE_WAITING: lambda: services.session_checkin(actor=actor, session=session),
        State.NO_SHOW: lambda: services.session_mark_no_show(actor=actor, session=session),
        State.IDENTITY_CHECKED: lambda: services.session_identity_record(
            actor=actor, session=session, document_type="residence_card", result="match"),
        State.RULES_CONFIRMED: lambda: services.session_rules_confirm(
            actor=actor, session=session, rules_reminded=True, camera_microphone_on=True),
        State.PREPARATION: lambda: services.session_preparation_start(actor=actor, session=session),
        State.PART_1: lambda: services.session_part_1_start(actor=s.chair, session=session),
        State.PART_2: lambda: services.session_part_2_start(actor=s.chair, session=session),
        State.CLOSED: lambda: services.session_close(actor=actor, session=session),
        State.STOPPED: lambda: services.session_stop(actor=actor, session=session, reason="Stopped"),
        State.NEEDS_NEW_APPOINTMENT: lambda: services.session_request_new_appointment(actor=s.officer,
                                                                                     session=session),
    }[to]


LEGAL = [(a, b) for a in State.values for b in sorted(TRANSITIONS[a])]


@pytest.mark.parametrize(("start", "to"), LEGAL)
def test_every_legal_transition_is_performed_by_its_service_and_audited(start, to):
    s = make_setup(pre_stage=Procedure.PreStage.CASE, pre_stage_minutes=30)
    if start == State.PREPARATION and to == State.CLOSED:
        s.appointment.kind = Appointment.Kind.PREPARATION
        s.appointment.save()
    declare_all(s)
    session = s.session
    LiveSession.objects.filter(pk=session.pk).update(state=start)
    session.refresh_from_db()
    with time_machine.travel(s.appointment.starts_at + dt.timedelta(minutes=20)):
        _service_for(s, session, to)()
    session.refresh_from_db()
    assert session.state == to
    assert transitions_of(session) == [(start, to)]
    assert len(LEGAL) == 18


def test_a_new_attempt_keeps_the_approved_extra_time(setup):
    session = bring_to(setup, State.PART_1)
    services.session_extra_time_set(actor=setup.officer, session=session, minutes=20)
    services.session_stop(actor=setup.chair, session=session, reason="Connection")
    services.session_reschedule(actor=setup.officer, session=session, starts_at=tomorrow_at(16))
    current = services.session_current(Appointment.objects.get(pk=setup.appointment.pk))
    assert (current.attempt, current.extra_minutes) == (2, 20)


def test_a_planned_appointment_that_was_never_invited_keeps_its_status_when_the_session_closes(setup):
    Appointment.objects.filter(pk=setup.appointment.pk).update(status=Appointment.Status.PLANNED)
    setup.appointment.refresh_from_db()
    bring_to(setup, State.CLOSED)
    setup.appointment.refresh_from_db()
    assert setup.appointment.status == Appointment.Status.PLANNED


def test_extra_time_is_recorded_and_audited(setup):
    session = services.session_extra_time_set(actor=setup.officer, session=setup.session, minutes=15)
    assert session.extra_minutes == 15
    entry = AuditEntry.objects.get(action="live_session.extra_time")
    assert entry.changes == {"extra_minutes": [0, 15]}
