"""During a preparation the personal page offers the live problem form, and only then."""

from __future__ import annotations

import html

import pytest

from interviewdesk.live import services
from interviewdesk.live.models import ProblemReport, State
from interviewdesk.portal.services import overview_touch
from tests.live.conftest import bring_to, declare_all, make_setup

from .conftest import log_in

pytestmark = pytest.mark.django_db

FORM_HEADING = "Meld een probleem aan de toezichter"  # "Report a problem to the proctor" in Dutch


@pytest.fixture
def prepared():
    return make_setup(pre_stage="case", pre_stage_minutes=30)


def page(client) -> str:
    response = client.get("/portal/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_form_appears_when_the_preparation_starts_and_goes_when_it_ends(client, prepared):
    s = prepared
    log_in(client, s.appointment.candidate)
    assert FORM_HEADING not in page(client)
    session = bring_to(s, State.RULES_CONFIRMED)
    assert FORM_HEADING not in page(client)  # the candidate is with us, but not preparing
    services.session_preparation_start(actor=s.proctor, session=session)
    shown = page(client)
    assert FORM_HEADING in shown
    assert 'action="/me/session/problem/"' in shown
    assert 'name="next" value="/portal/"' in shown
    declare_all(s)
    services.session_part_1_start(actor=s.chair, session=session)
    assert FORM_HEADING not in page(client)


def test_the_candidate_sends_a_problem_from_the_page_with_their_portal_session(client, prepared):
    s = prepared
    session = bring_to(s, State.RULES_CONFIRMED)
    services.session_preparation_start(actor=s.proctor, session=session)
    log_in(client, s.appointment.candidate)
    assert FORM_HEADING in page(client)
    response = client.post("/me/session/problem/", {"text": "De case opent niet", "next": "/portal/"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert "aangekomen" in html.unescape(response.content.decode())
    assert ProblemReport.objects.get().text == "De case opent niet"


def test_another_candidates_session_does_not_show_the_form(client, prepared):
    s = prepared
    session = bring_to(s, State.RULES_CONFIRMED)
    services.session_preparation_start(actor=s.proctor, session=session)
    other = make_setup(pre_stage="case", pre_stage_minutes=30)
    log_in(client, other.appointment.candidate)
    assert FORM_HEADING not in page(client)


def test_the_overview_during_a_session_costs_one_query_more_and_nothing_more_once_cached(
        client, prepared, django_assert_num_queries):
    s = prepared
    session = bring_to(s, State.RULES_CONFIRMED)
    services.session_preparation_start(actor=s.proctor, session=session)
    log_in(client, s.appointment.candidate)
    client.get("/portal/")  # the CSRF cookie and the deadline cache
    overview_touch(s.appointment.candidate.pk)
    with django_assert_num_queries(5):  # the four of every overview, and the live state
        assert FORM_HEADING in page(client)
    with django_assert_num_queries(2):  # the session, then the page from the cache
        assert FORM_HEADING in page(client)
