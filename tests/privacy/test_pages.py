"""The privacy notice and the accessibility statement: public, in every language, linked from every page."""

import pytest

from tests.factories import CandidateFactory, ProcedureFactory, member

pytestmark = pytest.mark.django_db

HEADINGS = {
    "nl": ("Privacyverklaring", "Toegankelijkheidsverklaring"),
    "fr": ("Déclaration de confidentialité", "Déclaration d’accessibilité"),
    "de": ("Datenschutzerklärung", "Erklärung zur Barrierefreiheit"),
    "en": ("Privacy notice", "Accessibility statement"),
}


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_both_pages_are_public_and_read_in_each_language(client, language):
    notice = client.get(f"/privacy/{language}/")
    statement = client.get(f"/accessibility/{language}/")
    assert notice.status_code == statement.status_code == 200
    assert f'<html lang="{language}">' in notice.content.decode()
    assert f"<h1>{HEADINGS[language][0]}</h1>" in notice.content.decode()
    assert f"<h1>{HEADINGS[language][1]}</h1>" in statement.content.decode()


def test_the_contact_details_and_the_retention_period_come_from_the_settings(client, settings):
    settings.PRIVACY_CONTROLLER_NAME = "FOD Beleid en Ondersteuning"
    settings.PRIVACY_CONTROLLER_ADDRESS = "Simon Bolivarlaan 30, 1000 Brussel"
    settings.PRIVACY_DPO_EMAIL = "dpo@bosa.example"
    settings.ACCESSIBILITY_CONTACT_EMAIL = "toegankelijk@bosa.example"
    settings.RETENTION_MONTHS = 18
    notice = client.get("/privacy/nl/").content.decode()
    assert "FOD Beleid en Ondersteuning" in notice and "Simon Bolivarlaan 30" in notice
    assert 'href="mailto:dpo@bosa.example"' in notice
    assert "tot 18 maanden na het afsluiten van de procedure" in notice
    statement = client.get("/accessibility/fr/").content.decode()
    assert 'href="mailto:toegankelijk@bosa.example"' in statement and "FOD Beleid en Ondersteuning" in statement


@pytest.mark.parametrize(("language", "never_recorded", "erasure"), [
    ("nl", "worden nooit opgenomen", "Wissing:"),
    ("fr", "ne sont jamais enregistrés", "Effacement :"),
    ("de", "werden nie aufgezeichnet", "Löschung:"),
])
def test_the_notice_says_interviews_are_never_recorded_and_names_the_rights(client, language, never_recorded,
                                                                            erasure):
    notice = client.get(f"/privacy/{language}/").content.decode()
    assert never_recorded in notice and erasure in notice


def test_an_unknown_language_is_not_found(client):
    assert client.get("/privacy/xx/").status_code == 404
    assert client.get("/accessibility/es/").status_code == 404


def test_without_a_language_the_page_follows_the_visitors_language(client):
    page = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="de")
    assert "<h1>Datenschutzerklärung</h1>" in page.content.decode()


def test_the_footer_of_staff_and_public_pages_links_to_both_pages(client):
    officer = member(ProcedureFactory(), "selection_officer")
    client.force_login(officer)
    for path in ("/", "/accounts/two-factor/recovery-codes/"):
        page = client.get(path, follow=True, HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 200
        html = page.content.decode()
        assert 'href="/privacy/en/"' in html and 'href="/accessibility/en/"' in html, path
    client.logout()
    login_page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'href="/privacy/fr/"' in login_page and "Déclaration de confidentialité" in login_page


def test_the_candidates_personal_page_links_to_both_pages_in_their_language(client):
    from interviewdesk.portal.services.access import access_link_issue

    candidate = CandidateFactory(language="de")
    link = access_link_issue(candidate=candidate)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert client.post(path).status_code == 302
    overview = client.get("/portal/").content.decode()
    assert 'href="/privacy/de/"' in overview and 'href="/accessibility/de/"' in overview
    assert "Datenschutzerklärung" in overview
