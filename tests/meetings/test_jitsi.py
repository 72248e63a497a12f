"""Self-hosted Jitsi: unguessable rooms, signed tokens (moderator for staff only, expiring after the
slot), the right link for each person in e-mails, calendar files and pages."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.core.exceptions import ValidationError

from interviewdesk.demo.loading import demo_load
from interviewdesk.meetings.models import Meeting, Scope
from interviewdesk.meetings.selectors import links_for
from interviewdesk.messaging.models import Message
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_update
from tests.factories import ProcedureFactory
from tests.meetings.conftest import JITSI_SECRET, use_jitsi
from tests.meetings.test_teams import same_jury_later, unfolded
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db


def claims(url: str) -> dict:
    token = parse_qs(urlsplit(url).query)["jwt"][0]
    return jwt.decode(token, JITSI_SECRET, algorithms=["HS256"], audience="jitsi", options={"verify_nbf": False, "verify_exp": False})


def room(url: str) -> str:
    return urlsplit(url).path.strip("/")


@pytest.fixture
def jitsi_interview(jitsi_settings, working_day_morning):
    procedure = ProcedureFactory()
    use_jitsi(procedure)
    return planned_interview(procedure=procedure)


def test_the_candidate_gets_a_token_without_moderator_rights_that_ends_after_the_slot(jitsi_interview):
    appointment = jitsi_interview
    meeting = Meeting.objects.get(links__appointment=appointment)
    assert meeting.state == Meeting.State.READY  # no network call: made at once
    links = links_for(appointment)
    assert links.candidate.startswith("https://meet.example.org/") and room(links.candidate) == meeting.external_id
    assert len(meeting.external_id) == 32  # 128 random bits
    candidate, staff = claims(links.candidate), claims(links.staff)
    assert candidate["moderator"] is False and candidate["context"]["user"]["moderator"] is False
    assert staff["moderator"] is True and staff["context"]["user"]["affiliation"] == "owner"
    for token in (candidate, staff):
        assert token["room"] == meeting.external_id and token["iss"] == "interviewdesk"
        assert token["sub"] == "meet.example.org"
        assert appointment.candidate.last_name not in str(token)
    assert candidate["exp"] == int((appointment.ends_at + dt.timedelta(minutes=60)).timestamp())
    assert candidate["nbf"] == int((appointment.starts_at - dt.timedelta(minutes=60)).timestamp())
    assert candidate["exp"] > appointment.ends_at.timestamp()
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(parse_qs(urlsplit(links.candidate).query)["jwt"][0], "another-secret-of-at-least-32-bytes!!", algorithms=["HS256"],
                   audience="jitsi")


def test_the_candidate_mail_and_calendar_carry_the_candidate_link_and_staff_mails_the_staff_link(jitsi_interview):
    appointment = jitsi_interview
    links = links_for(appointment)
    invitation_send(appointment=appointment)
    for message in Message.objects.filter(appointment=appointment):
        text = message.body_text + message.body_html + unfolded(message.ics)
        if message.recipient_email == appointment.candidate.email:
            assert links.candidate in text and links.staff not in text
        else:
            assert links.staff in text and links.candidate not in text
    assert "Jitsi" in Message.objects.get(recipient_email=appointment.candidate.email).body_text


def test_a_move_sends_a_new_token_for_the_new_time(jitsi_interview):
    appointment = jitsi_interview
    invitation_send(appointment=appointment)
    later = appointment.starts_at + dt.timedelta(hours=3)
    moved = appointment_update(actor=None, appointment=appointment, starts_at=later,
                               ends_at=later + dt.timedelta(hours=1))
    update = Message.objects.filter(recipient_email=moved.candidate.email).latest("id")
    link = links_for(moved).candidate
    assert update.kind == "update" and link in update.body_text
    assert claims(link)["exp"] == int((moved.ends_at + dt.timedelta(minutes=60)).timestamp())


def test_one_room_per_jury_and_day_and_a_move_to_another_day_sends_the_new_room(jitsi_settings, working_day_morning):
    procedure = ProcedureFactory()
    use_jitsi(procedure, scope=Scope.JURY_DAY)
    first = planned_interview(procedure=procedure)
    second = same_jury_later(first)
    assert room(links_for(first).candidate) == room(links_for(second).candidate)
    assert links_for(first).candidate != links_for(second).candidate  # each candidate's token ends after their slot
    invitation_send(appointment=second)
    sent = Message.objects.filter(recipient_email=second.candidate.email).latest("id")

    next_day = second.starts_at + dt.timedelta(days=1)
    moved = appointment_update(actor=None, appointment=second, starts_at=next_day,
                               ends_at=next_day + dt.timedelta(hours=1))
    update = Message.objects.filter(recipient_email=moved.candidate.email).latest("id")
    assert update.pk != sent.pk and update.ics_sequence == sent.ics_sequence + 1
    assert room(links_for(moved).candidate) != room(links_for(first).candidate)
    assert links_for(moved).candidate in update.body_text


def test_without_a_secret_the_meeting_fails_and_the_invitation_waits(settings, working_day_morning):
    settings.MEETINGS_JITSI_APP_SECRET = ""
    procedure = ProcedureFactory()
    use_jitsi(procedure)
    appointment = planned_interview(procedure=procedure)
    meeting = Meeting.objects.get(links__appointment=appointment)
    assert meeting.state == Meeting.State.FAILED and "MEETINGS_JITSI_APP_SECRET" in meeting.last_error
    with pytest.raises(ValidationError):
        invitation_send(appointment=appointment)


def test_the_demo_procedure_shows_generated_jitsi_links(jitsi_settings):
    demo_load()
    generated = list(Appointment.objects.filter(meeting_link__isnull=False))
    assert generated, "the demo has appointments with meetings made by the product"
    for appointment in generated:
        links = links_for(appointment)
        assert links.candidate.startswith("https://meet.example.org/") and not links.waiting
        assert claims(links.candidate)["moderator"] is False
