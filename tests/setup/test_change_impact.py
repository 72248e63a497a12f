"""What the confirmation of a set-up change says happens to calendars, and that it happens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from interviewdesk.messaging.models import Message
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.procedures.availability import slot_key
from interviewdesk.procedures.models import HalfDay, JuryMember, Role, RoomFreeDay
from interviewdesk.procedures.permissions import officer_group
from interviewdesk.scheduling.models import Appointment
from tests.factories import RoomFactory, UserFactory, member
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db


def test_the_jury_change_confirmation_says_the_calendars_follow_and_they_do(client, working_day_morning):
    sent = planned_interview()
    invitation_send(appointment=sent)
    jury = sent.jury
    chair = jury.members.get(role=JuryMember.Role.CHAIR).user
    leaving, staying = [m.user for m in jury.members.filter(role=JuryMember.Role.ASSESSOR).order_by("id")]
    newcomer = UserFactory(first_name="Nina", last_name="Nieuw")
    officer = member(sent.procedure, Role.SELECTION_OFFICER)
    client.force_login(officer)
    url = reverse("setup:jury_edit", args=[sent.procedure.pk, jury.pk])
    data = {"name": jury.name, "languages": jury.languages, "chair": chair.pk,
            "assessors": [staying.pk, newcomer.pk]}
    page = client.post(url, data).content.decode()
    assert "not withdrawn" not in page and "no calendar invitation" not in page
    assert ("For the 1 coming interview whose invitation already went out, the calendar follows automatically: "
            "those who leave get a cancellation, those who join an invitation.") in page
    before = set(Message.objects.values_list("pk", flat=True))
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    new = Message.objects.exclude(pk__in=before)
    assert sorted((m.recipient_email, m.ics_method) for m in new) == sorted(
        [(newcomer.email, "REQUEST"), (leaving.email, "CANCEL")])


def _room_form(room, **changes) -> dict:
    data = {name: getattr(room, name) for name in ("name", "site", "address", "name_nl", "address_nl", "name_fr",
                                                   "address_fr", "name_de", "address_de", "equipment")}
    return {**data, "capacity": room.capacity, **changes}


def _in_room(room, **kwargs):
    return planned_interview(mode=Appointment.Mode.PROVIDED_ROOM, room=room, **kwargs)


@pytest.fixture
def room_keeper(db):
    user = UserFactory(username="room-keeper")
    user.groups.add(officer_group())
    return user


def test_a_new_room_address_is_confirmed_first_then_the_sent_invitations_are_updated(client, working_day_morning,
                                                                                      room_keeper):
    room = RoomFactory(address="Rue de la Loi 51, 1040 Brussels")
    sent = _in_room(room)
    invitation_send(appointment=sent)
    waiting = _in_room(room, starts_at=sent.starts_at + dt.timedelta(hours=3),
                       ends_at=sent.ends_at + dt.timedelta(hours=3))
    sequences = {a.pk: Appointment.objects.get(pk=a.pk).sequence for a in (sent, waiting)}
    client.force_login(room_keeper)
    url = reverse("setup:room_edit", kwargs={"rid": room.pk})
    data = _room_form(room, address="Kunstlaan 19, 1000 Brussels")
    page = client.post(url, data).content.decode()
    assert ("The 1 coming appointment in this room whose invitation already went out gets an updated calendar "
            "invitation with the new name and address, for the candidate and the staff; e-mails already sent keep "
            "the old text.") in page
    assert ("The 1 coming appointment in this room not sent yet carries the new name and address when you send its "
            "invitation.") in page
    room.refresh_from_db()
    assert room.address == "Rue de la Loi 51, 1040 Brussels"  # nothing saved before the confirmation
    before = set(Message.objects.values_list("pk", flat=True))
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    room.refresh_from_db()
    assert room.address == "Kunstlaan 19, 1000 Brussels"
    new = list(Message.objects.exclude(pk__in=before))
    assert new and {m.appointment_id for m in new} == {sent.pk}
    assert {m.ics_method for m in new} == {"REQUEST"}
    assert sent.candidate.email in {m.recipient_email for m in new}
    assert all("Kunstlaan 19" in m.ics.replace("\r\n ", "") for m in new)
    for a in (sent, waiting):
        assert Appointment.objects.get(pk=a.pk).sequence == sequences[a.pk] + 1


def test_a_room_change_that_no_calendar_shows_is_saved_without_a_confirmation(client, working_day_morning,
                                                                              room_keeper):
    room = RoomFactory()
    invitation_send(appointment=_in_room(room))
    client.force_login(room_keeper)
    url = reverse("setup:room_edit", kwargs={"rid": room.pk})
    assert client.post(url, _room_form(room, capacity=3, equipment="PC")).status_code == 302
    room.refresh_from_db()
    assert room.capacity == 3


def test_taking_away_a_free_half_day_with_an_appointment_says_which_and_that_it_keeps_the_room(
        client, working_day_morning, room_keeper):
    room = RoomFactory()
    appointment = _in_room(room)
    local = timezone.localtime(appointment.starts_at)
    part = HalfDay.MORNING if local.hour < 12 else HalfDay.AFTERNOON
    day = local.date()
    RoomFreeDay.objects.bulk_create([RoomFreeDay(room=room, date=day, part=p) for p in HalfDay.values])
    client.force_login(room_keeper)
    url = reverse("setup:room_days", kwargs={"rid": room.pk}) + f"?start={day}&end={day}"
    keep = [p for p in HalfDay.values if p != part]
    data = {slot_key(day, p): "on" for p in keep}
    page = client.post(url, data).content.decode()
    assert "1 coming appointment in this room falls on a half-day the room will no longer be free" in page
    assert f"({appointment.candidate.last_name}, {appointment.candidate.first_name})" in page
    assert "It keeps the room and nobody is told: move it, or keep the room free then." in page
    assert set(room.free_days.values_list("part", flat=True)) == set(HalfDay.values)  # not yet
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    assert list(room.free_days.values_list("part", flat=True)) == keep
    assert Appointment.objects.get(pk=appointment.pk).room_id == room.pk


def test_room_changes_need_the_room_permission(client, working_day_morning, room_keeper):
    room = RoomFactory(address="Rue de la Loi 51, 1040 Brussels")
    appointment = _in_room(room)
    officer = member(appointment.procedure, Role.SELECTION_OFFICER)  # of a procedure, without the room permission
    data = _room_form(room, address="Kunstlaan 19, 1000 Brussels")
    urls = (reverse("setup:room_edit", kwargs={"rid": room.pk}), reverse("setup:room_days", kwargs={"rid": room.pk}))
    for url in urls:
        response = client.post(url, {**data, "confirmed": "1"})
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(officer)
    for url in urls:
        assert client.post(url, {**data, "confirmed": "1"}).status_code == 403
    client.force_login(room_keeper)
    for url in urls:
        assert client.post(url.replace(f"/{room.pk}/", f"/{room.pk + 999}/"), data).status_code == 404
    room.refresh_from_db()
    assert room.address == "Rue de la Loi 51, 1040 Brussels"
