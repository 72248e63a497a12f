import pytest

pytestmark = pytest.mark.django_db


def test_unknown_page_answers_404_with_our_own_translated_page(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"This page does not exist, or you have no access to it." in response.content
