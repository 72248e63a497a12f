"""The candidate's personal page shows the published result and serves the feedback report."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.test import Client

from interviewdesk.assessment import services
from interviewdesk.portal.services import overview_touch
from interviewdesk.procedures.models import Role
from tests.assessment.conftest import complete
from tests.assessment.test_reports import pdf_text
from tests.factories import (
    AppointmentFactory,
    CandidateFactory,
    ProcedureFactory,
    jury_with_members,
    member,
    with_profile,
)

from .conftest import log_in

pytestmark = pytest.mark.django_db

HEADING = "Uw gespreksresultaat"  # "Your interview result" in Dutch


@pytest.fixture
def scored():
    """A candidate whose interview is signed off but not yet published, and a second candidate."""
    procedure = with_profile(ProcedureFactory())
    jury = jury_with_members(procedure)
    panel = [jury.chair, *[m.user for m in jury.members.filter(role="assessor").order_by("id")]]
    appointment = AppointmentFactory(procedure=procedure, jury=jury,
                                     candidate=CandidateFactory(procedure=procedure, first_name="Lotte",
                                                                last_name="Peeters"))
    result = complete(appointment, panel, {user: [4, 4] for user in panel}, [4, 4])
    other = AppointmentFactory(procedure=procedure, jury=jury,
                               starts_at=appointment.starts_at + dt.timedelta(hours=2),
                               ends_at=appointment.ends_at + dt.timedelta(hours=2))
    return procedure, appointment.candidate, result, other.candidate


def officer(procedure):
    return member(procedure, Role.SELECTION_OFFICER)


def page(client) -> str:
    response = client.get("/portal/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_before_publication_nothing_is_shown_and_there_is_nothing_to_download(client, scored):
    _procedure, candidate, _result, _other = scored
    log_in(client, candidate)
    assert HEADING not in page(client)
    assert client.get("/portal/feedback.pdf").status_code == 404


def test_a_published_result_shows_at_once_and_the_candidate_downloads_the_report(client, scored, tmp_path):
    procedure, candidate, result, _other = scored
    log_in(client, candidate)
    assert HEADING not in page(client)
    assert HEADING not in page(client)  # now served from the overview's cache
    services.results_publish(procedure=procedure, actor=officer(procedure))
    result.refresh_from_db()
    shown = page(client)
    pct = str(result.final_pct).replace(".", ",")
    assert HEADING in shown
    assert f"{pct} %" in shown
    assert "60,00 %" in shown  # the pass mark
    assert 'href="/portal/feedback.pdf"' in shown
    response = client.get("/portal/feedback.pdf")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response["Content-Disposition"] == 'attachment; filename="feedback.pdf"'
    assert response["Referrer-Policy"] == "no-referrer"
    text = pdf_text(response.content, tmp_path)
    assert "Lotte Peeters" in text


def test_another_candidate_sees_no_result_and_gets_a_404(scored):
    procedure, _candidate, _result, other = scored
    services.results_publish(procedure=procedure, actor=officer(procedure))
    client = Client()
    log_in(client, other)
    assert HEADING not in page(client)
    assert client.get("/portal/feedback.pdf").status_code == 404


def test_without_a_portal_session_the_report_is_not_served(client, scored):
    procedure, _candidate, _result, _other = scored
    services.results_publish(procedure=procedure, actor=officer(procedure))
    response = client.get("/portal/feedback.pdf")
    assert response.status_code == 403
    assert b"%PDF" not in response.content


def test_the_overview_with_a_result_costs_one_query_more_and_nothing_more_once_cached(client, scored,
                                                                                      django_assert_num_queries):
    procedure, candidate, _result, _other = scored
    services.results_publish(procedure=procedure, actor=officer(procedure))
    log_in(client, candidate)
    client.get("/portal/")  # the CSRF cookie and the deadline cache
    overview_touch(candidate.pk)
    with django_assert_num_queries(5):  # the four of every overview, and the result
        assert HEADING in page(client)
    with django_assert_num_queries(2):  # the session, then the page from the cache
        assert HEADING in page(client)
