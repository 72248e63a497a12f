"""Two staff members acting on the same session at the same moment (real threads, real connections)."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import OperationalError, connection
from django.utils import timezone

from interviewdesk.core.models import AuditEntry
from interviewdesk.live import services
from interviewdesk.live.models import Disconnection, LiveSession, PhaseTiming, SessionEvent, State
from interviewdesk.messaging.models import Message
from tests.live.conftest import bring_to, make_setup

pytestmark = pytest.mark.django_db(transaction=True)


def refused(errors) -> bool:
    """The loser is refused by the state machine. On PostgreSQL it waits for the row lock and then sees
    the new state; SQLite's in-memory test database (shared cache) answers "table is locked" at once
    instead of waiting, which also leaves the session untouched."""
    allowed = (services.IllegalTransition,)
    if connection.vendor == "sqlite":
        allowed = (services.IllegalTransition, OperationalError)
    return len(errors) == 1 and isinstance(errors[0], allowed)


def race(*actions):
    """Run the actions at once in threads; return (results, errors)."""
    barrier = threading.Barrier(len(actions))
    results, errors = [], []

    def run(action):
        try:
            barrier.wait()
            results.append(action())
        except Exception as exc:  # collected for the assertions
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results, errors


def test_proctor_and_chair_starting_part_two_at_once_leave_one_transition():
    s = make_setup()
    session = bring_to(s, State.PART_1)
    results, errors = race(
        lambda: services.session_part_2_start(actor=s.proctor, session=session),
        lambda: services.session_part_2_start(actor=s.chair, session=session),
    )
    assert len(results) == 1
    assert refused(errors), errors
    session = LiveSession.objects.get(pk=session.pk)
    assert session.state == State.PART_2
    assert PhaseTiming.objects.filter(session=session, phase="part_2").count() == 1
    assert AuditEntry.objects.filter(object_type="live.livesession", to_state="part_2").count() == 1


def test_stop_and_close_at_once_end_in_exactly_one_of_them():
    s = make_setup()
    session = bring_to(s, State.PART_2)
    results, errors = race(
        lambda: services.session_close(actor=s.chair, session=session),
        lambda: services.session_stop(actor=s.proctor, session=session, reason="Recording attempt"),
    )
    assert len(results) == 1
    assert refused(errors), errors
    session = LiveSession.objects.get(pk=session.pk)
    assert session.state in (State.CLOSED, State.STOPPED)
    endings = SessionEvent.objects.filter(session=session, data__from="part_2").count()
    assert endings == 1


def test_the_timeout_task_and_the_sweep_firing_at_once_stop_the_session_exactly_once():
    s = make_setup()
    session = bring_to(s, State.PART_1)
    services.incident_log(actor=s.proctor, session=session, category="connection_lost", description="Gone")
    disconnection = Disconnection.objects.get(session=session)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        results, errors = race(
            lambda: services.disconnection_expire(disconnection_id=disconnection.pk),
            lambda: services.disconnections_expire_overdue(),
        )
    assert sorted(int(r) for r in results) in ([0, 1], [1])
    assert len(results) == 2 or refused(errors), errors
    session = LiveSession.objects.get(pk=session.pk)
    assert session.state == State.NEEDS_NEW_APPOINTMENT
    assert SessionEvent.objects.filter(session=session, kind="timed_out").count() == 1
    assert Message.objects.filter(kind="live_session_stopped").count() == 1


def test_two_first_moves_on_an_attempt_not_yet_stored_make_one_row_and_one_transition():
    """The page shows the first attempt unsaved (reads never write); two staff members press "in the
    lobby" at once: one attempt row, one transition, the other refused."""
    s = make_setup()
    shown = services.session_shown(s.appointment)
    assert shown.pk is None
    results, errors = race(
        lambda: services.session_checkin(actor=s.proctor, session=services.session_shown(s.appointment)),
        lambda: services.session_checkin(actor=s.chair, session=services.session_shown(s.appointment)),
    )
    assert len(results) == 1
    assert refused(errors), errors
    [session] = LiveSession.objects.filter(appointment=s.appointment)
    assert (session.attempt, session.state) == (1, State.CANDIDATE_WAITING)
    assert SessionEvent.objects.filter(session=session, kind=SessionEvent.Kind.TRANSITION).count() == 1
