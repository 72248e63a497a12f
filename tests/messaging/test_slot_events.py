"""The proctor of a connection-test slot gets ONE calendar event for the slot (issue 13), not one per
candidate who booked it; the candidates keep their own invitation each. Sent over real SMTP and read
back with icalendar."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from interviewdesk.messaging.groups import GroupFinder, group_finder, group_finder_register
from interviewdesk.messaging.models import Invitation, Message, SharedStaffEvent
from interviewdesk.messaging.services.bulk import bulk_send_start, bulk_send_step
from interviewdesk.messaging.services.delivery import deliver_due
from interviewdesk.messaging.services.replies import reply_process
from interviewdesk.portal.services.connection_tests import connection_test_book
from interviewdesk.procedures.models import Role
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_set_status, appointment_update
from tests.factories import CandidateFactory, ProcedureFactory, member
from tests.messaging.client_replies import client_reply
from tests.portal.test_connection_tests import slot_in

pytestmark = pytest.mark.django_db


def calendar_mails(smtp, address: str) -> list:
    """(METHOD, UID, SEQUENCE, DTSTART) of every calendar file delivered to `address`, in order."""
    found = []
    for rcpt, mail in smtp.received:
        if rcpt != [address]:
            continue
        part = next(p for p in mail.walk() if p.get_content_type() == "text/calendar")
        cal = Calendar.from_ical(part.get_content())
        event = next(iter(cal.walk("VEVENT")))
        found.append((str(cal["method"]), str(event["uid"]), int(event["sequence"]), event.decoded("dtstart")))
    return found


def booked_slot(count: int = 3):
    """A slot of capacity 4 with `count` candidates booked by the officer's proposal (nothing sent yet)."""
    procedure = ProcedureFactory(language="nl")
    slot = slot_in(procedure, 5, capacity=4)
    officer = member(procedure, Role.SELECTION_OFFICER)
    bookings = [connection_test_book(candidate=CandidateFactory(procedure=procedure, language="nl"), slot=slot,
                                     interview=None, booked_by=officer, send=False) for _ in range(count)]
    return procedure, slot, bookings


def send_all(procedure) -> None:
    run, _created = bulk_send_start(procedure=procedure)
    while bulk_send_step(run=run):
        pass
    deliver_due()


def test_a_bulk_send_gives_the_proctor_one_event_for_the_slot_and_each_candidate_their_own(smtp):
    procedure, slot, bookings = booked_slot(3)
    send_all(procedure)

    proctor = slot.proctor.email
    assert Message.objects.filter(recipient_email=proctor, kind="staff_invitation").count() == 1
    [(method, uid, sequence, start)] = calendar_mails(smtp, proctor)
    assert (method, sequence, start) == ("REQUEST", 0, slot.starts_at)
    assert uid == SharedStaffEvent.objects.get(group=f"test_slot:{slot.pk}").uid
    assert uid not in {b.appointment.uid for b in bookings}
    for booking in bookings:  # the candidates: their own event, their own UID
        [(c_method, c_uid, _seq, _start)] = calendar_mails(smtp, booking.candidate.email)
        assert (c_method, c_uid) == ("REQUEST", booking.appointment.uid)
    # The proctor is still invited to every booking (the rows say who takes part in what).
    assert Invitation.objects.filter(email=proctor, role=Invitation.Role.PROCTOR, cancelled=False).count() == 3


def test_a_candidate_who_books_a_slot_already_sent_to_the_proctor_adds_no_event(smtp):
    procedure, slot, _bookings = booked_slot(2)
    send_all(procedure)
    connection_test_book(candidate=CandidateFactory(procedure=procedure), slot=slot, interview=None)  # sent at once
    deliver_due()
    assert len(calendar_mails(smtp, slot.proctor.email)) == 1


def test_moving_the_slot_updates_the_one_event_with_a_higher_sequence(smtp):
    procedure, slot, bookings = booked_slot(3)
    send_all(procedure)
    later = slot.starts_at + dt.timedelta(hours=2)
    for booking in bookings:
        appointment_update(actor=None, appointment=booking.appointment, starts_at=later,
                           ends_at=later + dt.timedelta(minutes=15), reason="the proctor's day changed")
    deliver_due()
    mails = calendar_mails(smtp, slot.proctor.email)
    assert [(m[0], m[2], m[3]) for m in mails] == [("REQUEST", 0, slot.starts_at), ("REQUEST", 1, later)]
    assert mails[0][1] == mails[1][1]  # the same event, moved


def test_the_proctors_event_is_cancelled_only_with_the_last_booking(smtp):
    procedure, slot, bookings = booked_slot(3)
    send_all(procedure)
    for booking in bookings[:2]:
        appointment_set_status(actor=None, appointment=booking.appointment, to=Appointment.Status.CANCELLED,
                               reason="withdrew")
    deliver_due()
    assert [m[0] for m in calendar_mails(smtp, slot.proctor.email)] == ["REQUEST"]
    appointment_set_status(actor=None, appointment=bookings[2].appointment, to=Appointment.Status.CANCELLED,
                           reason="withdrew")
    deliver_due()
    mails = calendar_mails(smtp, slot.proctor.email)
    assert [(m[0], m[2]) for m in mails] == [("REQUEST", 0), ("CANCEL", 1)]
    assert mails[0][1] == mails[1][1]
    for booking in bookings:  # each candidate got their own cancellation
        assert [m[0] for m in calendar_mails(smtp, booking.candidate.email)] == ["REQUEST", "CANCEL"]


def test_a_slot_booked_again_after_its_cancellation_comes_back_above_the_cancel(smtp):
    procedure, slot, bookings = booked_slot(1)
    send_all(procedure)
    appointment_set_status(actor=None, appointment=bookings[0].appointment, to=Appointment.Status.CANCELLED)
    connection_test_book(candidate=CandidateFactory(procedure=procedure), slot=slot, interview=None)
    deliver_due()
    assert [(m[0], m[2]) for m in calendar_mails(smtp, slot.proctor.email)] == [
        ("REQUEST", 0), ("CANCEL", 1), ("REQUEST", 2)]


def test_the_proctors_answer_to_the_slot_event_is_recorded(smtp):
    procedure, slot, _bookings = booked_slot(2)
    send_all(procedure)
    request = Message.objects.get(recipient_email=slot.proctor.email, kind="staff_invitation")
    assert reply_process(client_reply("outlook_accepted.eml", request)) == "accepted"
    # Recorded on the booking the event last showed; the candidates' own answers are theirs to give.
    answered = Invitation.objects.get(email=slot.proctor.email, partstat=Invitation.PartStat.ACCEPTED)
    assert answered.appointment_id == SharedStaffEvent.objects.get().appointment_id
    assert not Appointment.objects.filter(status=Appointment.Status.CONFIRMED).exists()


def test_a_booking_sent_to_the_proctor_as_its_own_event_before_keeps_its_uid(smtp):
    """Bookings sent before the slot events existed: their updates go to the event the proctor has."""
    procedure, slot, bookings = booked_slot(1)
    real = group_finder()
    group_finder_register(GroupFinder(group_of=lambda appointment: None, others_sent=lambda *args: False))
    try:
        send_all(procedure)
    finally:
        group_finder_register(real)
    later = slot.starts_at + dt.timedelta(hours=1)
    appointment_update(actor=None, appointment=bookings[0].appointment, starts_at=later,
                       ends_at=later + dt.timedelta(minutes=15))
    deliver_due()
    uid = bookings[0].appointment.uid
    assert [(m[0], m[1], m[2]) for m in calendar_mails(smtp, slot.proctor.email)] == [
        ("REQUEST", uid, 0), ("REQUEST", uid, 1)]
    assert not SharedStaffEvent.objects.exists()
