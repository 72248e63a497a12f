"""Issue 13: the officer asks every candidate not yet planned, by e-mail with their personal link and
the deadline, on which half-days they cannot come; a second click mails nobody twice; "remind"
reaches only those asked who have not answered. Delivered through the outbox to a real SMTP server."""

from __future__ import annotations

import datetime as dt
import html
import logging
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from interviewdesk.core.models import AuditEntry
from interviewdesk.messaging.models import Message
from interviewdesk.messaging.services.delivery import deliver_due
from interviewdesk.portal.models import AvailabilityRequest
from interviewdesk.portal.services.access import access_token_find
from interviewdesk.portal.services.availability_requests import REMIND, availability_request_send
from interviewdesk.procedures.availability import working_days
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, CandidateFactory, staffed_procedure
from tests.messaging.conftest import smtp as smtp  # the real SMTP server fixture, used here too

from .conftest import log_in

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/p/([\w-]{43})/")
SUBJECTS = {"nl": "Op welke halve dagen kunt u niet komen?", "fr": "Quelles demi-journées ne pouvez-vous pas venir",
            "de": "An welchen halben Tagen können Sie nicht kommen?"}
DEADLINE_WORDS = {"nl": "uiterlijk op", "fr": "au plus tard le", "de": "bis spätestens"}


@pytest.fixture
def s(db):
    """A procedure whose planning window starts in three weeks, the deadline a week before; three
    candidates not yet planned (nl, fr, de) and one who already has an interview."""
    first = timezone.localdate() + dt.timedelta(days=21)
    first += dt.timedelta(days=(7 - first.weekday()) % 7)  # a Monday
    staff = staffed_procedure(first_interview_day=first, last_interview_day=first + dt.timedelta(days=11),
                              unavailability_deadline=first - dt.timedelta(days=7))
    staff.waiting = [CandidateFactory(procedure=staff.procedure, language=lang) for lang in ("nl", "fr", "de")]
    staff.planned = CandidateFactory(procedure=staff.procedure)
    start = timezone.now() + dt.timedelta(days=30)
    AppointmentFactory(procedure=staff.procedure, candidate=staff.planned, status=Appointment.Status.INVITED,
                       starts_at=start, ends_at=start + dt.timedelta(hours=1))
    return staff


def url(procedure, mode: str = "") -> str:
    return reverse("portal:availability_requests", args=[procedure.pk]) + (f"?mode={mode}" if mode else "")


def mails_to(smtp, email: str) -> list:
    return [mail for rcpt, mail in smtp.received if rcpt == [email]]


def test_the_confirmation_page_says_how_many_will_be_mailed_and_changes_nothing(client, s):
    client.force_login(s.officer)
    response = client.get(url(s.procedure))
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 candidates not yet planned have not been asked yet." in page
    assert "<dt>E-mails to send</dt><dd>3</dd>" in page
    assert "Send the e-mails" in page
    assert not Message.objects.exists() and not AvailabilityRequest.objects.exists()


@pytest.mark.parametrize("mode", ["ask", REMIND])
def test_the_confirmation_button_is_a_plain_primary_one_as_sending_mails_destroys_nothing(client, s, mode):
    if mode == REMIND:
        availability_request_send(procedure=s.procedure, actor=s.officer, mode="ask")
    client.force_login(s.officer)
    page = client.get(url(s.procedure, mode)).content.decode()
    button = re.search(r'<button type="submit" class="([^"]*)">Send the (e-mails|reminders)</button>', page)
    assert button is not None
    assert button.group(1) == "primary"


def test_asking_mails_each_candidate_not_yet_planned_their_link_and_the_deadline_in_their_language(
        client, s, smtp, caplog):
    client.force_login(s.officer)
    caplog.set_level(logging.DEBUG)
    response = client.post(url(s.procedure), {"confirmed": "yes", "mode": "ask"}, follow=True)
    assert "3 candidates are asked by e-mail when they cannot come." in response.content.decode()
    assert deliver_due() == 3

    assert mails_to(smtp, s.planned.email) == []
    for candidate in s.waiting:
        [mail] = mails_to(smtp, candidate.email)
        assert SUBJECTS[candidate.language] in str(mail["Subject"])
        assert s.procedure.reference in str(mail["Subject"])
        text = mail.get_body(("plain",)).get_content()
        assert DEADLINE_WORDS[candidate.language] in text
        assert str(s.procedure.unavailability_deadline.day) in text
        [token] = LINK.findall(text)
        assert access_token_find(token)[1] == "ok"
        # The outbox row never holds the working link.
        row = Message.objects.get(candidate=candidate)
        assert token not in row.body_text and row.kind == "availability_request"
    requests = AvailabilityRequest.objects.filter(candidate__in=s.waiting)
    assert sorted(r.times_sent for r in requests) == [1, 1, 1]
    entry = AuditEntry.objects.get(action="availability_request.sent")
    assert entry.actor == s.officer and entry.procedure_id == s.procedure.pk
    # No personal data in the product's log lines of the request and the delivery (aiosmtpd's own
    # "mail.log" is the test's SMTP server, which logs what it receives).
    logged = " ".join(record.getMessage() for record in caplog.records if not record.name.startswith("mail.log"))
    assert logged  # the delivery did log
    assert not any(c.email in logged or c.last_name in logged for c in s.waiting)


def test_a_second_click_mails_nobody_again(client, s, smtp):
    client.force_login(s.officer)
    client.post(url(s.procedure), {"confirmed": "yes", "mode": "ask"})
    response = client.post(url(s.procedure), {"confirmed": "yes", "mode": "ask"}, follow=True)
    assert "Nobody to ask" in response.content.decode()
    assert client.get(url(s.procedure), follow=True).redirect_chain[-1][0] == reverse(
        "planning:home", args=[s.procedure.pk])
    deliver_due()
    assert Message.objects.count() == 3 and len(smtp.received) == 3
    assert AuditEntry.objects.filter(action="availability_request.sent").count() == 1


def test_a_candidate_added_later_is_asked_by_the_next_click_and_only_they(client, s):
    availability_request_send(procedure=s.procedure, actor=s.officer)
    late = CandidateFactory(procedure=s.procedure, language="fr")
    client.force_login(s.officer)
    assert "<dt>E-mails to send</dt><dd>1</dd>" in client.get(url(s.procedure)).content.decode()
    client.post(url(s.procedure), {"confirmed": "yes", "mode": "ask"})
    assert list(Message.objects.filter(kind="availability_request").values_list("candidate_id", flat=True)
                .order_by("id"))[-1] == late.pk
    assert Message.objects.count() == 4


def test_remind_reaches_only_those_asked_who_have_not_answered(client, s, smtp):
    availability_request_send(procedure=s.procedure, actor=s.officer)
    answering, *silent = s.waiting
    log_in(client, answering)
    # Saving the page as it is (they can come on every half-day) is an answer too.
    assert client.post(reverse("portal:unavailability"), {}).status_code == 302
    assert AvailabilityRequest.objects.get(candidate=answering).answered_at is not None
    client.logout()

    client.force_login(s.officer)
    page = client.get(url(s.procedure, REMIND)).content.decode()
    assert "2 candidates were asked and have not answered yet." in page
    assert "<dt>Candidates who answered already</dt><dd>1</dd>" in page
    client.post(url(s.procedure), {"confirmed": "yes", "mode": REMIND})
    deliver_due()
    assert len(mails_to(smtp, answering.email)) == 1
    for candidate in silent:
        first, reminder = mails_to(smtp, candidate.email)
        assert str(reminder["Message-ID"]) != str(first["Message-ID"])
        assert LINK.findall(reminder.get_body(("plain",)).get_content()) == LINK.findall(
            first.get_body(("plain",)).get_content())  # the same personal link
    assert sorted(AvailabilityRequest.objects.filter(candidate__in=silent).values_list("times_sent", flat=True)) == [2, 2]
    assert "Rappel" in str(mails_to(smtp, silent[0].email)[1]["Subject"])  # silent[0] is French


@pytest.mark.parametrize("change, message", [
    ({"unavailability_deadline": None}, "Set the candidates' deadline first"),
    ({"unavailability_deadline": "past"}, "The candidates' deadline has passed"),
    ({"first_interview_day": None, "last_interview_day": None}, "Set the planning window"),
])
def test_asking_is_refused_with_a_clear_message_when_candidates_cannot_answer(client, s, change, message):
    for field, value in change.items():
        setattr(s.procedure, field, timezone.localdate() - dt.timedelta(days=1) if value == "past" else value)
    s.procedure.save()
    client.force_login(s.officer)
    response = client.post(url(s.procedure), {"confirmed": "yes", "mode": "ask"}, follow=True)
    assert message in html.unescape(response.content.decode())
    assert not Message.objects.exists() and not AvailabilityRequest.objects.exists()


def test_the_planning_page_offers_both_actions_with_their_counts(client, s):
    availability_request_send(procedure=s.procedure, actor=s.officer)
    CandidateFactory(procedure=s.procedure)
    client.force_login(s.officer)
    page = client.get(reverse("planning:home", args=[s.procedure.pk])).content.decode()
    assert "1 candidate not yet planned has not been asked." in page
    assert "3 candidates were asked and have not answered." in page
    assert url(s.procedure) in page and url(s.procedure, REMIND) in page


# --- Permissions -------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["proctor", "chair", "assessor", "outsider"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_roles_and_other_procedures_officers_get_404(client, s, who, method):
    client.force_login(getattr(s, who))
    response = getattr(client, method)(url(s.procedure), {"confirmed": "yes", "mode": "ask"})
    assert response.status_code == 404
    assert not Message.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client, s):
    for response in (client.get(url(s.procedure)), client.post(url(s.procedure), {"confirmed": "yes"})):
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Message.objects.exists()


def test_the_candidates_answer_page_still_works_after_the_link_from_the_mail(client, s, smtp):
    availability_request_send(procedure=s.procedure, actor=s.officer)
    deliver_due()
    candidate = s.waiting[0]
    [mail] = mails_to(smtp, candidate.email)
    [token] = LINK.findall(mail.get_body(("plain",)).get_content())
    assert client.post(f"/p/{token}/").status_code == 302
    day = working_days(s.procedure.planning_days())[0]
    assert client.post(reverse("portal:unavailability"), {f"hd-{day}-am": "work"}).status_code == 302
    assert list(candidate.unavailability.values_list("date", "part")) == [(day, "am")]
