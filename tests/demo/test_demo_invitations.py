"""Issue 11: the demo's appointments reach "invited" and "confirmed" the way real ones do: the
officer's send queues the invitation e-mails, and the candidate's acceptance is recorded by the
service the portal's button and a calendar reply use, so staff pages show a true history."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from interviewdesk.core.audit import audit_history
from interviewdesk.core.models import AuditEntry, User
from interviewdesk.demo.loading import demo_load
from interviewdesk.messaging.models import Invitation, Message
from interviewdesk.scheduling.models import Appointment

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
SATURDAY_MORNING = dt.datetime(2026, 11, 28, 10, 0, tzinfo=BRUSSELS)


def test_every_invited_or_confirmed_demo_appointment_was_sent_and_every_confirmed_one_accepted():
    demo_load(now=SATURDAY_MORNING)
    officer = User.objects.get(username="officer")
    sent = Appointment.objects.filter(status__in=[Appointment.Status.INVITED, Appointment.Status.CONFIRMED])
    assert sent.filter(status=Appointment.Status.CONFIRMED).count() == 7  # today's sessions
    assert sent.filter(status=Appointment.Status.INVITED).exists()  # the next working day's
    for appointment in sent:
        candidate_copy = Invitation.objects.get(appointment=appointment, role="candidate")
        assert Message.objects.filter(appointment=appointment, kind="invitation",
                                      recipient_email=appointment.candidate.email).exists()
        history = [(e.action, e.to_state, e.actor_id, e.actor_label) for e in audit_history(appointment).order_by("id")]
        assert any(action == "invitation.sent" and actor == officer.pk for action, _to, actor, _label in history)
        if appointment.status == Appointment.Status.CONFIRMED:
            assert candidate_copy.partstat == Invitation.PartStat.ACCEPTED
            confirm = [h for h in history if h[1] == Appointment.Status.CONFIRMED]
            assert confirm and confirm[0][2] is None and confirm[0][3] == "candidate"
        else:
            assert candidate_copy.partstat == Invitation.PartStat.NEEDS_ACTION
    assert not AuditEntry.objects.filter(reason="demo data").exists()
    assert not Appointment.objects.filter(status=Appointment.Status.PLANNED, invitations__isnull=False).exists()
