"""A list's search names a person, so it never travels in an address (access logs, proxies, browser
history): the search form is POSTed, the text kept in the staff member's session, and the list
shown at an address with only an opaque key (core.listing.SearchInSessionMiddleware)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from interviewdesk.procedures.models import Role
from tests.factories import CandidateFactory, ProcedureFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure_with_candidates():
    procedure = ProcedureFactory()
    wanted = CandidateFactory(procedure=procedure, last_name="Goossens")
    CandidateFactory(procedure=procedure, last_name="Other")
    return procedure, wanted


def test_the_search_form_is_posted_and_the_list_address_carries_only_a_key(client, procedure_with_candidates):
    procedure, wanted = procedure_with_candidates
    client.force_login(member(procedure, Role.SELECTION_OFFICER))
    url = f"/procedures/{procedure.pk}/"
    page = client.get(url).content.decode()
    assert re.search(r'<form method="post" class="list-controls" role="search">', page)
    sent = client.post(url, {"list_search": "1", "q": "Gooss", "astatus": "invited", "page": "3"})
    assert sent.status_code == 303
    location = sent["Location"]
    assert "gooss" not in location.lower() and "page=" not in location  # a new search starts on page 1
    assert re.fullmatch(rf"{url}\?astatus=invited&s=[\w-]+", location)
    response = client.get(location)
    assert list(response.context["candidates"]) == [wanted]
    assert 'value="Gooss"' in response.content.decode()  # the box shows what was searched
    # The same search again keeps its key; an empty one drops it.
    assert client.post(url, {"list_search": "1", "q": "Gooss", "astatus": "invited"})["Location"] == location
    assert client.post(url, {"list_search": "1", "q": " "})["Location"] == url


def test_a_key_means_nothing_in_another_session(client, procedure_with_candidates):
    procedure, _wanted = procedure_with_candidates
    client.force_login(member(procedure, Role.SELECTION_OFFICER))
    location = client.post(f"/procedures/{procedure.pk}/", {"list_search": "1", "q": "Gooss"})["Location"]
    other = Client()
    other.force_login(member(procedure, Role.SELECTION_OFFICER))
    assert other.get(location).context["candidates"].paginator.count == 2  # no search: every candidate


def test_the_search_post_needs_the_csrf_token(procedure_with_candidates):
    procedure, _wanted = procedure_with_candidates
    client = Client(enforce_csrf_checks=True)
    client.force_login(member(procedure, Role.SELECTION_OFFICER))
    assert client.post(f"/procedures/{procedure.pk}/", {"list_search": "1", "q": "Gooss"}).status_code == 403


def test_an_anonymous_search_is_sent_to_log_in_and_shows_nothing(client, procedure_with_candidates):
    procedure, _wanted = procedure_with_candidates
    sent = client.post(f"/procedures/{procedure.pk}/", {"list_search": "1", "q": "Gooss"})
    followed = client.get(sent["Location"])
    assert followed.status_code == 302 and "/login" in followed["Location"]
    assert "Gooss" not in followed["Location"]
