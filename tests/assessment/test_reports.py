"""PDF reports render in the candidate's language, hide what the candidate must not see, fetch nothing."""

import shutil
import subprocess
import urllib.request

import pytest
from django.urls import reverse

from interviewdesk.assessment import reports
from interviewdesk.assessment.models import Result

from .conftest import complete

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    pdftotext = shutil.which("pdftotext")  # poppler-utils (make system-deps)
    text = subprocess.run([pdftotext, "-layout", str(path), "-"],
                          check=True, capture_output=True, text=True).stdout
    return " ".join(text.split())


@pytest.fixture
def signed(world):
    world.appointment.candidate.first_name, world.appointment.candidate.last_name = "Lotte", "Peeters"
    return world, complete(world.appointment, world.panel,
                           {world.chair: [4, 5], world.a1: [4, 6], world.a2: [3, 5]}, [4, 5])


EXPECTED = {
    "nl": ["Feedbackrapport", "Uw eindscore is 73,75 %", "U bent geslaagd voor dit gesprek.", "Sterke punten",
           "Ontwikkelpunten", "Niveau: eerder goed", "Niveau: goed", "binnen twee maanden"],
    "fr": ["Rapport de feedback", "Votre score final est de 73,75 %", "Vous avez réussi cet entretien.",
           "Points forts", "Points à développer", "Niveau : plutôt bon", "Niveau : bon", "dans les deux mois"],
    "de": ["Feedbackbericht", "Ihr Endergebnis beträgt 73,75 %", "Sie haben dieses Gespräch bestanden.", "Stärken",
           "Entwicklungsfelder", "Stufe: eher gut", "Stufe: gut", "innerhalb von zwei Monaten"],
}


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_the_feedback_report_renders_in_the_candidates_language(signed, tmp_path, language):
    world, result = signed
    candidate = world.appointment.candidate
    candidate.language = language
    candidate.save()
    text = pdf_text(reports.feedback_pdf(result), tmp_path)
    for phrase in EXPECTED[language]:
        assert phrase in text, phrase
    assert "Clear examples" in text and "Delegation" in text


def test_the_feedback_report_names_no_jury_member_and_no_individual_level(signed, tmp_path):
    world, result = signed
    text = pdf_text(reports.feedback_pdf(result), tmp_path)
    for user in world.panel:
        assert user.last_name not in text
        assert user.username not in text
    # a1 gave "very good" (6) on one competency; only consensus levels may appear.
    assert "zeer goed" not in text
    assert "ICC" not in text


@pytest.mark.parametrize("language,heading,timeline_word", [("nl", "Juryverslag", "Verloop van de sessie"),
                                                           ("fr", "Rapport du jury", "Déroulement de la session"),
                                                           ("de", "Jurybericht", "Ablauf der Sitzung")])
def test_the_jury_report_has_sheets_consensus_sign_off_and_the_timeline(signed, tmp_path, language, heading,
                                                                         timeline_word):
    world, result = signed
    world.appointment.candidate.language = language
    world.appointment.candidate.save()
    events = [{"at": world.appointment.starts_at, "label": "Identity check", "detail": "ID card matches"}]
    text = pdf_text(reports.jury_pdf(result, timeline=events), tmp_path)
    assert heading in text and timeline_word in text
    assert "Identity check" in text and "ID card matches" in text
    for user in world.panel:
        assert str(user) in text
    assert "73,75 %" in text


def test_an_empty_timeline_says_so(signed, tmp_path):
    _world, result = signed
    assert "Er werden geen gebeurtenissen van de sessie vastgelegd." in pdf_text(reports.jury_pdf(result), tmp_path)


def test_rendering_never_opens_a_network_url(monkeypatch):
    opened = []
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", lambda self, *a, **k: opened.append(a) or None)
    from django.template import engines
    template = engines["django"].from_string('<img src="http://example.org/x.png"><link rel="stylesheet" href="https://example.org/a.css">')
    monkeypatch.setattr(reports, "render_to_string", lambda name, context: template.render(context))
    data = reports.render_pdf("unused", {}, "nl")
    assert data.startswith(b"%PDF")
    assert opened == []


def test_staff_download_both_reports_and_the_candidate_text_is_in_their_language(client, signed, tmp_path):
    world, _result = signed
    client.force_login(world.officer)
    kwargs = {"pk": world.procedure.pk, "appointment_id": world.appointment.pk}
    feedback = client.get(reverse("assessment:feedback_pdf", kwargs=kwargs))
    jury = client.get(reverse("assessment:jury_pdf", kwargs=kwargs))
    assert (feedback.status_code, feedback["Content-Type"]) == (200, "application/pdf")
    assert "Feedbackrapport" in pdf_text(feedback.content, tmp_path)
    assert "Juryverslag" in pdf_text(jury.content, tmp_path)
    client.force_login(world.a1)
    assert client.get(reverse("assessment:jury_pdf", kwargs=kwargs)).status_code == 200


def test_reports_wait_for_the_sign_off(client, world):
    client.force_login(world.officer)
    kwargs = {"pk": world.procedure.pk, "appointment_id": world.appointment.pk}
    assert client.get(reverse("assessment:feedback_pdf", kwargs=kwargs)).status_code == 404
    assert not Result.objects.exists()


def test_the_candidate_gets_the_feedback_report_only_once_published(signed, tmp_path):
    from interviewdesk.assessment import services

    world, result = signed
    candidate = world.appointment.candidate
    assert reports.candidate_feedback_pdf(candidate) is None
    services.result_notify(result=result)
    assert "Feedbackrapport" in pdf_text(reports.candidate_feedback_pdf(candidate), tmp_path)


@pytest.mark.parametrize("language,expected", [
    ("nl", ["Uw gespreksresultaat", "Uw eindscore is 73,75 %", "Download uw feedbackrapport (pdf)"]),
    ("fr", ["Le résultat de votre entretien", "Votre score final est de 73,75 %", "Télécharger votre rapport de feedback (PDF)"]),
    ("de", ["Ihr Gesprächsergebnis", "Ihr Endergebnis beträgt 73,75 %", "Ihren Feedbackbericht herunterladen (PDF)"]),
])
def test_the_personal_page_block_is_in_the_candidates_language(signed, language, expected):
    from django.template.loader import render_to_string
    from django.utils import translation

    _world, result = signed
    with translation.override(language):
        html = render_to_string("assessment/_candidate_result.html", {"result": result, "download_url": "/x"})
        waiting = render_to_string("assessment/_candidate_result.html", {"result": None})
    for phrase in expected:
        assert phrase in html, phrase
    assert "73,75" not in waiting and "<h2" in waiting
