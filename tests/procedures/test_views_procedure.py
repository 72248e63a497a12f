import datetime as dt

import pytest
from django.urls import reverse

from interviewdesk.core.models import AuditEntry
from interviewdesk.procedures.models import Procedure
from interviewdesk.scheduling.models import Appointment
from tests.factories import (
    AppointmentFactory,
    CandidateFactory,
    RoomFactory,
    staffed_procedure,
    tomorrow_at,
    with_profile,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return staffed_procedure()


def page_url(procedure) -> str:
    return reverse("procedure_detail", args=[procedure.pk])


def fill(staff, count: int) -> None:
    """`count` candidates, each with one interview tomorrow that needs every related row."""
    room = RoomFactory()
    for i in range(count):
        candidate = CandidateFactory(procedure=staff.procedure)
        AppointmentFactory(procedure=staff.procedure, candidate=candidate, jury=staff.jury, proctor=staff.proctor,
                           room=room, starts_at=tomorrow_at(8) + dt.timedelta(hours=i))


def test_the_dashboard_links_each_procedure_to_its_page(client, staff):
    client.force_login(staff.officer)
    assert f'href="{page_url(staff.procedure)}"' in client.get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize("role", ["officer", "proctor", "assessor", "chair"])
def test_every_role_in_the_procedure_sees_its_page(client, staff, role):
    client.force_login(getattr(staff, role))
    response = client.get(page_url(staff.procedure))
    assert response.status_code == 200
    assert staff.procedure.reference in response.content.decode()


def test_a_user_of_another_procedure_gets_404(client, staff):
    client.force_login(staff.outsider)
    assert client.get(page_url(staff.procedure)).status_code == 404


def test_an_unknown_procedure_gets_404(client, staff):
    client.force_login(staff.officer)
    assert client.get(reverse("procedure_detail", args=[999999])).status_code == 404


def test_anonymous_is_sent_to_the_login_page(client, staff):
    response = client.get(page_url(staff.procedure))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={page_url(staff.procedure)}"


def test_the_page_shows_facts_profile_candidates_juries_and_appointments(client, staff):
    with_profile(staff.procedure)
    candidate = CandidateFactory(procedure=staff.procedure, first_name="Lotte", last_name="Peeters")
    AppointmentFactory(procedure=staff.procedure, candidate=candidate, jury=staff.jury, proctor=staff.proctor,
                       starts_at=tomorrow_at(10))
    client.force_login(staff.officer)
    html = client.get(page_url(staff.procedure)).content.decode()
    for text in ("An Peeters", "selectie@example.org", "60 minutes", "60 %", "Analysing", "Cooperating",
                 "Peeters, Lotte", str(staff.chair), "chair", "assessor", str(staff.proctor), "online from home",
                 tomorrow_at(10).strftime("%H:%M") + "\u201311:00 CE"):
        assert text in html, text
    assert reverse("candidate_detail", args=[staff.procedure.pk, candidate.pk]) in html
    assert reverse("candidate_import", args=[staff.procedure.pk]) in html
    assert reverse("appointment_create", args=[staff.procedure.pk]) + f"?candidate={candidate.pk}" in html


def test_a_proctor_sees_no_management_actions(client, staff):
    client.force_login(staff.proctor)
    html = client.get(page_url(staff.procedure)).content.decode()
    assert reverse("candidate_import", args=[staff.procedure.pk]) not in html
    assert reverse("appointment_create", args=[staff.procedure.pk]) not in html
    assert reverse("procedure_status", args=[staff.procedure.pk]) not in html


def test_the_candidate_column_shows_the_next_active_appointment_and_its_status(client, staff):
    candidate = CandidateFactory(procedure=staff.procedure)
    AppointmentFactory(procedure=staff.procedure, candidate=candidate, kind=Appointment.Kind.CONNECTION_TEST,
                       starts_at=tomorrow_at(9), ends_at=tomorrow_at(9, 15), status=Appointment.Status.CANCELLED)
    AppointmentFactory(procedure=staff.procedure, candidate=candidate, jury=staff.jury, starts_at=tomorrow_at(14),
                       status=Appointment.Status.INVITED)
    client.force_login(staff.officer)
    page = client.get(page_url(staff.procedure))
    row = page.context["candidates"][0]
    assert [a.starts_at for a in row.upcoming] == [tomorrow_at(14)]
    assert "interview, " in page.content.decode() and "— invited" in page.content.decode()


def test_past_appointments_show_only_on_request(client, staff):
    AppointmentFactory(procedure=staff.procedure, jury=staff.jury, starts_at=tomorrow_at(9) - dt.timedelta(days=3))
    client.force_login(staff.officer)
    assert list(client.get(page_url(staff.procedure)).context["appointments"]) == []
    assert len(client.get(page_url(staff.procedure) + "?appointments=all").context["appointments"]) == 1


@pytest.mark.parametrize("rows", [1, 20])
def test_the_page_needs_the_same_number_of_queries_for_1_or_20_rows(client, staff, rows,
                                                                     django_assert_num_queries):
    fill(staff, rows)
    client.force_login(staff.officer)
    with django_assert_num_queries(13):  # (one of them reads the session, one the meetings of all the rows)
        response = client.get(page_url(staff.procedure))
    assert len(response.context["candidates"]) == rows


def test_candidates_are_paged(client, staff):
    from interviewdesk.scheduling.selectors import CANDIDATES_PER_PAGE

    for _ in range(CANDIDATES_PER_PAGE + 1):
        CandidateFactory(procedure=staff.procedure)
    client.force_login(staff.officer)
    first = client.get(page_url(staff.procedure))
    assert (len(first.context["candidates"]), first.context["candidates"].next_url) == (CANDIDATES_PER_PAGE, "?page=2")
    assert len(client.get(page_url(staff.procedure) + "?page=2").context["candidates"]) == 1


def status_url(procedure) -> str:
    return reverse("procedure_status", args=[procedure.pk])


def test_the_officer_opens_a_draft_procedure(client):
    staff = staffed_procedure(status=Procedure.Status.DRAFT)
    client.force_login(staff.officer)
    response = client.post(status_url(staff.procedure), {"to": "open"}, follow=True)
    assert response.redirect_chain == [(page_url(staff.procedure), 302)]
    assert "The procedure is now open." in response.content.decode()
    staff.procedure.refresh_from_db()
    assert staff.procedure.status == "open"
    entry = AuditEntry.objects.get(action="procedure.status")
    assert (entry.actor, entry.from_state, entry.to_state) == (staff.officer, "draft", "open")


def test_an_illegal_status_change_is_refused_with_the_reason_shown(client, staff):
    client.force_login(staff.officer)
    response = client.post(status_url(staff.procedure), {"to": "draft"}, follow=True)
    assert "A procedure that is open cannot become draft." in response.content.decode()
    staff.procedure.refresh_from_db()
    assert staff.procedure.status == "open"


@pytest.mark.parametrize("role", ["proctor", "assessor", "chair", "outsider"])
def test_only_the_selection_officer_changes_the_status(client, staff, role):
    client.force_login(getattr(staff, role))
    assert client.post(status_url(staff.procedure), {"to": "closed"}).status_code == 404
    staff.procedure.refresh_from_db()
    assert staff.procedure.status == "open"


def test_changing_the_status_needs_a_post_and_a_login(client, staff):
    assert client.post(status_url(staff.procedure), {"to": "closed"}).status_code == 302
    client.force_login(staff.officer)
    assert client.get(status_url(staff.procedure), {"to": "closed"}).status_code == 200  # the confirmation
    assert client.get(status_url(staff.procedure), {"to": "closed", "confirmed": "yes"}).status_code == 200
    staff.procedure.refresh_from_db()
    assert staff.procedure.status == "open"  # a GET changes nothing
