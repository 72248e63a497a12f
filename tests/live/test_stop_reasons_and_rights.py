"""What happened is stored as a code and read in the reader's language; the time lost is counted;
only the session's proctor and its jury's chair handle a lost connection (assessors add notes)."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from interviewdesk.live import services
from interviewdesk.live.models import FollowUp, PhaseTiming, State
from interviewdesk.live.selectors import session_timeline
from interviewdesk.messaging.models import Message
from interviewdesk.procedures.models import Role
from tests.factories import AppointmentFactory, jury_with_members, member
from tests.live.conftest import bring_to

pytestmark = pytest.mark.django_db

ENGLISH = "The connection could not be restored within 10 minutes."
DUTCH = "De verbinding kon niet binnen 10 minuten worden hersteld."
FRENCH = "La connexion n’a pas pu être rétablie"


def run_out(setup):
    """Part 1, the connection is lost at a frozen moment, and the worker's clock runs out 10 minutes later."""
    session = bring_to(setup, State.PART_1)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.incident_log(actor=setup.proctor, session=session, category="connection_lost",
                              description="Video froze")
    with time_machine.travel(start + dt.timedelta(minutes=10, seconds=5), tick=False):
        assert services.disconnections_expire_overdue() == 1
    session.refresh_from_db()
    return session


def test_the_run_out_reason_is_a_code_read_in_the_readers_language(client, setup):
    setup.officer.language = "nl"
    setup.officer.save()
    session = run_out(setup)
    assert session.stop_code == "timed_out" and session.stop_reason == ""
    client.force_login(setup.chair)
    page = html.unescape(client.get(reverse("live:session", args=[setup.appointment.pk]),
                                    HTTP_ACCEPT_LANGUAGE="nl").content.decode())
    assert DUTCH in page and ENGLISH not in page
    officer_mail = Message.objects.get(kind="live_new_appointment_needed", recipient_email=setup.officer.email)
    assert DUTCH in officer_mail.body_text and ENGLISH not in officer_mail.body_text
    follow_up = FollowUp.objects.get(appointment=setup.appointment)
    with translation.override("fr"):
        assert FRENCH in follow_up.reason_display
        stop = [row for row in session_timeline(setup.appointment) if row["kind"] == "transition"][-2]
        assert FRENCH in stop["detail"]
    with translation.override("en"):
        assert follow_up.reason_display == ENGLISH


def test_a_staff_stop_keeps_the_words_written_and_labels_the_rest(setup):
    session = bring_to(setup, State.PART_1)
    services.incident_log(actor=setup.chair, session=session, category="material", description="Phone on desk",
                          decision="stopped")
    session.refresh_from_db()
    assert (session.stop_code, session.stop_params, session.stop_reason) == (
        "incident", {"category": "material"}, "Phone on desk")
    with translation.override("de"):
        assert session.stop_reason_display.endswith("Phone on desk")
        assert "unauthorised material" not in session.stop_reason_display


def test_the_phase_that_was_stopped_counts_the_time_lost(setup):
    session = run_out(setup)
    timing = PhaseTiming.objects.get(session=session, phase=State.PART_1)
    assert 600 <= timing.seconds_lost <= 610


def test_only_the_sessions_proctor_and_its_jurys_chair_handle_a_lost_connection(setup):
    session = bring_to(setup, State.PART_1)
    other_chair = jury_with_members(setup.procedure).chair
    other_proctor = member(setup.procedure, Role.PROCTOR)
    for outsider in (other_chair, other_proctor, setup.assessors[0], setup.officer):
        with pytest.raises(ValidationError, match="Only the proctor of this session or the chair of its jury"):
            services.incident_log(actor=outsider, session=session, category="connection_lost",
                                  description="Frozen")
    # An assessor of the jury may still add notes.
    services.incident_log(actor=setup.assessors[0], session=session, category="other", description="Echo")
    services.incident_log(actor=setup.chair, session=session, category="connection_lost", description="Frozen")
    with pytest.raises(ValidationError, match="Only the proctor of this session or the chair of its jury"):
        services.disconnection_reconnect(actor=other_proctor, session=session)
    with pytest.raises(ValidationError, match="Only the proctor of this session or the chair of its jury"):
        services.session_stop(actor=other_chair, session=session, reason="Not mine")
    services.disconnection_reconnect(actor=setup.proctor, session=session)
    session.refresh_from_db()
    assert session.state == State.PART_1


def test_a_note_on_someone_elses_session_is_refused_to_a_member_of_another_jury(client, setup):
    session = bring_to(setup, State.PART_1)
    other = AppointmentFactory(procedure=setup.procedure, jury=jury_with_members(setup.procedure),
                               starts_at=setup.appointment.starts_at + dt.timedelta(hours=2))
    outsider = other.jury.chair
    client.force_login(outsider)
    # Need-to-know (issue 12): another jury's session is not theirs to see, so the door answers 404
    # before the service's own refusal ("Only the proctor of this session or the chair of its
    # jury…", still tested on the service above).
    response = client.post(reverse("live:session_incident", args=[setup.appointment.pk]),
                           {"category": "connection_lost", "description": "x", "decision": "noted"}, follow=True)
    assert response.status_code == 404
    assert not session.disconnections.exists()
    response = client.post(reverse("live:session_reconnect", args=[setup.appointment.pk]), follow=True)
    assert response.status_code == 404
