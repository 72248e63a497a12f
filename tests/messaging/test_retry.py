"""Sending failed messages again, once the cause is fixed: one from its page, or all of a procedure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from interviewdesk.core.models import AuditEntry
from interviewdesk.messaging.models import Message
from interviewdesk.messaging.services.delivery import deliver_due, messages_retry
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.procedures.models import Role
from interviewdesk.scheduling.services import appointment_update
from tests.factories import ProcedureFactory, member
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db


@pytest.fixture
def outage(smtp):
    """An interview whose invitations all failed while the mail server refused everything."""
    appointment = planned_interview(language="de")
    smtp.fail_next = ["554 5.7.1 Relay access denied"] * 4  # candidate, chair, two assessors
    invitation_send(appointment=appointment)
    deliver_due()
    smtp.received.clear()
    return appointment


def test_after_the_fix_the_failed_messages_go_out_again_with_their_own_message_id(smtp, outage):
    failed = list(Message.objects.filter(appointment=outage, state="failed").order_by("id"))
    assert len(failed) == 4
    officer = member(outage.procedure, Role.SELECTION_OFFICER)

    assert messages_retry(procedure=outage.procedure, actor=officer) == (4, 0)
    deliver_due()

    assert set(Message.objects.filter(pk__in=[m.pk for m in failed]).values_list("state", flat=True)) == {"sent"}
    assert sorted(str(mail["Message-ID"]) for _rcpt, mail in smtp.received) == sorted(m.message_id for m in failed)
    entries = AuditEntry.objects.filter(action="message.retried", actor=officer)
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(str(m.pk) for m in failed)
    assert set(entries.values_list("reason", flat=True)) == {"554 5.7.1 Relay access denied"}


def test_a_calendar_message_a_newer_version_replaced_stays_failed(smtp, outage):
    appointment_update(actor=None, appointment=outage, starts_at=outage.starts_at + dt.timedelta(hours=1),
                       ends_at=outage.ends_at + dt.timedelta(hours=1))  # SEQUENCE+1 queued for everybody
    old = Message.objects.filter(appointment=outage, state="failed", ics_sequence=0)
    assert old.count() == 4

    assert messages_retry(procedure=outage.procedure, ids=list(old.values_list("pk", flat=True))) == (0, 4)
    assert set(old.values_list("state", flat=True)) == {"failed"}


def test_only_failed_messages_of_the_procedure_are_touched(smtp, outage):
    other = planned_interview()
    invitation_send(appointment=other)
    deliver_due()
    assert messages_retry(procedure=other.procedure) == (0, 0)
    foreign = Message.objects.filter(appointment=outage, state="failed").first()
    assert messages_retry(procedure=other.procedure, ids=[foreign.pk]) == (0, 0)
    foreign.refresh_from_db()
    assert foreign.state == "failed"


def test_the_officer_sends_one_again_from_its_page(client, smtp, outage):
    message = Message.objects.filter(appointment=outage, state="failed").first()
    client.force_login(member(outage.procedure, Role.SELECTION_OFFICER))
    page = client.get(reverse("messaging:message", args=[outage.procedure_id, message.pk]))
    assert "Send again" in page.content.decode()

    response = client.post(reverse("messaging:retry", args=[outage.procedure_id]), {"message": message.pk},
                           follow=True, headers={"accept-language": "de"})
    assert response.redirect_chain == [(reverse("messaging:message", args=[outage.procedure_id, message.pk]), 302)]
    assert [str(m) for m in response.context["messages"]] == ["1 Nachricht steht wieder zum Versand bereit."]
    assert Message.objects.filter(appointment=outage, state="failed").count() == 3
    assert "Erneut senden" not in response.content.decode()  # queued now: no button


def test_the_mail_log_offers_to_send_all_failed_ones_again(client, smtp, outage):
    client.force_login(member(outage.procedure, Role.SELECTION_OFFICER))
    log = reverse("messaging:procedure", args=[outage.procedure_id])
    assert "Die 4 fehlgeschlagenen Nachrichten erneut senden" in client.get(
        log, headers={"accept-language": "de"}).content.decode()

    response = client.post(reverse("messaging:retry", args=[outage.procedure_id]), follow=True,
                           headers={"accept-language": "nl"})
    assert response.redirect_chain == [(f"{log}?state=failed", 302)]
    assert [str(m) for m in response.context["messages"]] == ["4 e-mails staan opnieuw klaar om te vertrekken."]
    assert "opnieuw versturen" not in response.content.decode()  # nothing failed any more


def test_with_nothing_failed_the_officer_is_told_so(client, smtp):
    appointment = planned_interview()
    client.force_login(member(appointment.procedure, Role.SELECTION_OFFICER))
    response = client.post(reverse("messaging:retry", args=[appointment.procedure_id]), follow=True,
                           headers={"accept-language": "fr"})
    assert [str(m) for m in response.context["messages"]] == ["Il n’y a aucun message en échec à renvoyer."]


def test_only_the_selection_officer_of_the_procedure_may_send_again(client, smtp, outage):
    url = reverse("messaging:retry", args=[outage.procedure_id])
    message = Message.objects.filter(appointment=outage, state="failed").first()
    for user in (member(outage.procedure, Role.ASSESSOR), member(outage.procedure, Role.PROCTOR),
                 member(ProcedureFactory(), Role.SELECTION_OFFICER)):
        client.force_login(user)
        assert client.post(url).status_code == 404
        assert client.post(url, {"message": message.pk}).status_code == 404
    client.logout()
    response = client.post(url)
    assert (response.status_code, response["Location"].startswith(reverse("login"))) == (302, True)
    client.force_login(member(outage.procedure, Role.SELECTION_OFFICER))
    assert client.get(url).status_code == 405  # a GET never changes anything
    assert client.post(url, {"message": "x"}).status_code == 404
    assert Message.objects.filter(appointment=outage, state="failed").count() == 4


def test_a_message_of_another_procedure_cannot_be_named(client, smtp, outage):
    other = planned_interview()
    client.force_login(member(other.procedure, Role.SELECTION_OFFICER))
    foreign = Message.objects.filter(appointment=outage, state="failed").first()
    response = client.post(reverse("messaging:retry", args=[other.procedure_id]), {"message": foreign.pk})
    assert response.status_code == 404
