"""A candidate's own data: from the personal page (their copy) and for the officer (the full file)."""

import json

import pytest

from interviewdesk.assessment import services as assessment
from interviewdesk.assessment.models import Result
from interviewdesk.core.models import AuditEntry
from interviewdesk.procedures.models import Role
from tests.factories import ProcedureFactory, member

from .scenario import PERSONAL, TEXTS, held_candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def held():
    procedure = ProcedureFactory()
    officer = member(procedure, Role.SELECTION_OFFICER)
    candidate, appointment, link = held_candidate(procedure, officer, language="fr")
    return procedure, officer, candidate, appointment, link


def log_in_as_candidate(client, link):
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert client.post(path).status_code == 302


def test_the_candidate_downloads_everything_held_on_them_as_json(client, held):
    _procedure, _officer, _candidate, _appointment, link = held
    log_in_as_candidate(client, link)
    response = client.get("/portal/my-data/all.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response["Cache-Control"] == "no-store" and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["candidate"][0]["email"] == PERSONAL["email"] and data["candidate"][0]["cv"] == PERSONAL["cv_text"]
    assert data["requests"][0]["reason"] == TEXTS[1] and TEXTS[0] in [r.get("details") for r in data["requests"]]
    assert data["problems"][0]["text"] == TEXTS[2]
    assert data["sessions"][0]["identity_note"] == TEXTS[3]
    assert data["messages"][0]["subject"].startswith("Uitnodiging")
    assert data["logins"] and data["logins"][0]["address"] == "127.0.0.1"
    assert data["appointments"][0]["kind"] == "entretien" and data["appointments"][0]["starts_at"]
    # Signed off but not published: the candidate's copy holds no result and never the jury's own sheets.
    assert data["result"] == [] and "score_sheets" not in data
    entry = AuditEntry.objects.get(action="candidate.export")
    assert entry.actor_label == "candidate" and entry.to_state == "json"


def test_the_result_is_in_the_candidates_copy_once_published_as_on_their_page(client, held):
    procedure, officer, _candidate, appointment, link = held
    assessment.results_publish(procedure=procedure, actor=officer)
    log_in_as_candidate(client, link)
    data = json.loads(client.get("/portal/my-data/all.json").content)
    [result] = data["result"]
    assert result["final_pct"] == str(Result.objects.get(appointment=appointment).final_pct)
    assert "Clear examples" in json.dumps(data["result"])
    assert "score_sheets" not in data


def test_the_readable_page_is_in_the_candidates_language(client, held):
    _procedure, _officer, _candidate, _appointment, link = held
    log_in_as_candidate(client, link)
    overview = client.get("/portal/").content.decode()
    assert 'href="/portal/my-data/"' in overview
    assert "Vos données" in client.get("/portal/my-data/").content.decode()
    page = client.get("/portal/my-data/all/")
    html = page.content.decode()
    assert page.status_code == 200 and '<html lang="fr">' in html
    assert "Tout ce que nous conservons à votre sujet" in html and PERSONAL["motivation"] in html


def test_without_a_candidate_session_there_is_no_download(client, held):
    assert client.get("/portal/my-data/all.json").status_code == 403
    assert client.get("/portal/my-data/all/").status_code == 403
    assert not AuditEntry.objects.filter(action="candidate.export").exists()


def test_the_officer_gets_the_full_file_with_each_jury_members_sheet(client, held):
    procedure, officer, candidate, _appointment, _link = held
    client.force_login(officer)
    data = json.loads(client.get(f"/procedures/{procedure.pk}/candidates/{candidate.pk}/data.json").content)
    assert data["candidate"][0]["email"] == PERSONAL["email"]
    assert len(data["score_sheets"]) == 3 and data["score_sheets"][0]["part1_notes"] == "notes"
    assert data["result"][0]["final_pct"]
    page = client.get(f"/procedures/{procedure.pk}/candidates/{candidate.pk}/data/")
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert f"#{candidate.pk}" in page.content.decode()
    assert AuditEntry.objects.filter(action="candidate.export", actor=officer).count() == 2


def test_only_the_procedures_officer_may_export(client, held):
    procedure, _officer, candidate, _appointment, _link = held
    urls = [f"/procedures/{procedure.pk}/candidates/{candidate.pk}/data.json",
            f"/procedures/{procedure.pk}/candidates/{candidate.pk}/data/"]
    for user in (member(procedure, Role.ASSESSOR), member(procedure, Role.PROCTOR), member(procedure, Role.JURY_CHAIR),
                 member(ProcedureFactory(), Role.SELECTION_OFFICER)):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [404, 404]
    client.logout()
    assert [client.get(url).status_code for url in urls] == [302, 302]
    assert not AuditEntry.objects.filter(action="candidate.export").exists()
