"""Erasure of one candidate on request: the officer confirms with a reason; refused while an interview
is planned, invited or confirmed; audited without personal data."""

import datetime as dt

import pytest
from django.utils import timezone

from interviewdesk.core.models import AuditEntry
from interviewdesk.privacy.models import CandidateErasure
from interviewdesk.procedures.models import Candidate, Role
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, ProcedureFactory, member

from .scenario import PERSONAL, TEXTS, held_candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(django_capture_on_commit_callbacks):
    procedure = ProcedureFactory()
    officer = member(procedure, Role.SELECTION_OFFICER)
    candidate, appointment, link = held_candidate(procedure, officer)
    return procedure, officer, candidate, appointment, link


def url(candidate):
    return f"/procedures/{candidate.procedure_id}/candidates/{candidate.pk}/erase/"


def test_the_officer_sees_what_will_be_erased_and_a_get_changes_nothing(client, held):
    _procedure, officer, candidate, _appointment, _link = held
    client.force_login(officer)
    page = client.get(url(candidate), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200 and "Erase this candidate" in html and 'name="confirmed" value="yes"' in html
    assert "uploaded files (1)" in html and "personal links (1)" in html
    assert Candidate.objects.get(pk=candidate.pk).email == PERSONAL["email"]
    assert not CandidateErasure.objects.exists()


def test_confirmed_with_a_reason_erases_and_audits_without_personal_data(client, held,
                                                                         django_capture_on_commit_callbacks):
    procedure, officer, candidate, _appointment, link = held
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(candidate), {"confirmed": "yes", "reason": "request by e-mail of 3 December"})
    assert response.status_code == 302 and response["Location"].endswith(f"/candidates/{candidate.pk}/")
    candidate.refresh_from_db()
    assert candidate.last_name == f"#{candidate.pk}" and candidate.email.endswith("@erased.invalid")
    entry = AuditEntry.objects.get(action="candidate.erase")
    assert entry.actor == officer and entry.reason == "request by e-mail of 3 December"
    text = str(entry.changes)
    assert all(value not in text for value in [*PERSONAL.values(), *TEXTS])
    assert entry.changes["candidates"] == [None, 1] and entry.changes["files"] == [None, 1]
    erasure = CandidateErasure.objects.get(candidate=candidate)
    assert erasure.cause == "request" and erasure.erased_by == officer
    # The personal link no longer opens anything; the detail page shows the number only.
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(path).status_code in (404, 410)
    detail = client.get(f"/procedures/{procedure.pk}/candidates/{candidate.pk}/").content.decode()
    assert PERSONAL["last_name"] not in detail and PERSONAL["cv_text"] not in detail
    # A second request is refused with a clear message.
    again = client.get(url(candidate), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "already been erased" in again.content.decode()


def test_without_confirmation_or_reason_nothing_changes(client, held):
    _procedure, officer, candidate, _appointment, _link = held
    client.force_login(officer)
    assert client.post(url(candidate), {"reason": "asked"}).status_code == 200
    response = client.post(url(candidate), {"confirmed": "yes", "reason": "  "}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert Candidate.objects.get(pk=candidate.pk).email == PERSONAL["email"]
    assert not AuditEntry.objects.filter(action="candidate.erase").exists()


@pytest.mark.parametrize("status", [Appointment.Status.PLANNED, Appointment.Status.INVITED,
                                    Appointment.Status.CONFIRMED])
def test_refused_while_an_interview_is_planned_invited_or_confirmed(client, held, status):
    procedure, officer, candidate, _appointment, _link = held
    start = timezone.now() + dt.timedelta(days=10)
    AppointmentFactory(procedure=procedure, candidate=candidate, status=status, starts_at=start,
                       ends_at=start + dt.timedelta(hours=1))
    client.force_login(officer)
    page = client.get(url(candidate), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "still has 1 appointment that is planned, invited or confirmed" in page.content.decode()
    response = client.post(url(candidate), {"confirmed": "yes", "reason": "request"}, follow=True,
                           HTTP_ACCEPT_LANGUAGE="nl")
    assert "nog 1 afspraak" in response.content.decode()
    assert Candidate.objects.get(pk=candidate.pk).email == PERSONAL["email"]
    assert not CandidateErasure.objects.exists()


def test_only_the_procedures_officer_may_erase(client, held):
    procedure, officer, candidate, _appointment, _link = held
    assessor = member(procedure, Role.ASSESSOR)
    proctor = member(procedure, Role.PROCTOR)
    outsider = member(ProcedureFactory(), Role.SELECTION_OFFICER)
    for user in (assessor, proctor, outsider):
        client.force_login(user)
        assert client.get(url(candidate)).status_code == 404
        assert client.post(url(candidate), {"confirmed": "yes", "reason": "x"}).status_code == 404
    client.logout()
    assert client.get(url(candidate)).status_code == 302
    assert client.post(url(candidate), {"confirmed": "yes", "reason": "x"})["Location"].startswith("/accounts/login/")
    assert Candidate.objects.get(pk=candidate.pk).email == PERSONAL["email"]
    client.force_login(officer)
    assert client.get(f"/procedures/{procedure.pk}/candidates/999999/erase/").status_code == 404
