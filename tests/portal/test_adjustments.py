import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from interviewdesk.core.models import AuditEntry
from interviewdesk.portal.forms import MAX_CERTIFICATE_BYTES
from interviewdesk.portal.models import AdjustmentRequest
from interviewdesk.portal.services.adjustments import adjustment_decide
from interviewdesk.procedures.models import Role
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, CandidateFactory, ProcedureFactory, jury_with_members, member
from tests.portal.conftest import log_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def upload(client, content, name="certificate.pdf", content_type="application/pdf"):
    return client.post("/portal/adjustments/", {
        "kinds": ["extra_time", "quiet_room"], "details": "Dyslexia",
        "certificate": SimpleUploadedFile(name, content, content_type=content_type),
    })


@pytest.mark.parametrize(("content", "name", "detected"), [
    (PDF, "attest.pdf", "application/pdf"), (PNG, "scan.png", "image/png"), (JPG, "photo.jpg", "image/jpeg"),
])
def test_pdf_png_and_jpg_certificates_are_stored_outside_the_web_root_under_a_random_name(client, content, name,
                                                                                          detected):
    candidate = CandidateFactory()
    log_in(client, candidate)
    assert upload(client, content, name).status_code == 302
    request = AdjustmentRequest.objects.get(candidate=candidate)
    assert request.kinds == ["extra_time", "quiet_room"]
    assert request.certificate_type == detected
    path = Path(request.certificate.path)
    assert path.read_bytes() == content
    assert path.is_relative_to(Path(settings.MEDIA_ROOT)) and name not in str(path)
    assert not path.is_relative_to(Path(settings.STATIC_ROOT))


def test_the_type_is_checked_from_the_content_not_the_name(client):
    candidate = CandidateFactory()
    log_in(client, candidate)
    response = upload(client, b"<html><script>alert(1)</script>", "fake.pdf", "application/pdf")
    assert response.status_code == 200
    assert AdjustmentRequest.objects.count() == 0


def test_a_certificate_over_8_mb_is_refused(client):
    candidate = CandidateFactory()
    log_in(client, candidate)
    response = upload(client, PDF + b"0" * (MAX_CERTIFICATE_BYTES - len(PDF) + 1))
    assert response.status_code == 200
    assert AdjustmentRequest.objects.count() == 0
    assert upload(client, PDF + b"0" * (MAX_CERTIFICATE_BYTES - len(PDF))).status_code == 302


def test_only_the_procedures_selection_officers_can_read_a_certificate(client):
    candidate = CandidateFactory()
    log_in(client, candidate)
    upload(client, PDF)
    request = AdjustmentRequest.objects.get()
    url = f"/procedures/{candidate.procedure_id}/adjustments/{request.pk}/certificate/"
    assert client.get(url).status_code == 302  # the candidate session is no staff login
    for role in (Role.PROCTOR, Role.JURY_CHAIR, Role.ASSESSOR):
        client.force_login(member(candidate.procedure, role))
        assert client.get(url).status_code == 404
    client.force_login(member(ProcedureFactory(), Role.SELECTION_OFFICER))
    assert client.get(url).status_code == 404
    officer = member(candidate.procedure, Role.SELECTION_OFFICER)
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert AuditEntry.objects.filter(action="certificate.read", actor=officer).count() == 1


def test_approved_extra_time_lengthens_the_appointment_and_a_changed_decision_adjusts_only_the_difference():
    candidate = CandidateFactory()
    start = timezone.now() + dt.timedelta(days=7)
    interview = AppointmentFactory(candidate=candidate, procedure=candidate.procedure, starts_at=start,
                                   ends_at=start + dt.timedelta(minutes=60), jury=jury_with_members(candidate.procedure))
    officer = member(candidate.procedure, Role.SELECTION_OFFICER)
    request = AdjustmentRequest.objects.create(candidate=candidate, kinds=["extra_time"])
    adjustment_decide(actor=officer, request=request, appointment=interview, approved=True, extra_minutes=15)
    interview.refresh_from_db()
    assert (interview.ends_at - interview.starts_at, interview.sequence) == (dt.timedelta(minutes=75), 1)
    adjustment_decide(actor=officer, request=request, appointment=interview, approved=True, extra_minutes=20)
    interview.refresh_from_db()
    assert interview.ends_at - interview.starts_at == dt.timedelta(minutes=80)
    adjustment_decide(actor=officer, request=request, appointment=interview, approved=False)
    interview.refresh_from_db()
    assert interview.ends_at - interview.starts_at == dt.timedelta(minutes=60)


def test_staff_decide_per_step_through_the_page(client):
    candidate = CandidateFactory()
    start = timezone.now() + dt.timedelta(days=7)
    jury = jury_with_members(candidate.procedure)
    preparation = AppointmentFactory(candidate=candidate, procedure=candidate.procedure, starts_at=start,
                                     ends_at=start + dt.timedelta(minutes=30), kind=Appointment.Kind.PREPARATION)
    interview = AppointmentFactory(candidate=candidate, procedure=candidate.procedure,
                                   starts_at=start + dt.timedelta(hours=1), ends_at=start + dt.timedelta(hours=2),
                                   jury=jury)
    request = AdjustmentRequest.objects.create(candidate=candidate, kinds=["extra_time"])
    client.force_login(member(candidate.procedure, Role.SELECTION_OFFICER))
    url = f"/procedures/{candidate.procedure_id}/adjustments/"
    page = client.get(url).content.decode()
    assert page.count('name="appointment"') == 2
    client.post(f"{url}{request.pk}/decide/", {"appointment": preparation.pk, "approved": "yes", "extra_minutes": 10})
    client.post(f"{url}{request.pk}/decide/", {"appointment": interview.pk, "approved": "no", "extra_minutes": 0})
    preparation.refresh_from_db()
    interview.refresh_from_db()
    assert preparation.ends_at - preparation.starts_at == dt.timedelta(minutes=40)
    assert interview.ends_at - interview.starts_at == dt.timedelta(hours=1)
    assert sorted(request.decisions.values_list("approved", flat=True)) == [False, True]


def test_the_adjustments_page_is_only_for_selection_officers(client):
    procedure = ProcedureFactory()
    url = f"/procedures/{procedure.pk}/adjustments/"
    assert client.get(url).status_code == 302
    client.force_login(member(procedure, Role.PROCTOR))
    assert client.get(url).status_code == 404
    client.force_login(member(procedure, Role.SELECTION_OFFICER))
    assert client.get(url).status_code == 200
