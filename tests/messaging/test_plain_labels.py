"""Staff pages say things plainly: the mail log names kinds and calendar versions in the reader's
language, and the send-all page redraws what a finished send changed."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from interviewdesk.messaging.models import BulkSend, Message
from interviewdesk.messaging.services.bulk import bulk_send_run
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.procedures.models import Role
from tests.factories import CandidateFactory, member
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_mail_log_shows_labels_not_codes(client):
    appointment = planned_interview()
    invitation_send(appointment=appointment)
    officer = member(appointment.procedure, Role.SELECTION_OFFICER)
    client.force_login(officer)
    log = text(client.get(reverse("messaging:procedure", args=[appointment.procedure.pk])))
    assert "staff_invitation" not in log and "REQUEST 0" not in log
    assert "Invitation to a staff member — calendar invitation" in log
    dutch = text(client.get(reverse("messaging:procedure", args=[appointment.procedure.pk]),
                            HTTP_ACCEPT_LANGUAGE="nl"))
    assert "Uitnodiging — agenda-uitnodiging" in dutch
    message = Message.objects.filter(kind="invitation").first()
    detail = text(client.get(reverse("messaging:message", args=[appointment.procedure.pk, message.pk])))
    assert "METHOD:REQUEST" not in detail and "calendar invitation" in detail


def test_the_send_all_page_redraws_the_pending_count_when_the_send_is_done(client):
    appointment = planned_interview()
    procedure = appointment.procedure
    planned_interview(procedure=procedure, candidate=CandidateFactory(procedure=procedure))
    client.force_login(member(procedure, Role.SELECTION_OFFICER))
    page = text(client.post(reverse("messaging:bulk", args=[procedure.pk]), follow=True))
    assert "2 planned appointments have no invitation yet." in page
    run = BulkSend.objects.get()
    bulk_send_run(run_id=run.pk)
    Message.objects.update(state="sent")
    done = text(client.get(reverse("messaging:bulk_progress", args=[procedure.pk, run.pk])))
    assert "Finished." in done
    assert "have no invitation yet" not in done and "Every planned appointment has its invitation." in done
    assert 'disabled' in done  # the button says there is nothing left to send
