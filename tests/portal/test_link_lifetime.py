"""Issue 10 §4: a candidate's personal link keeps working across appointment changes, and every
e-mail that needs a link carries a working one without switching off the links of earlier e-mails."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from interviewdesk.core.models import AuditEntry
from interviewdesk.messaging.services.delivery import deliver_due
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.portal.services import room_request_approve, room_request_create
from interviewdesk.portal.services.access import access_link_revoke, access_token_find
from interviewdesk.portal.services.adjustments import adjustment_decide, adjustment_request_create
from interviewdesk.procedures.models import Procedure
from interviewdesk.procedures.services import candidate_update
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_set_status, appointment_update
from tests.factories import RoomFactory, UserFactory
from tests.messaging.conftest import planned_interview
from tests.messaging.conftest import smtp as smtp  # the real SMTP server fixture, used here too

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/p/([\w-]{43})/")


def in_days(days: int, hour: int = 10) -> dt.datetime:
    """A local time `days` ahead: in the future whatever the clock says."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def interview(**kwargs) -> Appointment:
    return planned_interview(starts_at=in_days(10), ends_at=in_days(10, 11), **kwargs)


def delivered_links(smtp, email: str) -> list[str]:
    """The tokens in the mails the SMTP server received for `email`, one per mail, read from the
    text, the HTML and the calendar file, which must agree."""
    found = []
    for rcpt, mail in smtp.received:
        if rcpt != [email]:
            continue
        parts = {part.get_content_type(): part.get_content() for part in mail.walk() if not part.is_multipart()}
        in_text = set(LINK.findall(parts["text/plain"]))
        assert len(in_text) <= 1
        if "text/html" in parts:
            assert set(LINK.findall(parts["text/html"])) == in_text
        calendar = parts.get("text/calendar")
        if calendar and in_text:
            unfolded = (calendar if isinstance(calendar, str) else calendar.decode()).replace("\r\n ", "")
            assert set(LINK.findall(unfolded)) == in_text
        found.extend(in_text)
    return found


def logged_in(client, raw: str) -> None:
    assert client.post(f"/p/{raw}/").status_code == 302
    assert client.get("/portal/").status_code == 200


def move(appointment):
    appointment_update(actor=None, appointment=appointment, starts_at=in_days(12), ends_at=in_days(12, 11))


def assign_room(appointment):
    request = room_request_create(candidate=appointment.candidate, reason="no quiet room at home", needs="",
                                  interview=appointment)
    room_request_approve(actor=UserFactory(), request=request, room=RoomFactory(),
                         appointment=appointment)


def approve_extra_time(appointment):
    request = adjustment_request_create(candidate=appointment.candidate, kinds=["extra_time"], details="dyslexia")
    adjustment_decide(actor=UserFactory(), request=request, appointment=appointment, approved=True, extra_minutes=15)


def reschedule(appointment):
    appointment_set_status(actor=None, appointment=appointment, to=Appointment.Status.STOPPED, reason="connection")
    move(appointment)


@pytest.mark.parametrize("change", [move, assign_room, approve_extra_time, reschedule],
                         ids=["time edited", "room assigned", "adjustment approved", "rescheduled"])
def test_an_appointment_change_keeps_the_first_link_and_the_open_session(client, smtp, change):
    appointment = interview()
    candidate = appointment.candidate
    invitation_send(appointment=appointment)
    deliver_due()
    [first] = delivered_links(smtp, candidate.email)
    logged_in(client, first)

    change(Appointment.objects.get(pk=appointment.pk))
    deliver_due()

    links = delivered_links(smtp, candidate.email)
    assert len(links) == 2  # the update mail carries a link too
    assert all(access_token_find(raw)[1] == "ok" for raw in links)  # the first one still works
    assert client.get("/portal/").status_code == 200  # and the open session was not logged out
    assert candidate.access_tokens.filter(revoked_at__isnull=False).count() == 0


def test_a_second_appointment_sent_later_leaves_the_first_mail_working(smtp):
    appointment = interview()
    test = planned_interview(procedure=appointment.procedure, candidate=appointment.candidate,
                             kind=Appointment.Kind.CONNECTION_TEST, starts_at=in_days(8), ends_at=in_days(8, 11))
    invitation_send(appointment=appointment)
    invitation_send(appointment=test)
    deliver_due()
    links = delivered_links(smtp, appointment.candidate.email)
    assert len(links) == 2 and all(access_token_find(raw)[1] == "ok" for raw in links)


def test_a_link_is_revoked_when_staff_revoke_it_or_the_address_changes(client, smtp):
    appointment = interview()
    candidate = appointment.candidate
    invitation_send(appointment=appointment)
    deliver_due()
    [first] = delivered_links(smtp, candidate.email)

    candidate_update(actor=None, candidate=candidate, email="lotte.new@example.net")
    deliver_due()
    assert access_token_find(first)[1] == "revoked"
    [second] = delivered_links(smtp, "lotte.new@example.net")
    logged_in(client, second)

    access_link_revoke(candidate=candidate, actor=UserFactory(), reason="asked by the candidate")
    assert access_token_find(second)[1] == "revoked"
    assert client.get("/portal/").status_code == 403


def test_a_new_link_lives_until_a_while_after_the_appointment_and_expires_then(client, smtp, settings, time_machine):
    settings.PORTAL_LINK_DAYS_AFTER_USE = 30
    appointment = interview()
    invitation_send(appointment=appointment)
    deliver_due()
    [raw] = delivered_links(smtp, appointment.candidate.email)
    token, state = access_token_find(raw)
    assert state == "ok"
    assert token.expires_at == appointment.ends_at.astimezone(dt.UTC) + dt.timedelta(days=30)  # 30 × 24 h

    time_machine.move_to(token.expires_at + dt.timedelta(minutes=1))
    response = client.get(f"/p/{raw}/")
    assert response.status_code == 410
    page = response.content.decode()
    assert "verlopen" in page and appointment.procedure.contact_email in page  # nl: what happened, whom to ask


@pytest.mark.parametrize(("language", "revoked", "expired", "closed"), [
    ("nl", "uitgeschakeld", "verlopen", "afgesloten"),
    ("fr", "désactivé", "expiré", "clôturée"),
    ("de", "deaktiviert", "abgelaufen", "abgeschlossen"),
])
def test_revoked_expired_and_closed_links_say_so_in_the_candidates_language(client, smtp, time_machine, language,
                                                                          revoked, expired, closed):
    appointment = interview(language=language)
    invitation_send(appointment=appointment)
    deliver_due()
    [raw] = delivered_links(smtp, appointment.candidate.email)
    token, _state = access_token_find(raw)
    contact = appointment.procedure.contact_email

    Procedure.objects.filter(pk=appointment.procedure_id).update(status=Procedure.Status.CLOSED)
    page = client.get(f"/p/{raw}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 410 and closed in page.content.decode() and contact in page.content.decode()
    Procedure.objects.filter(pk=appointment.procedure_id).update(status=Procedure.Status.OPEN)

    time_machine.move_to(token.expires_at + dt.timedelta(minutes=1))
    page = client.get(f"/p/{raw}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 410 and expired in page.content.decode() and contact in page.content.decode()

    access_link_revoke(candidate=appointment.candidate)
    page = client.get(f"/p/{raw}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 410 and revoked in page.content.decode() and contact in page.content.decode()


def test_a_login_by_link_is_audited_with_time_client_address_and_which_link(client, smtp):
    appointment = interview()
    invitation_send(appointment=appointment)
    deliver_due()
    [raw] = delivered_links(smtp, appointment.candidate.email)
    token, _state = access_token_find(raw)

    assert client.post(f"/p/{raw}/", REMOTE_ADDR="198.51.100.23").status_code == 302
    entry = AuditEntry.objects.get(action="access_link.login")
    assert (entry.object_type, entry.object_id) == ("portal.accesstoken", str(token.pk))
    assert entry.procedure_id == appointment.procedure_id and entry.actor_label == "candidate"
    assert entry.client_address == "198.51.100.23" and entry.changes == {}
    assert abs(entry.at - timezone.now()) < dt.timedelta(minutes=1)
    assert raw not in str(entry.changes) + entry.reason


def test_behind_the_proxy_the_login_audit_and_the_guess_limit_use_the_forwarded_client_address(
        client, smtp, settings):
    from interviewdesk.portal.session import too_many_failures

    settings.BEHIND_PROXY = True
    appointment = interview()
    invitation_send(appointment=appointment)
    deliver_due()
    [raw] = delivered_links(smtp, appointment.candidate.email)
    proxy = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.77"}
    for _attempt in range(12):  # a guesser behind the same proxy, at another address
        client.get("/p/not-a-link-at-all-000000000000000000000000/", REMOTE_ADDR="10.0.0.5",
                   HTTP_X_FORWARDED_FOR="192.0.2.44")
    assert client.post(f"/p/{raw}/", **proxy).status_code == 302
    entry = AuditEntry.objects.get(action="access_link.login")
    assert entry.client_address == "198.51.100.77"

    class Probe:
        META = proxy

    assert not too_many_failures(Probe())


def test_a_reminder_carries_the_same_working_link(smtp, time_machine):
    from interviewdesk.messaging.services.reminders import reminders_queue

    appointment = interview()
    invitation_send(appointment=appointment)
    deliver_due()
    time_machine.move_to(appointment.starts_at - dt.timedelta(days=1, hours=1))
    [reminder] = reminders_queue()
    assert reminder.personal_link and "/p/" not in reminder.body_text
    deliver_due()
    first, in_reminder = delivered_links(smtp, appointment.candidate.email)
    assert in_reminder == first and access_token_find(first)[1] == "ok"
