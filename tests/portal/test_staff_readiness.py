import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from interviewdesk.messaging.models import Message
from interviewdesk.messaging.services.delivery import deliver_due
from interviewdesk.portal.models import AccessToken, ConnectionTestSlot, ProblemReport, Readiness, RoomRequest
from interviewdesk.portal.services.access import access_token_find
from interviewdesk.portal.services.connection_tests import connection_test_book
from interviewdesk.portal.services.devicecheck import device_check_record
from interviewdesk.procedures.models import Role
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, CandidateFactory, ProcedureFactory, jury_with_members, member
from tests.messaging.conftest import smtp as smtp  # the real SMTP server fixture
from tests.portal.conftest import log_in
from tests.portal.test_link_lifetime import delivered_links

pytestmark = pytest.mark.django_db


def ready_candidate(procedure, **kwargs):
    candidate = CandidateFactory(procedure=procedure, **kwargs)
    now = timezone.now()
    Readiness.objects.create(candidate=candidate, phone_confirmed_at=now, equipment_declared_at=now,
                             equipment={"webcam": True}, rules_acknowledged_at=now)
    AppointmentFactory(candidate=candidate, procedure=procedure, status=Appointment.Status.CONFIRMED,
                       starts_at=now + dt.timedelta(days=9), ends_at=now + dt.timedelta(days=9, hours=1),
                       jury=jury_with_members(procedure))
    device_check_record(candidate=candidate, camera_ok=True, microphone_ok=True, sound_heard=True, browser="Chrome",
                        latency_ms=20, download_mbps=50, upload_mbps=20)
    start = now + dt.timedelta(days=3)
    slot = ConnectionTestSlot.objects.create(procedure=procedure, proctor=member(procedure, Role.PROCTOR),
                                             starts_at=start, ends_at=start + dt.timedelta(minutes=15))
    connection_test_book(candidate=candidate, slot=slot, interview=None)
    return candidate


def test_readiness_table_shows_a_row_per_candidate_and_filters_the_not_ready(client):
    procedure = ProcedureFactory()
    ready = ready_candidate(procedure, last_name="Aerts")
    not_ready = CandidateFactory(procedure=procedure, last_name="Claes")
    proctor = member(procedure, Role.PROCTOR)
    # A proctor lists the candidates of their sessions (and of sessions without a proctor) only.
    AppointmentFactory(procedure=procedure, candidate=not_ready, proctor=proctor,
                       starts_at=timezone.now() + dt.timedelta(days=9), ends_at=timezone.now() + dt.timedelta(days=9, hours=1))
    client.force_login(proctor)
    page = client.get(f"/procedures/{procedure.pk}/readiness/").content.decode()
    assert ready.full_name in page and not_ready.full_name in page
    page = client.get(f"/procedures/{procedure.pk}/readiness/?filter=not_ready").content.decode()
    assert ready.full_name not in page and not_ready.full_name in page


def test_readiness_export_is_an_xlsx_with_a_row_per_candidate(client):
    procedure = ProcedureFactory()
    ready_candidate(procedure, last_name="Aerts", first_name="Bram")
    CandidateFactory(procedure=procedure, last_name="Claes", first_name="Eva")
    client.force_login(member(procedure, Role.SELECTION_OFFICER))
    response = client.get(f"/procedures/{procedure.pk}/readiness.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Last name", "First name", "Interview", "Interview accepted")
    assert [(r[0], r[1], r[3], r[-1]) for r in rows[1:]] == [("Aerts", "Bram", "yes", "yes"),
                                                            ("Claes", "Eva", "no", "no")]


def test_readiness_query_count_does_not_grow_with_candidates(client):
    procedure = ProcedureFactory()
    ready_candidate(procedure)
    client.force_login(member(procedure, Role.SELECTION_OFFICER))
    url = f"/procedures/{procedure.pk}/readiness/"
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(4):
        ready_candidate(procedure)
        CandidateFactory(procedure=procedure)
    ProblemReport.objects.create(candidate=CandidateFactory(procedure=procedure), text="help")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(one)


@pytest.mark.parametrize("url", ["readiness/", "readiness.xlsx", "room-requests/"])
def test_staff_pages_need_a_role_in_the_procedure(client, url):
    procedure = ProcedureFactory()
    full = f"/procedures/{procedure.pk}/{url}"
    assert client.get(full).status_code == 302
    client.force_login(member(ProcedureFactory(), Role.SELECTION_OFFICER))
    assert client.get(full).status_code == 404
    client.force_login(member(procedure, Role.ASSESSOR))
    assert client.get(full).status_code == 200


def test_a_candidate_session_opens_no_staff_page(client):
    candidate = CandidateFactory()
    log_in(client, candidate)
    assert client.get(f"/procedures/{candidate.procedure_id}/readiness/").status_code == 302


def test_reported_problems_show_on_the_readiness_page_until_solved(client):
    procedure = ProcedureFactory()
    report = ProblemReport.objects.create(candidate=CandidateFactory(procedure=procedure), text="Cannot hear anything")
    officer = member(procedure, Role.SELECTION_OFFICER)
    client.force_login(officer)
    assert "Cannot hear anything" in client.get(f"/procedures/{procedure.pk}/readiness/").content.decode()
    client.force_login(member(procedure, Role.PROCTOR))
    assert client.post(f"/procedures/{procedure.pk}/problems/{report.pk}/resolve/").status_code == 404
    client.force_login(officer)
    client.post(f"/procedures/{procedure.pk}/problems/{report.pk}/resolve/")
    assert "Cannot hear anything" not in client.get(f"/procedures/{procedure.pk}/readiness/").content.decode()


def test_failed_device_checks_are_listed_for_staff(client):
    procedure = ProcedureFactory()
    failing = CandidateFactory(procedure=procedure, first_name="Failing")
    recovered = CandidateFactory(procedure=procedure, first_name="Recovered")
    for candidate in (failing, recovered):
        device_check_record(candidate=candidate, camera_ok=False, microphone_ok=True, sound_heard=True,
                            browser="Chrome", latency_ms=20, download_mbps=50, upload_mbps=20)
    device_check_record(candidate=recovered, camera_ok=True, microphone_ok=True, sound_heard=True,
                        browser="Chrome", latency_ms=20, download_mbps=50, upload_mbps=20)
    client.force_login(member(procedure, Role.SELECTION_OFFICER))
    page = client.get(f"/procedures/{procedure.pk}/room-requests/").content.decode()
    assert "Failing" in page and "Recovered" not in page


def test_staff_reissue_mails_a_new_link_and_revoke_switches_it_off(client, smtp):
    candidate = CandidateFactory(language="de")
    officer = member(candidate.procedure, Role.SELECTION_OFFICER)
    client.force_login(officer)
    url = f"/procedures/{candidate.procedure_id}/candidates/{candidate.pk}/link/"
    client.post(url, {"action": "reissue", "confirmed": "yes"})
    message = Message.objects.get(kind="personal_link")
    assert (message.recipient_email, message.language) == (candidate.email, "de")
    assert message.personal_link and "/p/" not in message.body_text  # the link goes in at delivery
    deliver_due()
    [raw] = delivered_links(smtp, candidate.email)
    assert access_token_find(raw)[1] == "ok"
    client.post(url, {"action": "revoke", "confirmed": "yes"})
    assert access_token_find(raw)[1] == "revoked"
    assert AccessToken.objects.filter(candidate=candidate, revoked_at__isnull=True).count() == 0
    client.force_login(member(candidate.procedure, Role.PROCTOR))
    assert client.post(url, {"action": "reissue"}).status_code == 404


def test_the_dashboard_tag_lists_open_problems_of_the_users_procedures_only(rf):
    from django.template import Context, Template

    mine, other = ProcedureFactory(), ProcedureFactory()
    ProblemReport.objects.create(candidate=CandidateFactory(procedure=mine), text="Camera frozen")
    ProblemReport.objects.create(candidate=CandidateFactory(procedure=other), text="Secret elsewhere")
    request = rf.get("/")
    request.user = member(mine, Role.SELECTION_OFFICER)
    html = Template("{% load portal_staff %}{% portal_open_problems %}").render(Context({"request": request}))
    assert "Camera frozen" in html and "Secret elsewhere" not in html


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_room_requests_list_open_and_late_first_with_a_fixed_number_of_queries(client):
    procedure = ProcedureFactory()
    client.force_login(member(procedure, Role.SELECTION_OFFICER))
    url = f"/procedures/{procedure.pk}/room-requests/"
    decided = RoomRequest.objects.create(candidate=CandidateFactory(procedure=procedure, first_name="Decided"),
                                         reason="a", status=RoomRequest.Status.REFUSED)
    one = _queries(client, url)
    for name, late in (("Ontime", False), ("Late", True)):
        candidate = CandidateFactory(procedure=procedure, first_name=name)
        ready_candidate(procedure)
        AppointmentFactory(candidate=candidate, procedure=procedure, jury=jury_with_members(procedure),
                           starts_at=timezone.now() + dt.timedelta(days=20, hours=3 if late else 5),
                           ends_at=timezone.now() + dt.timedelta(days=20, hours=4 if late else 6))
        RoomRequest.objects.create(candidate=candidate, reason="b", late=late)
    assert _queries(client, url) == one
    page = client.get(url).content.decode()
    assert page.index("Late") < page.index("Ontime") < page.index(decided.candidate.first_name)


def test_adjustments_page_query_count_does_not_grow(client):
    from interviewdesk.portal.models import AdjustmentRequest

    procedure = ProcedureFactory()
    client.force_login(member(procedure, Role.SELECTION_OFFICER))
    url = f"/procedures/{procedure.pk}/adjustments/"
    AdjustmentRequest.objects.create(candidate=ready_candidate(procedure), kinds=["extra_time"])
    one = _queries(client, url)
    for _ in range(3):
        AdjustmentRequest.objects.create(candidate=ready_candidate(procedure), kinds=["interpreter"])
    assert _queries(client, url) == one


def test_only_those_who_manage_appointments_decide_on_room_requests(client):
    procedure = ProcedureFactory()
    candidate = CandidateFactory(procedure=procedure)
    request = RoomRequest.objects.create(candidate=candidate, reason="x")
    url = f"/procedures/{procedure.pk}/room-requests/{request.pk}/decide/"
    assert client.post(url, {"decision": "refuse"}).status_code == 302
    assert client.post(url, {"decision": "refuse"})["Location"].startswith("/accounts/login/")
    for role in (Role.PROCTOR, Role.JURY_CHAIR, Role.ASSESSOR):
        client.force_login(member(procedure, role))
        assert client.post(url, {"decision": "refuse"}).status_code == 404
    client.force_login(member(ProcedureFactory(), Role.SELECTION_OFFICER))
    assert client.post(url, {"decision": "refuse"}).status_code == 404
    client.force_login(member(procedure, Role.SELECTION_OFFICER))
    assert client.post(url, {"decision": "refuse", "note": "No room free"}).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decision_note) == ("refused", "No room free")
