"""The dashboard and the console ask for conflict-of-interest declarations ahead of time, in the reader's language."""

import datetime as dt

import pytest
from django.urls import reverse

from interviewdesk.live import services
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_the_declarations_due_in_dutch(client, setup):
    client.force_login(setup.assessors[0])
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "verklaring afleggen" in page and setup.appointment.candidate.full_name in page
    services.declaration_submit(actor=setup.assessors[0], appointment=setup.appointment, has_link=False)
    assert "declarations-heading" not in client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()


def test_a_cancelled_or_past_interview_asks_for_nothing(client, setup):
    Appointment.objects.filter(pk=setup.appointment.pk).update(status=Appointment.Status.CANCELLED)
    start = setup.appointment.starts_at - dt.timedelta(days=3)
    AppointmentFactory(procedure=setup.procedure, jury=setup.appointment.jury, starts_at=start,
                       ends_at=start + dt.timedelta(hours=1))
    client.force_login(setup.assessors[0])
    assert "declarations-heading" not in client.get("/").content.decode()


def test_the_console_lists_tomorrows_missing_declarations_only_for_its_procedures(client, setup):
    start = setup.appointment.starts_at + dt.timedelta(days=1)
    later = AppointmentFactory(procedure=setup.procedure, jury=setup.appointment.jury, starts_at=start,
                               ends_at=start + dt.timedelta(hours=1), status=Appointment.Status.INVITED)
    client.force_login(setup.proctor)
    context = client.get(reverse("live:console")).context
    assert [a.pk for a, _missing in context["declarations_ahead"]] == [later.pk]
    assert len(context["declarations_ahead"][0][1]) == 3
