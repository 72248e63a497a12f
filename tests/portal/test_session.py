import pytest
from django.utils import timezone

from interviewdesk.portal.models import AccessToken
from interviewdesk.portal.services.access import access_link_issue, access_link_revoke
from interviewdesk.portal.session import FAILED_LIMIT, SESSION_CANDIDATE, SESSION_TOKEN
from interviewdesk.procedures.models import Procedure
from tests.factories import AppointmentFactory, CandidateFactory
from tests.portal.conftest import log_in, token_of

pytestmark = pytest.mark.django_db


def test_opening_the_link_shows_a_button_and_logs_nobody_in_nor_uses_anything_up(client):
    candidate = CandidateFactory(language="fr")
    raw = token_of(access_link_issue(candidate=candidate))
    for _ in range(3):  # a mail scanner may fetch the link several times
        response = client.get(f"/p/{raw}/")
        assert response.status_code == 200
        assert response["Referrer-Policy"] == "no-referrer"
        assert "Ouvrir ma page personnelle" in response.content.decode()
    assert SESSION_CANDIDATE not in client.session
    token = AccessToken.objects.get(candidate=candidate)
    assert token.last_used_at is None and token.revoked_at is None
    assert client.get("/portal/").status_code == 403


def test_the_button_starts_a_session_that_holds_only_ids_and_later_urls_carry_no_token(client):
    candidate = CandidateFactory()
    AppointmentFactory(candidate=candidate, procedure=candidate.procedure)
    raw = log_in(client, candidate)
    from interviewdesk.core.middleware import SESSION_IDLE, SESSION_SEEN, SESSION_STARTED

    held = dict(client.session.items())
    # Besides the ids: when the session started and was last used, and its idle limit (numbers).
    assert all(isinstance(held.pop(key), int) for key in (SESSION_STARTED, SESSION_SEEN, SESSION_IDLE))
    assert held == {SESSION_CANDIDATE: candidate.pk, SESSION_TOKEN: AccessToken.objects.get(candidate=candidate).pk}
    response = client.get("/portal/")
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert raw not in response.content.decode()


def test_the_page_speaks_the_candidates_language_whatever_the_browser_asks(client):
    candidate = CandidateFactory(language="de")
    log_in(client, candidate)
    response = client.get("/portal/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Content-Language"] == "de"
    assert '<html lang="de">' in response.content.decode()
    assert "Ihre Termine" in response.content.decode()


def test_unknown_revoked_and_expired_links_get_a_clear_page_and_no_session(client):
    candidate = CandidateFactory(procedure__contact_name="Marie Dubois", language="nl")
    raw = token_of(access_link_issue(candidate=candidate))
    response = client.post("/p/" + "x" * 43 + "/")
    assert response.status_code == 404
    assert "Marie Dubois" not in response.content.decode()

    access_link_revoke(candidate=candidate)
    response = client.post(f"/p/{raw}/")
    assert response.status_code == 410
    assert "Marie Dubois" in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"

    raw = token_of(access_link_issue(candidate=candidate))
    AccessToken.objects.filter(revoked_at__isnull=True).update(expires_at=timezone.now())
    response = client.post(f"/p/{raw}/")
    assert response.status_code == 410
    assert SESSION_CANDIDATE not in client.session


def test_revoking_the_link_ends_a_session_already_open(client):
    candidate = CandidateFactory()
    log_in(client, candidate)
    assert client.get("/portal/").status_code == 200
    access_link_revoke(candidate=candidate)
    assert client.get("/portal/").status_code == 403
    assert SESSION_CANDIDATE not in client.session


def test_closing_the_procedure_ends_the_session(client):
    candidate = CandidateFactory()
    log_in(client, candidate)
    Procedure.objects.filter(pk=candidate.procedure_id).update(status=Procedure.Status.CLOSED)
    assert client.get("/portal/").status_code == 403


def test_reissuing_the_link_logs_the_old_session_out_and_the_new_link_works(client):
    candidate = CandidateFactory()
    log_in(client, candidate)
    raw = token_of(access_link_issue(candidate=candidate))
    assert client.get("/portal/").status_code == 403
    assert client.post(f"/p/{raw}/").status_code == 302
    assert client.get("/portal/").status_code == 200


def test_failed_attempts_limit_the_guesser_but_never_a_valid_link_from_the_same_address(client):
    candidate = CandidateFactory()
    raw = token_of(access_link_issue(candidate=candidate))
    for _ in range(FAILED_LIMIT):
        assert client.get("/p/" + "y" * 43 + "/").status_code == 404
    # The guesser is stopped: more wrong links from that address get 429 and are still counted …
    assert client.get("/p/" + "z" * 43 + "/").status_code == 429
    # … while a candidate behind the same NAT or proxy, with a valid link, is let in.
    assert client.get(f"/p/{raw}/").status_code == 200
    assert client.post(f"/p/{raw}/").status_code == 302
    assert client.get("/portal/").status_code == 200
    assert client.get("/p/" + "w" * 43 + "/", REMOTE_ADDR="192.0.2.7").status_code == 404  # other addresses count apart


def test_logging_out_ends_the_session(client):
    candidate = CandidateFactory()
    log_in(client, candidate)
    assert client.post("/portal/logout/").status_code == 200
    assert client.get("/portal/").status_code == 403


def test_every_portal_page_without_a_session_is_refused(client):
    for url in ["/portal/", "/portal/phone/", "/portal/equipment/", "/portal/rules/", "/portal/problem/",
                "/portal/room/"]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "personal link" in response.content.decode()


def _csrf_from(response) -> str:
    html = response.content.decode()
    return html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def test_no_referrer_posts_with_origin_null_pass_only_with_the_csrf_token():
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    candidate = CandidateFactory()
    raw = token_of(access_link_issue(candidate=candidate))
    page = browser.get(f"/p/{raw}/")
    assert browser.post(f"/p/{raw}/", HTTP_ORIGIN="null").status_code == 403
    assert browser.post(f"/p/{raw}/", {"csrfmiddlewaretoken": _csrf_from(page)},
                        HTTP_ORIGIN="https://evil.example").status_code == 403
    response = browser.post(f"/p/{raw}/", {"csrfmiddlewaretoken": _csrf_from(page)}, HTTP_ORIGIN="null")
    assert response.status_code == 302
    phone = browser.get("/portal/phone/")
    assert browser.post("/portal/phone/", {"phone": "+32471987654"}, HTTP_ORIGIN="null").status_code == 403
    assert browser.post("/portal/phone/", {"phone": "+32471987654", "csrfmiddlewaretoken": _csrf_from(phone)},
                        HTTP_ORIGIN="null").status_code == 302
