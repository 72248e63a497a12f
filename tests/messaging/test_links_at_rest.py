"""Issue 12 "Links and tokens at rest": no working personal link is stored in clear — not in the
outbox rows (text, HTML, calendar file), the mail log, the audit log or the task queue — while the
message that reaches the SMTP server carries a link that works."""

from __future__ import annotations

import re

import pytest
from django.core import serializers
from django.utils import timezone

from interviewdesk.core.models import AuditEntry
from interviewdesk.messaging.models import Message
from interviewdesk.messaging.services.delivery import deliver_due
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.portal.services.access import access_token_find
from interviewdesk.procedures.models import Role
from interviewdesk.scheduling.services import appointment_update
from tests.factories import member
from tests.messaging.conftest import planned_interview
from tests.portal.test_link_lifetime import LINK, delivered_links, in_days

pytestmark = pytest.mark.django_db

ANY_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def working_tokens_in(text: str) -> list[str]:
    """Every 43-character run in `text` that opens a portal today (whatever surrounds it: a link,
    a folded calendar line once unfolded, a JSON value)."""
    unfolded = text.replace("\r\n ", "").replace("\\n", "\n")
    return [raw for raw in set(ANY_TOKEN.findall(unfolded)) if access_token_find(raw)[1] == "ok"]


def stored_rows() -> str:
    """What the database holds that a reader of the outbox, the audit log or the task queue sees."""
    from django_tasks_db.models import DBTaskResult

    rows = [*Message.objects.all(), *AuditEntry.objects.all(), *DBTaskResult.objects.all()]
    return serializers.serialize("json", rows)


def test_invitations_updates_and_a_staff_reissue_store_no_working_link_but_deliver_one(client, smtp):
    appointment = planned_interview(starts_at=in_days(10), ends_at=in_days(10, 11))
    candidate = appointment.candidate
    invitation_send(appointment=appointment)
    appointment_update(actor=None, appointment=appointment, starts_at=in_days(11), ends_at=in_days(11, 11))
    officer = member(appointment.procedure, Role.SELECTION_OFFICER)
    client.force_login(officer)
    client.post(f"/procedures/{candidate.procedure_id}/candidates/{candidate.pk}/link/",
                {"action": "reissue", "confirmed": "yes"})

    assert Message.objects.filter(recipient_email=candidate.email).count() == 3
    assert working_tokens_in(stored_rows()) == []  # queued: nothing to steal
    deliver_due()
    assert working_tokens_in(stored_rows()) == []  # sent: still nothing

    links = delivered_links(smtp, candidate.email)
    assert len(links) == 3 and access_token_find(links[-1])[1] == "ok"  # the .eml at the server works
    for message in Message.objects.filter(recipient_email=candidate.email):
        assert "/p/" not in message.body_text + message.body_html + message.ics.replace("\r\n ", "")


def test_the_mail_log_shows_the_link_redacted(client, smtp):
    appointment = planned_interview(starts_at=in_days(10), ends_at=in_days(10, 11))
    invitation_send(appointment=appointment)
    deliver_due()
    [raw] = delivered_links(smtp, appointment.candidate.email)
    message = Message.objects.get(kind="invitation")
    client.force_login(member(appointment.procedure, Role.SELECTION_OFFICER))

    page = client.get(f"/procedures/{appointment.procedure_id}/mail/{message.pk}/").content.decode()
    assert raw not in page and not LINK.search(page)
    assert "personal link" in page.lower() and "[[" not in page  # said in words, not as the raw placeholder
    for url in (f"/procedures/{appointment.procedure_id}/mail/",
                f"/procedures/{appointment.procedure_id}/mail/{message.pk}/message.ics",
                f"/procedures/{appointment.procedure_id}/candidates/{appointment.candidate_id}/mail/"):
        response = client.get(url)
        assert response.status_code == 200 and raw not in response.content.decode()


def test_the_demo_file_backend_writes_the_working_link_only_into_the_delivered_file(settings, tmp_path):
    settings.EMAIL_HOST, settings.MAIL_DIR = "", str(tmp_path)
    appointment = planned_interview(starts_at=in_days(10), ends_at=in_days(10, 11))
    invitation_send(appointment=appointment)
    deliver_due()
    message = Message.objects.get(kind="invitation")
    written = (tmp_path / f"{message.pk:08d}-invitation.eml").read_bytes()
    import email
    import email.policy

    mail = email.message_from_bytes(written, policy=email.policy.default)
    text = next(p.get_content() for p in mail.walk() if p.get_content_type() == "text/plain")
    [raw] = LINK.findall(text)
    assert access_token_find(raw)[1] == "ok"
    assert working_tokens_in(stored_rows()) == []
    assert message.sent_at <= timezone.now()


def test_the_migration_takes_the_links_out_of_rows_written_before(smtp):
    """Rows from before the change held the working link: sent ones get it in words, waiting ones the
    placeholder (and a link the worker can put in)."""
    import importlib

    from django.apps import apps

    from interviewdesk.messaging import ical
    from interviewdesk.portal.models import AccessToken
    from interviewdesk.portal.services.access import access_link_issue

    appointment = planned_interview(starts_at=in_days(10), ends_at=in_days(10, 11))
    candidate = appointment.candidate
    old_link = access_link_issue(candidate=candidate)
    AccessToken.objects.filter(candidate=candidate).update(nonce="")  # a link from before: nothing to derive it from
    ics = ical.appointment_ics(appointment, candidate.email, "REQUEST", personal_link=old_link).decode()
    assert old_link in ics.replace("\r\n ", "")
    rows = [Message.objects.create(kind="invitation", candidate=candidate, procedure=appointment.procedure,
                                   recipient_email=candidate.email, language="nl", subject="s", state=state,
                                   body_text=f"Uw pagina: {old_link}\n", body_html=f'<a href="{old_link}">x</a>',
                                   ics=ics, message_id=f"<{state}@x>")
            for state in ("sent", "queued")]
    assert len(working_tokens_in(stored_rows())) == 1

    importlib.import_module("interviewdesk.messaging.migrations.0005_redact_stored_links").redact(apps, None)

    assert working_tokens_in(stored_rows()) == []
    sent, queued = (Message.objects.get(pk=m.pk) for m in rows)
    assert "[personal link: put in when the e-mail is sent]" in sent.body_text and not sent.personal_link
    assert queued.personal_link and "[[personal-link]]" in queued.ics.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in queued.ics.split("\r\n"))
    deliver_due()
    [new] = delivered_links(smtp, candidate.email)
    assert access_token_find(new)[1] == "ok" and new not in old_link
    assert access_token_find(old_link.rstrip("/").rsplit("/", 1)[1])[1] == "ok"  # the old link still opens


def test_no_working_link_reaches_the_logs(client, smtp, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    appointment = planned_interview(starts_at=in_days(10), ends_at=in_days(10, 11))
    invitation_send(appointment=appointment)
    deliver_due()
    [raw] = delivered_links(smtp, appointment.candidate.email)
    assert client.post(f"/p/{raw}/").status_code == 302
    assert client.get(f"/p/{raw}/").status_code == 200
    logged = caplog.text + "".join(str(record.args) for record in caplog.records)
    assert raw not in logged and working_tokens_in(logged) == []
