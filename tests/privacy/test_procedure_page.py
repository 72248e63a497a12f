"""The officer's privacy page of a procedure: the retention period, when erasure is due, what it erases."""

import pytest

from interviewdesk.core.models import AuditEntry
from interviewdesk.privacy.models import RetentionPolicy
from interviewdesk.procedures.models import Role
from tests.factories import CandidateFactory, ProcedureFactory, member

pytestmark = pytest.mark.django_db


def test_the_officer_sees_the_period_and_what_erasure_would_change_and_a_get_writes_nothing(client, settings):
    settings.RETENTION_MONTHS = 24
    procedure = ProcedureFactory()
    CandidateFactory.create_batch(2, procedure=procedure)
    officer = member(procedure, Role.SELECTION_OFFICER)
    client.force_login(officer)
    before = AuditEntry.objects.count()
    page = client.get(f"/procedures/{procedure.pk}/privacy/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200 and "24 months after the procedure is closed" in html
    assert "counted from the day the procedure is closed" in html
    assert "identity, contact details, CV and motivation" in html and "<td class=\"num\">2</td>" in html
    assert f'href="/procedures/{procedure.pk}/privacy/"' in html  # in the section menu
    assert AuditEntry.objects.count() == before and not RetentionPolicy.objects.exists()


def test_the_officer_changes_the_period_audited_and_bad_values_get_a_clear_message(client):
    procedure = ProcedureFactory()
    officer = member(procedure, Role.SELECTION_OFFICER)
    client.force_login(officer)
    assert client.post(f"/procedures/{procedure.pk}/privacy/", {"months": "6"}).status_code == 302
    assert RetentionPolicy.objects.get(procedure=procedure).months == 6
    entry = AuditEntry.objects.get(action="procedure.retention")
    assert entry.actor == officer and entry.changes == {"retention_months": [24, 6]}
    bad = client.post(f"/procedures/{procedure.pk}/privacy/", {"months": "0"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert bad.status_code == 400 and "minstens 1" in bad.content.decode()
    assert RetentionPolicy.objects.get(procedure=procedure).months == 6


def test_only_the_procedures_officer_opens_the_page(client):
    procedure = ProcedureFactory()
    url = f"/procedures/{procedure.pk}/privacy/"
    for role in (Role.ASSESSOR, Role.JURY_CHAIR, Role.PROCTOR):
        client.force_login(member(procedure, role))
        assert client.get(url).status_code == 404 and client.post(url, {"months": "1"}).status_code == 404
    client.force_login(member(ProcedureFactory(), Role.SELECTION_OFFICER))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    assert not RetentionPolicy.objects.exists()
