"""Staff pages of the portal in chromium: accessible, and the room approval flow works by keyboard and mouse."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interviewdesk.portal.models import ConnectionTestSlot, ProblemReport, RoomRequest
from interviewdesk.portal.services.adjustments import adjustment_request_create
from interviewdesk.portal.services.connection_tests import connection_test_book
from interviewdesk.portal.services.devicecheck import device_check_record
from interviewdesk.procedures.models import Role
from interviewdesk.scheduling.models import Appointment
from tests.browser import assert_accessible, assert_fits_width, login
from tests.factories import (
    AppointmentFactory,
    CandidateFactory,
    ProcedureFactory,
    RoomFactory,
    jury_with_members,
    member,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_selection_officer_works_through_the_accessible_staff_pages(page):
    procedure = ProcedureFactory()
    officer = member(procedure, Role.SELECTION_OFFICER, username="officer")
    candidate = CandidateFactory(procedure=procedure, first_name="Sofie")
    start = timezone.now() + dt.timedelta(days=10)
    interview = AppointmentFactory(candidate=candidate, procedure=procedure, status=Appointment.Status.INVITED,
                                   starts_at=start, ends_at=start + dt.timedelta(hours=1),
                                   jury=jury_with_members(procedure))
    RoomRequest.objects.create(candidate=candidate, appointment=interview, reason="No webcam", late=True)
    room = RoomFactory(name="Room Atomium")
    ProblemReport.objects.create(candidate=candidate, text="My microphone crackles")
    device_check_record(candidate=candidate, camera_ok=False, microphone_ok=True, sound_heard=True, browser="Firefox",
                        latency_ms=80, download_mbps=10, upload_mbps=4)
    adjustment_request_create(candidate=candidate, kinds=["extra_time"], details="Dyslexia")
    slot_start = timezone.now() + dt.timedelta(days=3)
    slot = ConnectionTestSlot.objects.create(procedure=procedure, proctor=member(procedure, Role.PROCTOR),
                                             starts_at=slot_start, ends_at=slot_start + dt.timedelta(minutes=15))
    connection_test_book(candidate=candidate, slot=slot, interview=interview)

    page.goto("/accounts/login/")
    login(page, officer.username)
    for url in ("readiness/", "readiness/?filter=not_ready", "connection-tests/", "adjustments/", "room-requests/"):
        page.goto(f"/procedures/{procedure.pk}/{url}")
        assert_accessible(page)
    expect(page.get_by_role("cell", name="Firefox")).to_be_visible()
    page.get_by_label("Room").select_option(str(room.pk))
    page.get_by_role("button", name="Approve and assign the room").click()
    page.wait_for_url(f"**/procedures/{procedure.pk}/room-requests/")
    assert page.get_by_role("status").inner_text().startswith("Room assigned")
    interview.refresh_from_db()
    assert (interview.mode, interview.room_id) == ("provided_room", room.pk)
    assert_accessible(page)


def test_staff_pages_fit_a_320px_screen(phone_page):
    procedure = ProcedureFactory()
    member(procedure, Role.SELECTION_OFFICER, username="officer2")
    CandidateFactory(procedure=procedure)
    login(phone_page, "officer2")  # password, then the authenticator code (tests/browser.py)
    candidate = CandidateFactory(procedure=procedure)
    RoomRequest.objects.create(candidate=candidate, reason="No webcam at home")
    adjustment_request_create(candidate=candidate, kinds=["screen_reader"], details="")
    for url in ("readiness/", "room-requests/", "connection-tests/", "adjustments/"):
        phone_page.goto(f"/procedures/{procedure.pk}/{url}")
        assert_fits_width(phone_page)
        assert_accessible(phone_page)
