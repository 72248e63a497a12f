"""One readiness rule (issue 15): the candidate's checklist ("You have done everything needed for
now") and the staff readiness table and export agree on whether a candidate is ready, for each state a
candidate can be in. The rule itself is portal/readiness.py."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from interviewdesk.portal.models import AdjustmentRequest, ConnectionTestBooking, Readiness, RoomRequest
from interviewdesk.portal.readiness import READY_STATES
from interviewdesk.portal.services.connection_tests import connection_test_record
from interviewdesk.portal.services.devicecheck import device_check_record
from interviewdesk.portal.staff_selectors import CELL, readiness_rows
from interviewdesk.procedures.models import Procedure, Role
from interviewdesk.scheduling.models import Appointment
from tests.factories import ProcedureFactory, member
from tests.portal.conftest import log_in
from tests.portal.test_staff_readiness import ready_candidate

pytestmark = pytest.mark.django_db


def interview(candidate):
    return Appointment.objects.get(candidate=candidate, kind=Appointment.Kind.INTERVIEW)


def not_accepted(c):
    Appointment.objects.filter(pk=interview(c).pk).update(status=Appointment.Status.INVITED)


def phone_not_confirmed(c):
    Readiness.objects.filter(candidate=c).update(phone_confirmed_at=None)


def equipment_not_declared(c):
    Readiness.objects.filter(candidate=c).update(equipment_declared_at=None)


def device_check_failed(c):
    device_check_record(candidate=c, camera_ok=False, microphone_ok=True, sound_heard=True, browser="Chrome",
                        latency_ms=20, download_mbps=50, upload_mbps=20)


def no_device_check(c):
    c.device_checks.all().delete()


def connection_test_with_problems(c):
    ConnectionTestBooking.objects.filter(candidate=c).update(outcome="problems")


def connection_test_missed(c):
    ConnectionTestBooking.objects.filter(candidate=c).update(outcome="no_show")


def connection_test_passed(c):
    ConnectionTestBooking.objects.filter(candidate=c).update(outcome="passed")


def no_connection_test_booked(c):
    ConnectionTestBooking.objects.filter(candidate=c).delete()


def no_test_and_interview_too_close_for_one(c):
    no_connection_test_booked(c)
    starts = timezone.now() + dt.timedelta(hours=3)
    Appointment.objects.filter(pk=interview(c).pk).update(starts_at=starts, ends_at=starts + dt.timedelta(hours=1))


def _missing_equipment(c):
    Readiness.objects.filter(candidate=c).update(equipment={"webcam": False})


def room_needed_not_asked(c):
    _missing_equipment(c)


def room_asked_waiting(c):
    _missing_equipment(c)
    RoomRequest.objects.create(candidate=c, reason="No webcam")


def room_asked_late_waiting(c):
    _missing_equipment(c)
    RoomRequest.objects.create(candidate=c, reason="No webcam", late=True)


def room_refused(c):
    _missing_equipment(c)
    RoomRequest.objects.create(candidate=c, reason="No webcam", status=RoomRequest.Status.REFUSED)


def adjustments_asked(c):
    AdjustmentRequest.objects.create(candidate=c, kinds=["extra_time"], details="Dyslexia")


def house_rules_changed_since(c):
    Procedure.objects.filter(pk=c.procedure_id).update(house_rules_version=2)


def nothing(c):
    pass


CASES = [
    (nothing, True),
    (not_accepted, False),
    (phone_not_confirmed, False),
    (equipment_not_declared, False),
    (no_device_check, False),
    (device_check_failed, False),
    (no_connection_test_booked, False),
    (connection_test_passed, True),
    (connection_test_with_problems, False),
    (connection_test_missed, False),
    (no_test_and_interview_too_close_for_one, True),
    (room_needed_not_asked, False),
    (room_asked_waiting, False),
    (room_asked_late_waiting, False),
    (room_refused, True),
    (adjustments_asked, True),
    (house_rules_changed_since, False),
]


@pytest.mark.parametrize("change, ready", CASES, ids=[change.__name__ for change, _ready in CASES])
def test_the_candidates_checklist_and_the_staff_table_agree(client, change, ready):
    procedure = ProcedureFactory()
    candidate = ready_candidate(procedure)
    change(candidate)
    procedure.refresh_from_db()
    [row] = readiness_rows(procedure)
    officer = member(procedure, Role.SELECTION_OFFICER)
    client.force_login(officer)
    export = load_workbook(BytesIO(client.get(f"/procedures/{procedure.pk}/readiness.xlsx").content)).active
    staff_table = client.get(f"/procedures/{procedure.pk}/readiness/?filter=not_ready").content.decode()
    client.logout()
    log_in(client, candidate)
    checklist = client.get("/portal/")
    assert checklist.status_code == 200
    assert (checklist.context["ready"], row.ready) == (ready, ready)
    assert (candidate.full_name not in staff_table) == ready  # the "not ready" filter
    assert [r[-1] for r in export.iter_rows(min_row=2, values_only=True)] == ["yes" if ready else "no"]


def test_every_state_an_item_can_take_is_worded_for_staff():
    for states in READY_STATES.values():
        assert states <= set(CELL)


def test_an_outcome_the_proctor_records_shows_on_the_candidates_page_at_once(client):
    """The candidate's page is cached while nothing it shows changes; a connection test's outcome is
    part of their readiness, so recording it refreshes the page (no 30 seconds of "ready")."""
    procedure = ProcedureFactory()
    candidate = ready_candidate(procedure)
    log_in(client, candidate)
    client.get("/portal/")  # sets the CSRF cookie, part of the cache key
    assert client.get("/portal/").context["ready"] is True  # rendered, and cached
    assert client.get("/portal/").context is None  # served from the cache
    booking = ConnectionTestBooking.objects.get(candidate=candidate)
    Appointment.objects.filter(pk=booking.appointment_id).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    connection_test_record(actor=member(procedure, Role.PROCTOR), booking=ConnectionTestBooking.objects.get(
        pk=booking.pk), outcome="problems", notes="No sound")
    assert client.get("/portal/").context["ready"] is False
