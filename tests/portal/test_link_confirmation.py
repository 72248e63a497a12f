"""Sending a new personal link or switching a link off takes a confirmation naming the candidate and what happens."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from interviewdesk.messaging.models import Message
from interviewdesk.portal.models import AccessToken
from interviewdesk.portal.services.access import access_link_issue
from tests.factories import CandidateFactory, staffed_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    staff = staffed_procedure()
    staff.candidate = CandidateFactory(procedure=staff.procedure, last_name="Verbeke")
    access_link_issue(candidate=staff.candidate, actor=staff.officer)
    return staff


def link_url(staff) -> str:
    return reverse("portal:candidate_link", args=[staff.procedure.pk, staff.candidate.pk])


def live_tokens(staff) -> int:
    return AccessToken.objects.filter(candidate=staff.candidate, revoked_at__isnull=True).count()


@pytest.mark.parametrize("action", ["reissue", "revoke"])
def test_the_buttons_lead_to_a_confirmation_that_changes_nothing(client, staff, action):
    client.force_login(staff.officer)
    readiness = html.unescape(client.get(reverse("portal:readiness", args=[staff.procedure.pk])).content.decode())
    assert f'href="{link_url(staff)}?action={action}"' in readiness
    page = client.get(link_url(staff), {"action": action})
    assert page.status_code == 200
    assert "Verbeke" in page.content.decode() and "stops working" in html.unescape(page.content.decode())
    assert client.post(link_url(staff), {"action": action}).status_code == 200  # no confirmation, no change
    assert live_tokens(staff) == 1
    assert not Message.objects.filter(kind="personal_link").exists()


def test_the_confirmed_reissue_mails_a_new_link(client, staff):
    client.force_login(staff.officer)
    client.post(link_url(staff), {"action": "reissue", "confirmed": "yes"})
    assert Message.objects.filter(kind="personal_link", candidate=staff.candidate).count() == 1
    assert live_tokens(staff) == 1 and AccessToken.objects.filter(candidate=staff.candidate).count() == 2


def test_the_confirmed_switch_off_revokes_the_link(client, staff):
    client.force_login(staff.officer)
    client.post(link_url(staff), {"action": "revoke", "confirmed": "yes"})
    assert live_tokens(staff) == 0


@pytest.mark.parametrize("role", ["proctor", "assessor", "outsider"])
def test_only_staff_who_manage_candidates_reach_it(client, staff, role):
    client.force_login(getattr(staff, role))
    assert client.get(link_url(staff), {"action": "revoke"}).status_code == 404


def test_anonymous_is_sent_to_log_in(client, staff):
    assert client.get(link_url(staff), {"action": "revoke"})["Location"].startswith("/accounts/login/")
