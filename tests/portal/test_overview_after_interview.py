"""Once the interview is over the personal page leads with the result and folds the checklist away;
next to the join link it says that Chrome works best and no account is needed."""

from __future__ import annotations

import html

import pytest

from interviewdesk.assessment import services
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, CandidateFactory

from .conftest import log_in
from .test_wiring_result import HEADING, officer, scored  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

NO_APPOINTMENT = "U hebt nog geen afspraak. We sturen u een uitnodiging."
CHROME = "Chrome werkt het best"


def page(client) -> str:
    return html.unescape(client.get("/portal/").content.decode())


def test_after_publication_the_page_leads_with_the_result_and_folds_the_checklist(client, scored):  # noqa: F811
    procedure, candidate, _result, _other = scored
    Appointment.objects.filter(candidate=candidate).update(status=Appointment.Status.DONE)
    services.results_publish(procedure=procedure, actor=officer(procedure))
    log_in(client, candidate)
    shown = page(client)
    assert NO_APPOINTMENT not in shown
    assert shown.index(HEADING) < shown.index("<details")
    checklist = shown[shown.index("<details"):]
    assert "<details open" not in shown and 'class="checklist"' in checklist


def test_a_done_interview_without_a_result_yet_says_so(client, scored):  # noqa: F811
    _procedure, candidate, _result, _other = scored
    Appointment.objects.filter(candidate=candidate).update(status=Appointment.Status.DONE)
    log_in(client, candidate)
    shown = page(client)
    assert NO_APPOINTMENT not in shown
    assert "Uw gesprek heeft plaatsgevonden" in shown


def test_the_join_link_says_chrome_works_best_and_no_account_is_needed(client):
    appointment = AppointmentFactory(candidate=CandidateFactory(language="nl"), status=Appointment.Status.INVITED,
                                     join_url="https://teams.example/meet/1")
    log_in(client, appointment.candidate)
    shown = page(client)
    assert CHROME in shown and "geen account" in shown
    assert shown.index("https://teams.example/meet/1") < shown.index(CHROME)
