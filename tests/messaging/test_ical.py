"""Calendar files parsed back: create, move, link change, cancel, daylight-saving days."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.utils import timezone
from icalendar import Calendar

from interviewdesk.messaging import ical
from interviewdesk.messaging.links import PERSONAL_LINK
from interviewdesk.messaging.models import Message
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.scheduling.services import appointment_cancel, appointment_update
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def event_of(ics: str | bytes):
    cal = Calendar.from_ical(ics)
    return cal, next(iter(cal.walk("VEVENT")))


def candidate_message(appointment, kind: str) -> Message:
    return Message.objects.get(appointment=appointment, kind=kind, recipient_email=appointment.candidate.email)


def test_the_first_invitation_is_a_request_with_organizer_attendee_alarm_and_links():
    appointment = planned_interview()
    invitation_send(appointment=appointment)
    message = candidate_message(appointment, "invitation")
    cal, event = event_of(message.ics)

    assert str(cal["method"]) == "REQUEST"
    assert str(event["uid"]) == appointment.uid and not appointment.uid.startswith("appointment-")
    assert event["sequence"] == 0
    assert event.decoded("dtstart") == appointment.starts_at
    assert str(event["dtstart"].params["TZID"]) == "Europe/Brussels"
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Brussels"]
    assert str(event["organizer"]) == f"mailto:{settings.INVITATION_REPLY_ADDRESS}"  # the reply mailbox
    assert str(event["organizer"].params["CN"]) == appointment.procedure.contact_name
    attendee = event["attendee"]
    assert str(attendee) == f"mailto:{appointment.candidate.email}"
    assert attendee.params["RSVP"] == "TRUE"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert str(event["url"]) == PERSONAL_LINK  # the working link goes in at delivery (test_links_at_rest)
    assert appointment.join_url in str(event["description"])
    assert str(event["url"]) in str(event["description"])
    assert str(event["location"]) == appointment.join_url
    alarm = next(iter(event.walk("VALARM")))
    assert alarm.decoded("trigger") == dt.timedelta(minutes=-30)


def test_a_move_updates_the_same_uid_with_sequence_plus_one():
    appointment = planned_interview()
    invitation_send(appointment=appointment)
    new_start = appointment.starts_at + dt.timedelta(days=2)
    appointment_update(actor=None, appointment=appointment, starts_at=new_start,
                       ends_at=new_start + dt.timedelta(hours=1))

    _cal, first = event_of(candidate_message(appointment, "invitation").ics)
    cal, moved = event_of(candidate_message(appointment, "update").ics)
    assert str(cal["method"]) == "REQUEST"
    assert str(moved["uid"]) == str(first["uid"])
    assert moved["sequence"] == first["sequence"] + 1 == 1
    assert moved.decoded("dtstart") == new_start


def test_a_link_change_is_an_update_carrying_the_new_link():
    appointment = planned_interview()
    invitation_send(appointment=appointment)
    appointment_update(actor=None, appointment=appointment, join_url="https://teams.example.org/l/new")

    _cal, event = event_of(candidate_message(appointment, "update").ics)
    assert event["sequence"] == 1
    assert "https://teams.example.org/l/new" in str(event["description"])
    assert str(event["location"]) == "https://teams.example.org/l/new"


def test_a_cancel_is_method_cancel_with_status_cancelled_and_a_higher_sequence_for_everybody():
    appointment = planned_interview()
    invitation_send(appointment=appointment)
    appointment_cancel(actor=None, appointment=appointment, reason="withdrawn")

    cancels = Message.objects.filter(appointment=appointment, ics_method="CANCEL")
    assert sorted(m.kind for m in cancels) == ["cancellation"] + ["staff_cancellation"] * 4
    for message in cancels:
        cal, event = event_of(message.ics)
        assert str(cal["method"]) == "CANCEL"
        assert str(event["status"]) == "CANCELLED"
        assert event["sequence"] == 1
        assert not list(event.walk("VALARM"))


@pytest.mark.parametrize(("day", "local_hour", "utc_hour"), [
    (dt.date(2027, 3, 28), 10, 8),   # last Sunday of March: summer time (CEST, UTC+2) from 02:00
    (dt.date(2027, 10, 31), 10, 9),  # last Sunday of October: winter time (CET, UTC+1) from 03:00
    (dt.date(2027, 3, 27), 10, 9),   # the day before: still winter time
])
def test_appointments_on_the_daylight_saving_sundays_keep_their_local_time(day, local_hour, utc_hour):
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(local_hour)), BRUSSELS)
    appointment = planned_interview(starts_at=start, ends_at=start + dt.timedelta(hours=1))
    _cal, event = event_of(ical.appointment_ics(appointment, appointment.candidate.email, ical.REQUEST))
    assert event["dtstart"].to_ical() == f"{day:%Y%m%d}T{local_hour:02d}0000".encode()
    assert event.decoded("dtstart").astimezone(dt.UTC).hour == utc_hour
    # Calendar clients read the zone's rules from the file itself.
    assert b"BEGIN:DAYLIGHT" in ical.appointment_ics(appointment, "x@example.net", ical.REQUEST)


def test_daylight_saving_days_show_the_right_local_time_and_zone_in_the_mail(time_machine):
    time_machine.move_to(dt.datetime(2027, 10, 1, 9, tzinfo=BRUSSELS), tick=False)  # sent a month before
    start = timezone.make_aware(dt.datetime(2027, 10, 31, 10, 0), BRUSSELS)
    appointment = planned_interview(language="fr", starts_at=start, ends_at=start + dt.timedelta(hours=1))
    invitation_send(appointment=appointment)
    text = candidate_message(appointment, "invitation").body_text
    assert "dimanche 31 octobre 2027, 10:00–11:00 (CET" in text


def test_user_text_cannot_break_out_of_its_property():
    appointment = planned_interview()
    appointment.procedure.title = "Analyst\r\nBEGIN:VEVENT\r\nUID:evil"
    ics = ical.appointment_ics(appointment, appointment.candidate.email, ical.REQUEST)
    assert ics.splitlines().count(b"BEGIN:VEVENT") == 1
    assert not any(line.startswith(b"UID:evil") for line in ics.splitlines())
    _cal, event = event_of(ics)
    assert "Analyst BEGIN:VEVENT UID:evil" in str(event["summary"])


def test_the_timezone_comes_before_the_event_that_uses_it():
    appointment = planned_interview()
    lines = ical.appointment_ics(appointment, appointment.candidate.email, ical.REQUEST).splitlines()
    assert lines.index(b"BEGIN:VTIMEZONE") < lines.index(b"BEGIN:VEVENT")
