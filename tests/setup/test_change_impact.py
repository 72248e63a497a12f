"""What the confirmation of a set-up change says happens to calendars, and that it happens."""

from __future__ import annotations

import pytest
from django.urls import reverse

from interviewdesk.messaging.models import Message
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.procedures.models import JuryMember, Role
from tests.factories import UserFactory, member
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db


def test_the_jury_change_confirmation_says_the_calendars_follow_and_they_do(client, working_day_morning):
    sent = planned_interview()
    invitation_send(appointment=sent)
    jury = sent.jury
    chair = jury.members.get(role=JuryMember.Role.CHAIR).user
    leaving, staying = [m.user for m in jury.members.filter(role=JuryMember.Role.ASSESSOR).order_by("id")]
    newcomer = UserFactory(first_name="Nina", last_name="Nieuw")
    officer = member(sent.procedure, Role.SELECTION_OFFICER)
    client.force_login(officer)
    url = reverse("setup:jury_edit", args=[sent.procedure.pk, jury.pk])
    data = {"name": jury.name, "languages": jury.languages, "chair": chair.pk,
            "assessors": [staying.pk, newcomer.pk]}
    page = client.post(url, data).content.decode()
    assert "not withdrawn" not in page and "no calendar invitation" not in page
    assert ("For the 1 coming interview whose invitation already went out, the calendar follows automatically: "
            "those who leave get a cancellation, those who join an invitation.") in page
    before = set(Message.objects.values_list("pk", flat=True))
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    new = Message.objects.exclude(pk__in=before)
    assert sorted((m.recipient_email, m.ics_method) for m in new) == sorted(
        [(newcomer.email, "REQUEST"), (leaving.email, "CANCEL")])
