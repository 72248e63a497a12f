"""Issue 11: the day before, each jury member gets one e-mail with tomorrow's interviews and the
conflict-of-interest declarations they still have to make, in their language."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest
from django.utils import timezone

from interviewdesk.live.services import declaration_submit
from interviewdesk.live.services.briefing import jury_briefings_queue
from interviewdesk.messaging.models import Message
from interviewdesk.procedures.models import JuryMember
from interviewdesk.scheduling.services import appointment_cancel
from tests.english import english_left
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
WEDNESDAY = dt.date(2027, 3, 17)
LIVE_NL = Path(__file__).resolve().parents[2] / "interviewdesk/live/locale/nl/LC_MESSAGES/django.po"


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)), BRUSSELS)


def seats(appointment):
    chair = appointment.jury.members.get(role=JuryMember.Role.CHAIR).user
    first, second = [m.user for m in appointment.jury.members.filter(role=JuryMember.Role.ASSESSOR).order_by("id")]
    return chair, first, second


@pytest.fixture
def tomorrow(time_machine):
    time_machine.move_to(at(WEDNESDAY - dt.timedelta(days=1), 9), tick=False)
    appointment = planned_interview(starts_at=at(WEDNESDAY, 10), ends_at=at(WEDNESDAY, 11))
    chair, first, second = seats(appointment)
    later = planned_interview(starts_at=at(WEDNESDAY + dt.timedelta(days=1), 10),
                              ends_at=at(WEDNESDAY + dt.timedelta(days=1), 11))  # the day after: not listed
    declaration_submit(actor=first, appointment=appointment, has_link=False)
    return appointment, chair, first, second, later


def test_before_the_afternoon_nothing_is_sent(tomorrow, time_machine):
    time_machine.move_to(at(WEDNESDAY - dt.timedelta(days=1), 13, 59), tick=False)
    assert jury_briefings_queue() == 0
    assert not Message.objects.filter(kind="jury_day_before").exists()


def test_each_member_gets_one_mail_naming_the_interview_and_their_missing_declaration(tomorrow, time_machine):
    appointment, chair, first, second, later = tomorrow
    time_machine.move_to(at(WEDNESDAY - dt.timedelta(days=1), 15), tick=False)
    assert jury_briefings_queue() == 3
    assert jury_briefings_queue() == 0  # once per member and day
    mails = {m.recipient_email: m for m in Message.objects.filter(kind="jury_day_before")}
    assert set(mails) == {chair.email, first.email, second.email}
    for user in (chair, first, second):
        text = mails[user.email].body_text
        assert appointment.candidate.full_name in text and "10:00–11:00" in text
        assert later.candidate.full_name not in text
        assert mails[user.email].procedure_id == appointment.procedure_id
    assert "Your conflict-of-interest declaration is still missing." in mails[chair.email].body_text
    assert "You still have 1 declaration to make" in mails[second.email].body_text
    assert "declaration is still missing" not in mails[first.email].body_text
    assert "You have made all your conflict-of-interest declarations" in mails[first.email].body_text
    assert mails[chair.email].subject == "Tomorrow, Wednesday 17 March 2027: 1 interview on your jury"


@pytest.mark.parametrize(("language", "subject", "missing"), [
    ("nl", "Morgen, woensdag 17 maart 2027: 1 gesprek in uw jury", "Uw verklaring over belangenconflicten ontbreekt nog."),
    ("fr", "Demain, mercredi 17 mars 2027\u202f: 1 entretien dans votre jury",
     "Votre déclaration de conflit d’intérêts manque encore."),
    ("de", "Morgen, Mittwoch, 17. März 2027: 1 Gespräch in Ihrer Jury", "Ihre Erklärung zu Interessenkonflikten fehlt noch."),
])
def test_the_mail_is_in_the_members_language(tomorrow, time_machine, language, subject, missing):
    _appointment, chair, _first, _second, _later = tomorrow
    chair.language = language
    chair.save(update_fields=["language"])
    time_machine.move_to(at(WEDNESDAY - dt.timedelta(days=1), 16), tick=False)
    jury_briefings_queue()
    mail = Message.objects.get(kind="jury_day_before", recipient_email=chair.email)
    assert mail.subject == subject
    assert missing in mail.body_text
    assert english_left(mail.subject + mail.body_text, LIVE_NL) == []


def test_a_cancelled_interview_is_not_listed(tomorrow, time_machine):
    appointment, *_rest = tomorrow
    appointment_cancel(actor=None, appointment=appointment)
    time_machine.move_to(at(WEDNESDAY - dt.timedelta(days=1), 15), tick=False)
    assert jury_briefings_queue() == 0
