"""Ending a preparation before its time is up takes a confirmation that says how much time the candidate loses."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from interviewdesk.live import services
from interviewdesk.live.models import State
from tests.live.conftest import bring_to, declare_all, make_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def preparing():
    s = make_setup(pre_stage="case", pre_stage_minutes=30)
    session = bring_to(s, State.RULES_CONFIRMED)
    declare_all(s)
    services.session_preparation_start(actor=s.proctor, session=session)
    return s


def action(s, name):
    return reverse("live:session_action", args=[s.appointment.pk, name])


def test_starting_part_1_with_preparation_time_left_asks_first(client, preparing):
    s = preparing
    client.force_login(s.proctor)
    page = client.post(action(s, "part_1"))
    assert page.status_code == 200
    body = html.unescape(page.content.decode())
    assert "30 minutes" in body and s.appointment.candidate.full_name in body
    assert s.session.state == State.PREPARATION
    client.post(action(s, "part_1"), {"confirmed": "yes"})
    assert s.session.state == State.PART_1


def test_when_the_time_is_up_part_1_starts_at_once(client, preparing):
    s = preparing
    client.force_login(s.proctor)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31)):
        assert client.post(action(s, "part_1")).status_code == 302
    assert s.session.state == State.PART_1
