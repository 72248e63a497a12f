"""Issue 11: a German candidate read "Room 12.05 … Brussels". Rooms have a name and an address per
language, shown in the candidate's language on the portal, in the invitation and in the calendar file."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from interviewdesk.messaging.models import Message
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.portal.models import RoomRequest
from interviewdesk.scheduling.models import Appointment
from tests.factories import RoomFactory
from tests.messaging.conftest import planned_interview
from tests.portal.conftest import log_in

pytestmark = pytest.mark.django_db


def room():
    return RoomFactory(name="12.05", site="Brussels", address="Rue de la Loi 51, 1040 Brussels",
                       name_nl="Lokaal 12.05", address_nl="Wetstraat 51, 1040 Brussel",
                       name_fr="Salle 12.05", address_fr="Rue de la Loi 51, 1040 Bruxelles",
                       name_de="Raum 12.05", address_de="Gesetzstraße 51, 1040 Brüssel")


@pytest.mark.parametrize("language, name, address", [
    ("de", "Raum 12.05", "Gesetzstraße 51, 1040 Brüssel"),
    ("fr", "Salle 12.05", "Rue de la Loi 51, 1040 Bruxelles"),
    ("nl", "Lokaal 12.05", "Wetstraat 51, 1040 Brussel"),
])
def test_invitation_and_calendar_name_the_room_in_the_candidates_language(language, name, address):
    appointment = planned_interview(language, room=room(), mode=Appointment.Mode.PROVIDED_ROOM)
    invitation_send(appointment=appointment)
    message = Message.objects.get(appointment=appointment, kind="invitation",
                                  recipient_email=appointment.candidate.email)
    for text in (message.body_text, message.body_html):
        assert name in text and address in text
        assert "Brussels" not in text
    event = next(iter(Calendar.from_ical(message.ics).walk("VEVENT")))
    assert name in str(event["location"]) and address in str(event["location"])
    assert address in str(event["description"]) and "Brussels" not in str(event["description"])


def test_a_german_candidate_without_german_room_texts_reads_french():
    the_room = RoomFactory(name="12.05", address="Rue de la Loi 51, 1040 Brussels", name_fr="Salle 12.05",
                           address_fr="Rue de la Loi 51, 1040 Bruxelles", name_nl="Lokaal 12.05")
    appointment = planned_interview("de", room=the_room, mode=Appointment.Mode.PROVIDED_ROOM)
    invitation_send(appointment=appointment)
    body = Message.objects.get(appointment=appointment, kind="invitation",
                               recipient_email=appointment.candidate.email).body_text
    assert "Salle 12.05" in body and "1040 Bruxelles" in body


def test_portal_pages_name_the_room_in_the_candidates_language(client):
    the_room = room()
    appointment = planned_interview("de", room=the_room, mode=Appointment.Mode.PROVIDED_ROOM)
    RoomRequest.objects.create(candidate=appointment.candidate, reason="kein ruhiger Ort",
                               status=RoomRequest.Status.APPROVED, room=the_room)
    log_in(client, appointment.candidate)
    for url in ("/portal/", "/portal/room/"):
        page = client.get(url).content.decode()
        assert "Raum 12.05" in page and "Gesetzstraße 51, 1040 Brüssel" in page, url
        assert "Rue de la Loi" not in page, url
