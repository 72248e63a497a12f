"""The section menu on staff pages lists only what the user's role may open."""

import pytest

from interviewdesk.procedures.models import Role
from tests.factories import ProcedureFactory, member

pytestmark = pytest.mark.django_db


def sections(client, user, procedure) -> list[str]:
    client.force_login(user)
    html = client.get(f"/procedures/{procedure.pk}/").content.decode()
    nav = html.split('<nav class="sections"', 1)[1].split("</nav>", 1)[0]
    return [part.split("</a>")[0].split(">")[-1] for part in nav.split("<a ")[1:]]


def test_officer_sees_the_officer_sections(client):
    procedure = ProcedureFactory()
    assert sections(client, member(procedure, Role.SELECTION_OFFICER), procedure) == [
        "Overview", "Set-up", "Profile", "House rules", "People", "Juries", "Meetings", "Availability", "Readiness",
        "Mail log", "Planning",
        "Send invitations", "At risk", "Room requests", "Connection tests",
        "Adjustments", "Console", "Follow-ups", "Interviews to assess", "Results", "Statistics", "Privacy"]


def test_proctor_sees_readiness_tests_and_console_only(client):
    procedure = ProcedureFactory()
    assert sections(client, member(procedure, Role.PROCTOR), procedure) == [
        "Overview", "Availability", "Readiness", "Connection tests", "Console"]


def test_assessor_sees_readiness_and_the_interviews_to_assess(client):
    procedure = ProcedureFactory()
    assert sections(client, member(procedure, Role.ASSESSOR), procedure) == [
        "Overview", "Availability", "Readiness", "Interviews to assess"]


def test_the_current_section_is_marked_for_assistive_technology(client):
    procedure = ProcedureFactory()
    client.force_login(member(procedure, Role.SELECTION_OFFICER))
    html = client.get(f"/procedures/{procedure.pk}/mail/").content.decode()
    assert 'aria-current="page">Mail log</a>' in html
