"""Local time on the nights the clocks change, and dates people type (issue 10 §3).

The clock is frozen in February 2027, so the two clock-change nights of 2027 lie ahead
whatever moment the suite runs at."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from interviewdesk.messaging import ical
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_plan
from tests.factories import CandidateFactory, staffed_procedure
from tests.portal.conftest import log_in

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
SPRING_NIGHT = dt.date(2027, 3, 28)  # 02:00 CET → 03:00 CEST
AUTUMN_NIGHT = dt.date(2027, 10, 31)  # 03:00 CEST → 02:00 CET
FROZEN = dt.datetime(2027, 2, 15, 9, 0, tzinfo=BRUSSELS)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(FROZEN, tick=False)


@pytest.fixture
def staff():
    return staffed_procedure(interview_minutes=60, language="nl")


@pytest.fixture
def candidate(staff):
    return CandidateFactory(procedure=staff.procedure, language="nl")


def interview(staff, candidate, starts_at, minutes=60):
    return Appointment(procedure=staff.procedure, candidate=candidate, jury=staff.jury, starts_at=starts_at,
                       ends_at=starts_at.astimezone(dt.UTC) + dt.timedelta(minutes=minutes))


def form(staff, candidate, **overrides) -> dict:
    data = {"kind": "interview", "candidate": candidate.pk, "date": AUTUMN_NIGHT.isoformat(), "start_time": "02:30",
            "utc_offset": "", "duration": "", "jury": staff.jury.pk, "proctor": "", "room": "", "mode": "home",
            "platform": "teams", "join_url": "https://teams.example.org/l/meetup-join/1"}
    data.update(overrides)
    return data


def test_the_service_refuses_a_wall_clock_time_that_does_not_exist(staff, candidate):
    with pytest.raises(ValidationError, match="does not exist"):
        appointment_plan(actor=None, appointment=interview(
            staff, candidate, dt.datetime.combine(SPRING_NIGHT, dt.time(2, 30), tzinfo=BRUSSELS)))
    assert not Appointment.objects.exists()


def test_the_service_refuses_a_time_that_happens_twice_and_names_both_offsets(staff, candidate):
    with pytest.raises(ValidationError) as refused:
        appointment_plan(actor=None, appointment=interview(
            staff, candidate, dt.datetime.combine(AUTUMN_NIGHT, dt.time(2, 30), tzinfo=BRUSSELS)))
    assert "UTC+02:00" in str(refused.value) and "UTC+01:00" in str(refused.value)
    # The same moment given as an instant is clear, and its length is real time.
    second = dt.datetime(2027, 10, 31, 1, 30, tzinfo=dt.UTC)  # 02:30 CET, the second one
    planned = appointment_plan(actor=None, appointment=interview(staff, candidate, second, minutes=45))
    planned.refresh_from_db()
    assert planned.ends_at - planned.starts_at == dt.timedelta(minutes=45)


def test_the_form_makes_the_officer_choose_which_0230_and_stores_that_one(client, staff, candidate):
    client.force_login(staff.officer)
    url = reverse("appointment_create", args=[staff.procedure.pk])
    response = client.post(url, form(staff, candidate))
    assert response.status_code == 200 and not Appointment.objects.exists()
    assert "happens twice" in response.content.decode()
    response = client.post(url, form(staff, candidate, utc_offset="+01:00"))
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.starts_at == dt.datetime(2027, 10, 31, 1, 30, tzinfo=dt.UTC)
    assert appointment.ends_at - appointment.starts_at == dt.timedelta(minutes=60)


def test_the_form_refuses_the_0230_that_does_not_exist(client, staff, candidate):
    client.force_login(staff.officer)
    response = client.post(reverse("appointment_create", args=[staff.procedure.pk]),
                           form(staff, candidate, date=SPRING_NIGHT.isoformat()))
    assert response.status_code == 200 and "does not exist" in response.content.decode()
    assert not Appointment.objects.exists()


def test_an_appointment_from_the_first_0230_to_the_second_shows_both_zones_everywhere(client, staff, candidate):
    first = dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.UTC)  # 02:30 CEST; an hour later it is 02:30 CET
    appointment = appointment_plan(actor=None, appointment=interview(staff, candidate, first))
    client.force_login(staff.officer)
    page = client.get(reverse("candidate_detail", args=[staff.procedure.pk, candidate.pk])).content.decode()
    assert "02:30 CEST–02:30 CET" in page
    # The portal (Dutch): no "(, Belgische tijd)".
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.INVITED)
    client.logout()
    log_in(client, candidate)
    portal = client.get("/portal/").content.decode()
    assert "02:30 CEST–02:30 CET (Belgische tijd)" in portal and "(, " not in portal
    # The calendar file: start and end are different instants once parsed back.
    event = next(iter(Calendar.from_ical(ical.appointment_ics(appointment, candidate.email)).walk("VEVENT")))
    assert event.decoded("dtstart") == first
    assert event.decoded("dtend") == first + dt.timedelta(hours=1)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2030-02-16"])
def test_dates_outside_a_sensible_range_get_a_translated_form_error_not_a_500(client, staff, candidate, day):
    client.force_login(staff.officer)
    client.cookies["django_language"] = "nl"
    response = client.post(reverse("appointment_create", args=[staff.procedure.pk]),
                           form(staff, candidate, date=day, start_time="10:00"), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert "Kies een datum tussen 15 februari 2026 en 15 februari 2030" in response.content.decode()
    response = client.post(reverse("portal:test_slots", args=[staff.procedure.pk]), {
        "proctor": staff.proctor.pk, "day": day, "first_start": "09:00", "last_end": "10:00", "minutes": 15,
        "capacity": 1, "platform": "teams", "join_url": ""}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert "Kies een datum tussen" in response.content.decode()
    assert not Appointment.objects.exists()


def changes_by_the_hour(year_from: int, year_to: int) -> list[dt.datetime]:
    """The UTC instants at which zoneinfo's Brussels offset changes (they fall on whole hours)."""
    found, moment = [], dt.datetime(year_from, 1, 1, tzinfo=dt.UTC)
    while moment.year <= year_to:
        after = moment + dt.timedelta(hours=1)
        if after.astimezone(BRUSSELS).utcoffset() != moment.astimezone(BRUSSELS).utcoffset():
            found.append(after)
        moment = after
    return found


def described_changes(component) -> list[dt.datetime]:
    """The UTC instants at which the VTIMEZONE's onsets change the offset (DTSTART and RDATEs are
    local times in TZOFFSETFROM, RFC 5545 §3.6.5)."""
    found = []
    for onset in component.walk():
        if onset.name not in ("STANDARD", "DAYLIGHT"):
            continue
        before, after = onset.decoded("tzoffsetfrom"), onset.decoded("tzoffsetto")
        if before == after:
            continue
        rdates = onset.get("rdate") or []
        starts = [onset.decoded("dtstart")] + [d.dt for rdate in (rdates if isinstance(rdates, list) else [rdates])
                                               for d in rdate.dts]
        found += [(start - before).replace(tzinfo=dt.UTC) for start in starts]
    return sorted(found)


def test_the_embedded_vtimezone_agrees_with_zoneinfo_from_2026_to_2030():
    """Every change the file describes happens at the instant zoneinfo says (summer time from 02:00,
    winter time from 03:00 local), and an independent reader (icalendar's VTIMEZONE → tzinfo)
    gives zoneinfo's offset every hour of the year."""
    for year in range(2026, 2031):
        vtimezone = Calendar.from_ical(b"BEGIN:VCALENDAR\r\n" + ical._vtimezone_ical(year) + b"END:VCALENDAR\r\n")
        component = next(iter(vtimezone.walk("VTIMEZONE")))
        assert described_changes(component) == changes_by_the_hour(year - 1, year + 1)
        spring = next(t for t in described_changes(component) if t.year == year)
        assert (spring - dt.timedelta(seconds=1)).astimezone(BRUSSELS).strftime("%H:%M:%S %Z") == "01:59:59 CET"
        reader = component.to_tz()
        moment = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
        while moment.year == year:
            assert moment.astimezone(reader).utcoffset() == moment.astimezone(BRUSSELS).utcoffset(), moment
            moment += dt.timedelta(hours=1)
