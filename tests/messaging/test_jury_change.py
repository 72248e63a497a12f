"""A jury member replaced on the jury's set-up page: the newcomer receives the calendar invitations of
the jury's coming appointments already sent, the member who left a CANCEL; the others get nothing
new (as when the jury of one appointment changes)."""

from __future__ import annotations

import pytest

from interviewdesk.messaging.models import Message
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.procedures.models import JuryMember, Role
from interviewdesk.setup.services import jury_save
from tests.factories import UserFactory, member
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db


def test_the_newcomer_is_invited_and_the_member_who_left_gets_a_cancel(working_day_morning):
    sent = planned_interview()
    invitation_send(appointment=sent)
    jury = sent.jury
    chair = jury.members.get(role=JuryMember.Role.CHAIR).user
    leaving, staying = [m.user for m in jury.members.filter(role=JuryMember.Role.ASSESSOR).order_by("id")]
    newcomer = UserFactory()
    before = set(Message.objects.values_list("pk", flat=True))

    jury_save(actor=member(sent.procedure, Role.SELECTION_OFFICER), procedure=sent.procedure, jury=jury,
              name=jury.name, languages=jury.languages, chair=chair, assessors=[staying, newcomer])

    new = Message.objects.exclude(pk__in=before)
    assert sorted((m.recipient_email, m.ics_method) for m in new) == sorted(
        [(newcomer.email, "REQUEST"), (leaving.email, "CANCEL")])
    assert {m.appointment_id for m in new} == {sent.pk}
