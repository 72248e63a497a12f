"""Closing a procedure takes a confirmation that says what happens and to whom; the officer can reopen it (audited)."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from interviewdesk.core.models import AuditEntry
from interviewdesk.procedures.models import Procedure
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, CandidateFactory, staffed_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    staff = staffed_procedure()
    start = timezone.now() + dt.timedelta(days=3)
    for index in range(3):
        candidate = CandidateFactory(procedure=staff.procedure)
        if index < 2:
            AppointmentFactory(procedure=staff.procedure, candidate=candidate, status=Appointment.Status.INVITED,
                               starts_at=start + dt.timedelta(hours=index), ends_at=start + dt.timedelta(hours=index, minutes=50))
    return staff


def status_url(procedure) -> str:
    return reverse("procedure_status", args=[procedure.pk])


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_close_button_leads_to_a_confirmation_that_changes_nothing(client, staff):
    client.force_login(staff.officer)
    detail = text(client.get(reverse("procedure_detail", args=[staff.procedure.pk])))
    assert f'href="{status_url(staff.procedure)}?to=closed"' in detail
    page = client.get(status_url(staff.procedure), {"to": "closed"})
    assert page.status_code == 200
    body = text(page)
    assert "3 candidates" in body and "2 coming appointments" in body
    assert "personal links stop working" in body
    staff.procedure.refresh_from_db()
    assert staff.procedure.status == "open"


def test_closing_is_confirmed_with_a_danger_button(client, staff):
    """The confirmation page's default style stays "danger" for what cannot simply be undone."""
    client.force_login(staff.officer)
    body = text(client.get(status_url(staff.procedure), {"to": "closed"}))
    assert '<button type="submit" class="danger">Close the procedure</button>' in body


def test_a_post_without_the_confirmation_closes_nothing(client, staff):
    client.force_login(staff.officer)
    response = client.post(status_url(staff.procedure), {"to": "closed"})
    assert response.status_code == 200  # the confirmation page again
    staff.procedure.refresh_from_db()
    assert staff.procedure.status == "open"
    client.post(status_url(staff.procedure), {"to": "closed", "confirmed": "yes"})
    staff.procedure.refresh_from_db()
    assert staff.procedure.status == "closed"


def test_the_officer_reopens_a_closed_procedure_with_a_reason_and_it_is_audited(client, staff):
    Procedure.objects.filter(pk=staff.procedure.pk).update(status=Procedure.Status.CLOSED)
    client.force_login(staff.officer)
    detail = text(client.get(reverse("procedure_detail", args=[staff.procedure.pk])))
    assert "Reopen the procedure" in detail
    refused = client.post(status_url(staff.procedure), {"to": "open", "confirmed": "yes", "reason": " "})
    assert refused.status_code == 400 and "reason" in text(refused).lower()
    staff.procedure.refresh_from_db()
    assert staff.procedure.status == "closed"
    done = client.post(status_url(staff.procedure), {"to": "open", "confirmed": "yes",
                                                     "reason": "Closed by mistake"}, follow=True)
    assert "The procedure is now open." in text(done)
    entry = AuditEntry.objects.get(action="procedure.status", to_state="open")
    assert (entry.actor, entry.from_state, entry.reason) == (staff.officer, "closed", "Closed by mistake")


@pytest.mark.parametrize("role", ["proctor", "assessor", "chair", "outsider"])
def test_only_the_selection_officer_sees_the_confirmation(client, staff, role):
    client.force_login(getattr(staff, role))
    assert client.get(status_url(staff.procedure), {"to": "closed"}).status_code == 404


def test_anonymous_is_sent_to_log_in(client, staff):
    assert client.get(status_url(staff.procedure), {"to": "closed"})["Location"].startswith("/accounts/login/")
