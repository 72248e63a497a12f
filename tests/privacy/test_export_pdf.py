"""A candidate's own data as a PDF (issue 12: JSON plus a readable PDF): from the personal page and
for the officer, in the candidate's language, rendered by WeasyPrint like the project's reports,
audited, never cached; the same need-to-know as the other copies."""

import pytest

from interviewdesk.core.models import AuditEntry
from interviewdesk.procedures.models import Role
from tests.assessment.test_reports import pdf_text
from tests.factories import ProcedureFactory, member

from .scenario import PERSONAL, TEXTS, held_candidate
from .test_export import log_in_as_candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def held():
    procedure = ProcedureFactory()
    officer = member(procedure, Role.SELECTION_OFFICER)
    candidate, appointment, link = held_candidate(procedure, officer, language="nl")
    return procedure, officer, candidate, appointment, link


def test_the_candidate_downloads_their_data_as_a_pdf_in_their_language(client, held, tmp_path):
    _procedure, _officer, candidate, _appointment, link = held
    log_in_as_candidate(client, link)
    assert 'href="/portal/my-data/all.pdf"' in client.get("/portal/my-data/").content.decode()
    response = client.get("/portal/my-data/all.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="candidate-{candidate.pk}.pdf"'
    assert response["Cache-Control"] == "no-store"
    text = pdf_text(response.content, tmp_path)
    assert "Alles wat we over u bijhouden" in text and "Afspraken" in text
    assert PERSONAL["cv_text"] in text and TEXTS[2] in text
    # Dates in words and moments in local time with the zone, not ISO 8601 (the JSON keeps that).
    assert "17 mei 1990" in text and "1990-05-17" not in text  # tests.factories' date of birth
    assert " CET" in text or " CEST" in text
    # The candidate's copy: no jury member's own sheet (as in the JSON and the page).
    assert "score sheets" not in text.lower() and "scoreformulieren" not in text.lower()
    entry = AuditEntry.objects.get(action="candidate.export")
    assert entry.actor_label == "candidate" and entry.to_state == "pdf"


def test_the_officer_gets_the_full_file_as_a_pdf_in_the_candidates_language(client, held, tmp_path):
    procedure, officer, candidate, _appointment, _link = held
    client.force_login(officer)
    page = client.get(f"/procedures/{procedure.pk}/candidates/{candidate.pk}/").content.decode()
    assert f'href="/procedures/{procedure.pk}/candidates/{candidate.pk}/data.pdf"' in page
    response = client.get(f"/procedures/{procedure.pk}/candidates/{candidate.pk}/data.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    text = pdf_text(response.content, tmp_path)
    assert f"#{candidate.pk}" in text and PERSONAL["email"] in text and "Afspraken" in text
    assert AuditEntry.objects.get(action="candidate.export", actor=officer).to_state == "pdf"


def test_only_the_procedures_officer_and_the_candidate_get_the_pdf(client, held):
    procedure, _officer, candidate, _appointment, _link = held
    url = f"/procedures/{procedure.pk}/candidates/{candidate.pk}/data.pdf"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for user in (member(procedure, Role.ASSESSOR), member(procedure, Role.PROCTOR), member(procedure, Role.JURY_CHAIR),
                 member(ProcedureFactory(), Role.SELECTION_OFFICER)):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get("/portal/my-data/all.pdf").status_code == 403
    assert not AuditEntry.objects.filter(action="candidate.export").exists()
