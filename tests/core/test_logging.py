import logging

import pytest

from interviewdesk.core.logging import RedactPersonalLinks
from interviewdesk.portal.services.access import access_link_issue
from tests.factories import CandidateFactory


def test_filter_replaces_the_token_in_message_and_arguments():
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s',
                               ("GET /p/AbC-123_xyz/ HTTP/1.1", "200", "512"), None)
    RedactPersonalLinks().filter(record)
    assert record.getMessage() == '"GET /p/[token]/ HTTP/1.1" 200 512'


@pytest.mark.django_db
def test_a_personal_link_never_reaches_the_request_log(client, caplog):
    link = access_link_issue(candidate=CandidateFactory())
    token = link.rstrip("/").rsplit("/", 1)[1]
    handler = logging.getLogger("django.request").handlers[0]
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(f"/p/{token}x/")  # an unknown token
        client.get(f"/p/{token}/does-not-exist")  # a 404 with the real token in the path
    formatted = [handler.format(r) for r in caplog.records if handler.filter(r)]
    assert formatted, "the 404 must still be logged"
    assert not any(token in line for line in formatted)


def test_graph_request_urls_are_not_logged():
    """httpx writes each request's URL at INFO; Microsoft Graph URLs name the organizer's account."""
    import logging

    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)


def test_filter_replaces_the_search_text_of_a_list():
    """A staff list's search (?q=) holds a name or an e-mail address, and the console's poll repeats
    it every second: the server log keeps the rest of the address."""
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s',
                               ("GET /console/rows/?v=3.1&q=Ingrid+Vandamme&status=scheduled HTTP/1.1", "200", "9"),
                               None)
    RedactPersonalLinks().filter(record)
    assert record.getMessage() == '"GET /console/rows/?v=3.1&q=[search]&status=scheduled HTTP/1.1" 200 9'
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, "GET /procedures/4/?q=a%40b.be", (), None)
    RedactPersonalLinks().filter(record)
    assert record.getMessage() == "GET /procedures/4/?q=[search]"
