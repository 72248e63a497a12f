"""The dashboard gathers every app's alerts: at-risk candidates, problem reports, the console link."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from interviewdesk.procedures.models import Role
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, CandidateFactory, ProcedureFactory, jury_with_members, member

pytestmark = pytest.mark.django_db


def soon_interview(procedure, hours=5, **candidate):
    start = timezone.now() + dt.timedelta(hours=hours)
    return AppointmentFactory(procedure=procedure, candidate=CandidateFactory(procedure=procedure, **candidate),
                              jury=jury_with_members(procedure), starts_at=start,
                              ends_at=start + dt.timedelta(hours=1), status=Appointment.Status.PLANNED)


def test_officer_sees_an_uninvited_candidate_of_the_next_24_hours_as_at_risk(client):
    procedure = ProcedureFactory()
    officer = member(procedure, Role.SELECTION_OFFICER)
    soon_interview(procedure, first_name="Ruben", last_name="Claes")
    soon_interview(procedure, hours=30, first_name="Later", last_name="Person")  # outside the 24 hours
    client.force_login(officer)
    body = client.get("/").content.decode()
    assert "At risk in the next 24 hours" in body
    assert "Ruben Claes" in body and "invitation not sent" in body
    assert "Later Person" not in body


def test_a_proctor_gets_the_console_link_but_no_invitation_list(client):
    procedure = ProcedureFactory()
    proctor = member(procedure, Role.PROCTOR)
    soon_interview(procedure)
    client.force_login(proctor)
    body = client.get("/").content.decode()
    assert "Open today&#x27;s session console" in body or "Open today's session console" in body
    assert "At risk in the next 24 hours" not in body


def test_an_assessor_sees_neither_the_console_link_nor_the_at_risk_list(client):
    procedure = ProcedureFactory()
    assessor = member(procedure, Role.ASSESSOR)
    client.force_login(assessor)
    body = client.get("/").content.decode()
    assert "session console" not in body
    assert "At risk" not in body


def test_dashboard_queries_do_not_grow_with_procedures_and_at_risk_rows(client):
    first = ProcedureFactory()
    officer = member(first, Role.SELECTION_OFFICER)
    soon_interview(first)
    client.force_login(officer)
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for _ in range(3):
        procedure = ProcedureFactory()
        member_link = officer.memberships.model.objects.create(procedure=procedure, user=officer,
                                                               role=Role.SELECTION_OFFICER)
        assert member_link.pk
        soon_interview(procedure)
        soon_interview(procedure)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/")
    assert response.content.decode().count("invitation not sent") == 7
    assert len(many) == len(one)


@pytest.mark.parametrize(("language", "heading"), [("nl", "Risico in de komende 24 uur"),
                                                   ("fr", "À risque dans les prochaines 24 heures"),
                                                   ("de", "Gefährdet in den nächsten 24 Stunden")])
def test_the_at_risk_list_speaks_the_staff_members_language(client, language, heading):
    procedure = ProcedureFactory()
    officer = member(procedure, Role.SELECTION_OFFICER)
    client.force_login(officer)
    body = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert heading in body
    assert "At risk in the next 24 hours" not in body
