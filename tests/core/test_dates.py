"""Long dates follow each language's conventions (German: "Donnerstag, 10. Dezember 2026")."""

from __future__ import annotations

import datetime as dt
import html
import zoneinfo

import pytest
import time_machine
from django.utils import translation

from interviewdesk.core.dates import long_date
from interviewdesk.messaging.content import when
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, CandidateFactory
from tests.portal.conftest import log_in

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
THURSDAY = dt.datetime(2026, 12, 10, 10, 0, tzinfo=BRUSSELS)


@pytest.mark.parametrize(("language", "with_day", "without_day"), [
    ("de", "Donnerstag, 10. Dezember 2026", "10. Dezember 2026"),
    ("nl", "donderdag 10 december 2026", "10 december 2026"),
    ("fr", "jeudi 10 décembre 2026", "10 décembre 2026"),
])
def test_each_language_writes_its_own_long_date(language, with_day, without_day):
    with translation.override(language):
        assert long_date(THURSDAY) == with_day
        assert long_date(THURSDAY.date(), weekday=False) == without_day


@pytest.mark.django_db
def test_the_german_personal_page_and_invitation_write_german_dates(client):
    with time_machine.travel(THURSDAY - dt.timedelta(days=7), tick=False):
        appointment = AppointmentFactory(candidate=CandidateFactory(language="de"), starts_at=THURSDAY,
                                         ends_at=THURSDAY + dt.timedelta(hours=1), status=Appointment.Status.INVITED)
        log_in(client, appointment.candidate)
        page = html.unescape(client.get("/portal/").content.decode())
        assert "Donnerstag, 10. Dezember 2026" in page
        with translation.override("de"):
            assert when(appointment)["day"] == "Donnerstag, 10. Dezember 2026"  # the invitation's date
