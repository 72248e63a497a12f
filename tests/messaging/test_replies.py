"""Calendar answers (issue 10 §2): real clients' formats, which answers count, answer states,
a move asks again, the organizer, CANCEL, a corrected address, stale reminders."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from interviewdesk.core.models import AuditEntry
from interviewdesk.messaging.models import Invitation, Message, ReplyReview
from interviewdesk.messaging.selectors import at_risk
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.messaging.services.reminders import reminders_queue
from interviewdesk.messaging.services.replies import reply_process
from interviewdesk.procedures.models import Role
from interviewdesk.procedures.services import candidate_update
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_set_status, appointment_update
from tests.factories import ProcedureFactory, member
from tests.messaging.client_replies import client_reply
from tests.messaging.conftest import planned_interview
from tests.portal.conftest import log_in

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
NOW = dt.datetime(2027, 2, 15, 9, 0, tzinfo=BRUSSELS)  # a Monday
START = dt.datetime(2027, 2, 24, 10, 0, tzinfo=BRUSSELS)  # nine days later


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def invited(language="nl"):
    appointment = planned_interview(language=language, starts_at=START, ends_at=START + dt.timedelta(hours=1))
    invitation_send(appointment=appointment)
    appointment.refresh_from_db()
    return appointment, Message.objects.get(kind="invitation", appointment=appointment)


def answer_of(appointment) -> str:
    return Invitation.objects.get(appointment=appointment, role="candidate", cancelled=False).partstat


def status_of(appointment) -> str:
    appointment.refresh_from_db()
    return appointment.status


@pytest.mark.parametrize(("fixture", "result", "status", "answer"), [
    ("outlook_accepted.eml", "accepted", "confirmed", "accepted"),
    ("gmail_accepted.eml", "accepted", "confirmed", "accepted"),
    ("ics_only_accepted.eml", "accepted", "confirmed", "accepted"),
    ("apple_tentative.eml", "tentative", "invited", "tentative"),
    ("thunderbird_declined.eml", "declined", "invited", "declined"),
])
def test_answers_written_by_real_clients_are_applied(fixture, result, status, answer):
    appointment, message = invited()
    assert reply_process(client_reply(fixture, message)) == result
    assert (status_of(appointment), answer_of(appointment)) == (status, answer)
    assert not ReplyReview.objects.exists()
    # The same mail read twice (IMAP read again after a crash) changes nothing more.
    reply_process(client_reply(fixture, message))
    assert AuditEntry.objects.filter(action="invitation.answer").count() == 1


def test_an_answer_sent_from_another_address_changes_nothing_and_is_listed_with_the_reason():
    appointment, message = invited()
    raw = client_reply("rfc5546_accepted_forged.eml", message)
    assert reply_process(raw) == "review"
    assert (status_of(appointment), answer_of(appointment)) == ("invited", "needs_action")
    review = ReplyReview.objects.get()
    assert (review.reason, review.sender, review.attendee, review.answer) == (
        "sender_mismatch", "attacker@evil.example", message.recipient_email.lower(), "REPLY:ACCEPTED")
    assert review.procedure_id == appointment.procedure_id
    reply_process(raw)  # read again: still one line in the list
    assert ReplyReview.objects.count() == 1


def test_an_answer_the_receiving_server_could_not_authenticate_is_listed():
    appointment, message = invited()
    assert reply_process(client_reply("spoofed_dmarc_fail.eml", message)) == "review"
    assert (status_of(appointment), answer_of(appointment)) == ("invited", "needs_action")
    review = ReplyReview.objects.get()
    assert review.reason == "not_authenticated" and "dmarc=fail" in review.proposal["authentication"]


def test_with_an_authserv_id_only_our_servers_verdict_counts(settings):
    settings.INVITATION_REPLY_AUTHSERV_ID = "mx.other.example"
    appointment, message = invited()
    assert reply_process(client_reply("outlook_accepted.eml", message)) == "review"  # not stamped by ours
    assert status_of(appointment) == "invited"
    settings.INVITATION_REPLY_AUTHSERV_ID = "MX.interviewdesk.example"
    assert reply_process(client_reply("outlook_accepted.eml", message)) == "accepted"
    assert status_of(appointment) == "confirmed"


def test_spf_alone_counts_only_for_the_from_domain():
    _appointment, message = invited()
    raw = client_reply("apple_tentative.eml", message).replace(
        b"smtp.mailfrom=" + message.recipient_email.encode(), b"smtp.mailfrom=bounce@relay.example")
    assert reply_process(raw) == "review"
    assert ReplyReview.objects.get().reason == "not_authenticated"


def test_uids_are_random_so_a_guessed_one_matches_nothing():
    appointment, message = invited()
    assert not appointment.ical_uid.startswith("appointment-")
    assert len(appointment.ical_uid.split("@")[0]) >= 24
    guessed = client_reply("apple_tentative.eml", message).replace(
        appointment.ical_uid.encode(), f"appointment-{appointment.pk}@interviewdesk".encode())
    assert reply_process(guessed) == "ignored"
    assert status_of(appointment) == "invited"


def test_appointments_from_before_keep_their_uid_and_their_answers_still_count():
    from importlib import import_module

    from django.apps import apps

    appointment, message = invited()
    import_module("interviewdesk.scheduling.migrations.0003_appointment_uid").keep_existing_uids(apps, None)
    appointment.refresh_from_db()
    assert appointment.ical_uid == f"appointment-{appointment.pk}@interviewdesk"
    Message.objects.filter(pk=message.pk).update(ics=message.ics.replace(
        Calendar.from_ical(message.ics).walk("VEVENT")[0]["uid"], appointment.ical_uid))
    message.refresh_from_db()
    assert reply_process(client_reply("outlook_accepted.eml", message)) == "accepted"
    assert status_of(appointment) == "confirmed"


def test_a_delegation_changes_nothing_and_alerts_the_contact_person_with_the_delegate():
    appointment, message = invited()
    assert reply_process(client_reply("rfc5546_delegated.eml", message)) == "review"
    assert (status_of(appointment), answer_of(appointment)) == ("invited", "needs_action")
    review = ReplyReview.objects.get()
    delegate = "colleague@" + message.recipient_email.rsplit("@", 1)[1]
    assert (review.reason, review.proposal) == ("delegated", {"delegated_to": delegate})
    alert = Message.objects.get(kind="alert")
    assert alert.recipient_email == appointment.procedure.contact_email
    assert delegate in alert.body_text and "Agenda-antwoord te bekijken" in alert.subject


def test_a_counter_proposal_alerts_the_contact_person_with_the_proposed_time():
    appointment, message = invited()
    proposed = dt.datetime(2027, 2, 25, 14, 0, tzinfo=BRUSSELS)
    assert reply_process(client_reply("rfc5546_counter.eml", message, proposed=proposed)) == "review"
    assert status_of(appointment) == "invited"
    review = ReplyReview.objects.get()
    assert review.reason == "counter" and review.proposed_starts_at == proposed
    assert review.proposal["comment"].startswith("I have an exam")
    alert = Message.objects.get(kind="alert")
    assert "donderdag 25 februari 2027, 14:00–15:00" in alert.body_text
    assert "I have an exam that morning" in alert.body_text


def test_a_decline_after_an_acceptance_leaves_confirmed_and_shows_on_the_at_risk_list():
    appointment, message = invited()
    reply_process(client_reply("outlook_accepted.eml", message))
    assert status_of(appointment) == "confirmed"
    assert reply_process(client_reply("thunderbird_declined.eml", message)) == "declined"
    assert (status_of(appointment), answer_of(appointment)) == ("invited", "declined")
    rows = at_risk(appointment.procedure, now=START - dt.timedelta(hours=2))
    assert [r.appointment.pk for r in rows] == [appointment.pk] and "declined" in rows[0].reasons
    assert Message.objects.filter(kind="alert").count() == 1


def test_a_maybe_is_shown_to_staff_and_the_portal_asks_to_confirm(client):
    appointment, message = invited()
    reply_process(client_reply("outlook_accepted.eml", message))
    reply_process(client_reply("apple_tentative.eml", message))
    assert (status_of(appointment), answer_of(appointment)) == ("invited", "tentative")
    assert "answered maybe (tentative)" in at_risk(appointment.procedure, now=START - dt.timedelta(hours=2))[0].reasons
    officer = member(appointment.procedure, Role.SELECTION_OFFICER)
    client.force_login(officer)
    staff_page = client.get(reverse("messaging:candidate", args=[appointment.procedure_id, appointment.candidate_id]))
    assert "maybe (tentative)" in staff_page.content.decode()
    client.logout()
    log_in(client, appointment.candidate)
    portal = client.get("/portal/").content.decode()
    assert "Bevestig dat u deelneemt" in portal and "Het gesprek aanvaarden" in portal


def test_moving_a_confirmed_appointment_asks_the_candidate_again(client):
    appointment, message = invited()
    reply_process(client_reply("outlook_accepted.eml", message))
    appointment.refresh_from_db()
    appointment = appointment_update(actor=None, appointment=appointment, join_url="https://teams.example.org/new")
    assert (status_of(appointment), answer_of(appointment)) == ("confirmed", "accepted")  # a new link: only news
    later = START + dt.timedelta(days=1)
    appointment_update(actor=None, appointment=appointment, starts_at=later, ends_at=later + dt.timedelta(hours=1))
    assert (status_of(appointment), answer_of(appointment)) == ("invited", "needs_action")
    staff_answers = set(Invitation.objects.filter(appointment=appointment).exclude(role="candidate")
                        .values_list("partstat", flat=True))
    assert staff_answers == {"needs_action"}
    rows = at_risk(appointment.procedure, now=later - dt.timedelta(hours=2))
    assert "not accepted" in rows[0].reasons
    log_in(client, appointment.candidate)
    portal = client.get("/portal/").content.decode()
    assert "nog niet aanvaard" in portal and "Het gesprek aanvaarden" in portal
    # The new version's answer counts again.
    update = Message.objects.filter(kind="update", appointment=appointment).latest("id")
    assert reply_process(client_reply("gmail_accepted.eml", update)) == "accepted"
    assert status_of(appointment) == "confirmed"


def test_the_organizer_is_the_reply_mailbox_by_default_with_the_contact_person_as_name(settings):
    assert settings.INVITATION_REPLY_ADDRESS == "calendar-replies@interviewdesk.example"
    _appointment, message = invited()
    event = next(iter(Calendar.from_ical(message.ics).walk("VEVENT")))
    assert str(event["organizer"]) == "mailto:calendar-replies@interviewdesk.example"
    assert str(event["organizer"].params["CN"]) == "An Peeters"


def test_a_cancellation_asks_no_answer():
    appointment, _message = invited()
    appointment_set_status(actor=None, appointment=appointment, to=Appointment.Status.CANCELLED)
    cancel = Message.objects.get(kind="cancellation", appointment=appointment)
    attendee = next(iter(Calendar.from_ical(cancel.ics).walk("VEVENT")))["attendee"]
    assert "RSVP" not in attendee.params and "PARTSTAT" not in attendee.params
    assert "RSVP" not in cancel.ics and "NEEDS-ACTION" not in cancel.ics


class OneCalendar:
    """A calendar that two addresses of one person feed, applying iTIP as clients do (RFC 5546
    §2.1.5): a message for a UID is applied only if its SEQUENCE is not lower than the stored one."""

    def __init__(self):
        self.events: dict[str, dict] = {}

    def receive(self, ics: str) -> None:
        cal = Calendar.from_ical(ics)
        method = str(cal["method"])
        for event in cal.walk("VEVENT"):
            uid, sequence = str(event["uid"]), int(event["sequence"])
            stored = self.events.get(uid)
            if stored is not None and sequence < stored["sequence"]:
                continue  # an older version
            self.events[uid] = {"sequence": sequence, "cancelled": method == "CANCEL",
                                "start": event.decoded("dtstart")}


@pytest.mark.parametrize("order", ["cancel first", "request first"])
def test_a_corrected_address_leaves_the_event_in_a_calendar_fed_by_both(order):
    appointment, message = invited()
    Message.objects.filter(pk=message.pk).update(state=Message.State.SENT)
    candidate = appointment.candidate
    calendar = OneCalendar()
    calendar.receive(message.ics)  # the first invitation, at the old address
    candidate_update(actor=None, candidate=candidate, email="lotte.new@example.org")
    cancel = Message.objects.get(kind="cancellation", appointment=appointment)
    request = Message.objects.get(kind="invitation", appointment=appointment, recipient_email="lotte.new@example.org")
    assert request.ics_sequence > cancel.ics_sequence
    for sent in ([cancel, request] if order == "cancel first" else [request, cancel]):
        calendar.receive(sent.ics)
    (event,) = calendar.events.values()
    assert not event["cancelled"] and event["start"] == START


def test_a_reminder_whose_moment_passed_before_a_move_is_not_sent(time_machine):
    appointment, _message = invited()
    Message.objects.filter(appointment=appointment).update(state=Message.State.SENT)
    time_machine.move_to(dt.datetime(2027, 2, 22, 10, 5, tzinfo=BRUSSELS), tick=False)
    moved_to = dt.datetime(2027, 2, 24, 9, 0, tzinfo=BRUSSELS)  # two days ahead
    appointment_update(actor=None, appointment=appointment, starts_at=moved_to,
                       ends_at=moved_to + dt.timedelta(hours=1))
    time_machine.move_to(dt.datetime(2027, 2, 22, 10, 10, tzinfo=BRUSSELS), tick=False)  # five minutes later
    assert reminders_queue() == []  # "3 days before" (21 Feb 09:00) was over before the move
    time_machine.move_to(moved_to - dt.timedelta(days=1), tick=False)
    assert [m.kind for m in reminders_queue()] == ["reminder"]  # "1 day before" still goes out


def test_the_calendar_answers_page_is_for_the_procedures_staff_only(client):
    appointment, message = invited()
    reply_process(client_reply("rfc5546_accepted_forged.eml", message))
    review = ReplyReview.objects.get()
    procedure = appointment.procedure
    url = reverse("messaging:reply_reviews", args=[procedure.pk])
    handled = reverse("messaging:reply_review_handled", args=[procedure.pk, review.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(member(procedure, Role.ASSESSOR))
    assert client.get(url).status_code == 404
    client.force_login(member(ProcedureFactory(), Role.SELECTION_OFFICER))
    assert client.get(url).status_code == 404
    assert client.post(handled).status_code == 404
    client.force_login(member(procedure, Role.PROCTOR))
    assert client.post(handled).status_code == 404
    officer = member(procedure, Role.SELECTION_OFFICER)
    client.force_login(officer)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "attacker@evil.example" in page and "Agenda-antwoorden te bekijken" in page
    assert "verstuurd vanaf een ander adres dan het uitgenodigde" in page
    assert client.post(handled).status_code == 302
    review.refresh_from_db()
    assert review.handled_by == officer and AuditEntry.objects.filter(action="reply.review_handled").count() == 1
    log = client.get(reverse("messaging:procedure", args=[procedure.pk])).content.decode()
    assert "(0)" in log
