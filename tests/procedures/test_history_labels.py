"""The appointment history reads in the reader's language: status labels, and system reasons translated."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from interviewdesk.procedures.models import Role
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_set_status
from tests.factories import AppointmentFactory, member

pytestmark = pytest.mark.django_db


def test_status_changes_and_system_reasons_read_in_dutch(client):
    appointment = AppointmentFactory(status=Appointment.Status.INVITED)
    officer = member(appointment.procedure, Role.SELECTION_OFFICER)
    appointment_set_status(actor=officer, appointment=appointment, to=Appointment.Status.CONFIRMED,
                           reason="New appointment after a stopped or missed session.")
    appointment_set_status(actor=officer, appointment=appointment, to=Appointment.Status.DONE,
                           reason="Kandidaat belde af en toe weg")  # staff's own words stay as written
    client.force_login(officer)
    page = html.unescape(client.get(reverse("candidate_detail", args=[appointment.procedure_id,
                                                                       appointment.candidate_id]),
                                    HTTP_ACCEPT_LANGUAGE="nl").content.decode())
    assert "uitgenodigd → bevestigd" in page and "invited → confirmed" not in page
    assert "Nieuwe afspraak na een stopgezette of gemiste sessie." in page
    assert "Kandidaat belde af en toe weg" in page
