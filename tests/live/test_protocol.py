import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from interviewdesk.core.periodic import registered_sweeps
from interviewdesk.live import services
from interviewdesk.live.models import Disconnection, FollowUp, Incident, State
from interviewdesk.live.selectors import session_timeline, session_was_stopped
from interviewdesk.messaging.models import Message
from interviewdesk.scheduling.models import Appointment
from tests.live.conftest import bring_to

pytestmark = pytest.mark.django_db


def timeout_task():
    """The disconnection-timeout task row (the outbox enqueues delivery tasks of its own)."""
    return DBTaskResult.objects.get(task_path="interviewdesk.live.tasks.disconnection_timeout")


def lose_connection(s, session):
    return services.incident_log(actor=s.proctor, session=session, category="connection_lost",
                                 description="Video froze")


# The worker closes "old" connections between tasks, as in production: these tests use real
# transactions so that it can (inside a test-wrapping transaction it would close the test's own).
worker_test = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    """What the worker does: run every task whose run_after has passed (django_tasks_db's db_worker)."""
    call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)


def test_an_incident_is_logged_with_its_phase_and_appears_in_the_timeline(setup):
    session = bring_to(setup, State.PART_1)
    incident = services.incident_log(actor=setup.assessors[0], session=session, category="third_person",
                                     description="Someone walked in", decision="warning")
    assert (incident.phase, incident.reported_by, incident.decision) == ("part_1", setup.assessors[0], "warning")
    last = session_timeline(setup.appointment)[-1]
    assert (last["label"], last["detail"]) == ("Incident: third person present (warning)", "Someone walked in")


def test_an_assessor_cannot_stop_a_session_but_the_chair_can(setup):
    session = bring_to(setup, State.PART_1)
    with pytest.raises(ValidationError) as info:
        services.incident_log(actor=setup.assessors[0], session=session, category="material",
                              description="Phone on desk", decision="stopped")
    assert info.value.messages == [
        "Only the proctor of this session or the chair of its jury can start the reconnection clock, "
        "call the candidate, reconnect or stop the session."]
    services.incident_log(actor=setup.chair, session=session, category="material", description="Phone on desk",
                          decision="stopped")
    session.refresh_from_db()
    assert session.state == State.STOPPED
    assert session.stop_reason_display == "Stopped after an incident: unauthorised material. Phone on desk"
    assert session_was_stopped(setup.appointment) is True


def test_incidents_are_refused_before_the_candidate_arrives(setup):
    with pytest.raises(services.IllegalTransition):
        services.incident_log(actor=setup.proctor, session=setup.session, category="other", description="x")


def test_connection_lost_starts_a_server_clock_and_enqueues_the_timeout_at_the_deadline(setup):
    session = bring_to(setup, State.PART_1)
    with time_machine.travel(timezone.now(), tick=False):
        now = timezone.now()
        lose_connection(setup, session)
    disconnection = Disconnection.objects.get(session=session)
    assert (disconnection.started_at, disconnection.deadline) == (now, now + dt.timedelta(minutes=10))
    task = DBTaskResult.objects.get(task_path="interviewdesk.live.tasks.disconnection_timeout")
    assert (task.run_after, task.args_kwargs["args"]) == (disconnection.deadline, [disconnection.pk])


def test_the_clock_uses_the_procedures_minutes(setup):
    setup.procedure.disconnection_minutes = 7
    setup.procedure.save()
    session = bring_to(setup, State.PART_1)
    lose_connection(setup, session)
    d = Disconnection.objects.get(session=session)
    assert d.deadline - d.started_at == dt.timedelta(minutes=7)


def test_a_second_connection_lost_while_the_clock_runs_is_refused(setup):
    session = bring_to(setup, State.PART_1)
    lose_connection(setup, session)
    with pytest.raises(services.IllegalTransition) as info:
        lose_connection(setup, session)
    assert info.value.messages == ["The reconnection clock is already running."]
    assert Incident.objects.count() == 1


def test_phases_cannot_move_while_the_connection_is_lost(setup):
    session = bring_to(setup, State.PART_1)
    lose_connection(setup, session)
    with pytest.raises(services.IllegalTransition) as info:
        services.session_part_2_start(actor=setup.chair, session=session)
    assert info.value.messages == ["The connection is lost: record the reconnection first."]


def test_calls_are_logged_while_the_clock_runs(setup):
    session = bring_to(setup, State.PART_1)
    with pytest.raises(services.IllegalTransition):
        services.disconnection_call_log(actor=setup.proctor, session=session, outcome="busy")
    lose_connection(setup, session)
    services.disconnection_call_log(actor=setup.proctor, session=session, outcome="no_answer")
    services.disconnection_call_log(actor=setup.chair, session=session, outcome="reached")
    calls = Disconnection.objects.get(session=session).calls.values_list("outcome", "called_by")
    assert list(calls) == [("no_answer", setup.proctor.pk), ("reached", setup.chair.pk)]


def test_reconnecting_resumes_the_phase_and_adds_the_minutes_lost_to_it(setup):
    session = bring_to(setup, State.PART_1)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        lose_connection(setup, session)
    with time_machine.travel(start + dt.timedelta(minutes=3, seconds=20), tick=False):
        services.disconnection_reconnect(actor=setup.proctor, session=session)
    session.refresh_from_db()
    phase = session.phases.get(phase="part_1")
    assert (session.state, phase.seconds_lost, phase.minutes_lost) == (State.PART_1, 200, 4)
    assert session_timeline(setup.appointment)[-1]["label"] == "Reconnected: 4 minute(s) lost, added to the phase"


@worker_test
def test_the_worker_stops_the_session_when_the_clock_runs_out_exactly_once(setup):
    session = bring_to(setup, State.PART_1)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        lose_connection(setup, session)
    with time_machine.travel(start + dt.timedelta(minutes=9, seconds=59), tick=False):
        run_worker()
        assert timeout_task().status == "READY"
        assert services.disconnections_expire_overdue() == 0
    session.refresh_from_db()
    assert session.state == State.PART_1
    with time_machine.travel(start + dt.timedelta(minutes=10, seconds=1), tick=False):
        run_worker()
        assert services.disconnections_expire_overdue() == 0  # the sweep finds nothing left to do
        run_worker()
    session.refresh_from_db()
    assert timeout_task().status == "SUCCESSFUL"
    assert timeout_task().return_value is True
    assert session.state == State.NEEDS_NEW_APPOINTMENT
    assert session.stop_reason_display == "The connection could not be restored within 10 minutes."
    assert Disconnection.objects.get().outcome == Disconnection.Outcome.TIMED_OUT
    assert [e["kind"] for e in session_timeline(setup.appointment)].count("timed_out") == 1
    setup.appointment.refresh_from_db()
    assert setup.appointment.status == Appointment.Status.STOPPED
    assert FollowUp.objects.filter(appointment=setup.appointment, done_at__isnull=True).count() == 1
    assert sorted(Message.objects.values_list("kind", flat=True)) == [
        "live_new_appointment_needed", "live_session_stopped"]
    assert session_was_stopped(setup.appointment) is True


def test_the_sweep_stops_an_overdue_session_when_the_task_never_ran(setup):
    session = bring_to(setup, State.PART_2)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        lose_connection(setup, session)
    DBTaskResult.objects.all().delete()  # the task row is lost: only the domain row remains
    sweep = next(s for s in registered_sweeps() if s.name == "interviewdesk.live.tasks.disconnection_sweep")
    assert sweep.every == 15
    with time_machine.travel(start + dt.timedelta(minutes=11), tick=False):
        assert sweep.func() == 1
        assert sweep.func() == 0
    session.refresh_from_db()
    assert session.state == State.NEEDS_NEW_APPOINTMENT


@worker_test
def test_the_timeout_never_fires_after_a_reconnection(setup):
    session = bring_to(setup, State.PART_1)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        lose_connection(setup, session)
    with time_machine.travel(start + dt.timedelta(minutes=9), tick=False):
        services.disconnection_reconnect(actor=setup.proctor, session=session)
    with time_machine.travel(start + dt.timedelta(minutes=30), tick=False):
        run_worker()
        assert services.disconnections_expire_overdue() == 0
    session.refresh_from_db()
    assert session.state == State.PART_1
    assert timeout_task().return_value is False
    assert Message.objects.count() == 0


def test_reconnecting_after_the_deadline_is_refused_and_stops_the_session(setup):
    session = bring_to(setup, State.PART_1)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        lose_connection(setup, session)
    with (
        time_machine.travel(start + dt.timedelta(minutes=10, seconds=5), tick=False),
        pytest.raises(services.IllegalTransition) as info,
    ):
        services.disconnection_reconnect(actor=setup.proctor, session=session)
    assert info.value.messages == ["The reconnection time had run out: the session is stopped."]
    session.refresh_from_db()
    assert session.state == State.NEEDS_NEW_APPOINTMENT


@worker_test
def test_stopping_while_disconnected_closes_the_clock_so_the_worker_does_nothing(setup):
    session = bring_to(setup, State.PART_1)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        lose_connection(setup, session)
        services.session_stop(actor=setup.chair, session=session, reason="Candidate withdrew")
    with time_machine.travel(start + dt.timedelta(minutes=11), tick=False):
        run_worker()
    assert Disconnection.objects.get().outcome == Disconnection.Outcome.STOPPED
    assert Message.objects.count() == 0


def test_the_preparation_ends_after_its_minutes_the_extra_time_and_the_time_lost():
    from interviewdesk.live.selectors import preparation_end, preparation_minutes
    from interviewdesk.procedures.models import Procedure
    from tests.live.conftest import make_setup

    s = make_setup(pre_stage=Procedure.PreStage.CASE, pre_stage_minutes=30)
    session = bring_to(s, State.RULES_CONFIRMED)
    services.session_extra_time_set(actor=s.officer, session=session, minutes=15)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.session_preparation_start(actor=s.proctor, session=session)
        lose_connection(s, session)
    with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
        services.disconnection_reconnect(actor=s.proctor, session=session)
    session.refresh_from_db()
    end = preparation_end(session, list(session.phases.all()), preparation_minutes(s.appointment))
    assert end == start + dt.timedelta(minutes=30 + 15 + 2)
