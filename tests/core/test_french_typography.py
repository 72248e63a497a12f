"""Issue 11: French text puts a narrow no-break space (U+202F) before ":" ";" "!" "?", in every French
catalogue and in what a French candidate reads: the portal's pages and the e-mails."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import polib
import pytest

from interviewdesk.messaging.models import Message
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.messaging.services.reminders import reminders_queue
from interviewdesk.portal.models import AdjustmentRequest, Readiness, RoomRequest
from interviewdesk.scheduling.services import appointment_cancel, appointment_update
from tests.messaging.conftest import planned_interview
from tests.portal.conftest import log_in

ROOT = Path(__file__).resolve().parents[2] / "interviewdesk"
NNBSP = "\u202f"
# The four marks used as punctuation (followed by a space or the end), after a word, without the
# narrow no-break space. Not: times (14:00), links (https://), code samples ({"nl": …}).
MISSING = re.compile(r"(?<=[^\s\"'/\u202f])[ \u00a0]?[:;!?](?=\s|$)")


def missing(text: str) -> list[str]:
    return [text[max(0, m.start() - 30):m.end() + 10] for m in MISSING.finditer(text)]


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


FRENCH_CATALOGUES = sorted(ROOT.rglob("locale/fr/LC_MESSAGES/django.po"))


def test_the_rule_finds_what_it_must_and_leaves_times_links_and_code_alone():
    assert missing("Quand : demain") and missing("Quand: demain") and missing("Vraiment ?") and missing("a\u00a0;")
    assert missing(f"Quand{NNBSP}: 14:00, https://example.org/?x=1, p. ex. {{\"nl\": \"…\"}}") == []


@pytest.mark.parametrize("path", FRENCH_CATALOGUES, ids=lambda p: p.parts[-5])
def test_every_french_catalogue_puts_the_narrow_space_before_the_high_marks(path):
    assert len(FRENCH_CATALOGUES) >= 7
    wrong = []
    for entry in polib.pofile(str(path)):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            wrong += missing(text)
    assert wrong == []


@pytest.mark.django_db
def test_the_french_candidate_pages_and_e_mails_read_correctly(client, working_day_morning):
    appointment = planned_interview(language="fr")
    candidate = appointment.candidate
    invitation_send(appointment=appointment)
    appointment_update(actor=None, appointment=appointment, join_url="https://teams.example.org/l/2")
    reminders_queue(now=appointment.starts_at - dt.timedelta(hours=20))
    Readiness.objects.create(candidate=candidate, rules_acknowledged_at=working_day_morning, rules_language="fr")
    RoomRequest.objects.create(candidate=candidate, reason="no_room", needs="un bureau")
    AdjustmentRequest.objects.create(candidate=candidate, kinds=["extra_time"], details="")

    log_in(client, candidate)
    wrong = {}
    for url in ("/portal/", "/portal/phone/", "/portal/equipment/", "/portal/rules/", "/portal/problem/",
                "/portal/room/", "/portal/device-check/", "/portal/connection-test/", "/portal/adjustments/",
                "/portal/unavailability/"):
        response = client.get(url)
        assert response.status_code == 200, url
        if found := missing(visible_text(response.content.decode())):
            wrong[url] = found
    appointment_cancel(actor=None, appointment=appointment)
    mails = list(Message.objects.filter(recipient_email=candidate.email))
    assert sorted(m.kind for m in mails) == ["cancellation", "invitation", "reminder", "update"]
    for message in mails:
        for part, text in (("subject", message.subject), ("text", message.body_text),
                           ("html", visible_text(message.body_html))):
            if found := missing(text):
                wrong[f"{message.kind} {part}"] = found
    assert wrong == {}
    invitation = next(m for m in mails if m.kind == "invitation")
    assert f"Plateforme{NNBSP}: Microsoft Teams" in invitation.body_text
