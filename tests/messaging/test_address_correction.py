"""A candidate's e-mail address corrected after the invitation went out (or bounced): the coming
appointments follow to the new address, and the old one gets a CANCEL only if it ever had them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from interviewdesk.messaging.models import Invitation, Message
from interviewdesk.messaging.services.delivery import deliver_due
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.portal.services.access import access_token_find
from interviewdesk.procedures.services import candidate_update
from interviewdesk.scheduling.models import Appointment
from tests.factories import UserFactory
from tests.messaging.conftest import planned_interview
from tests.portal.test_link_lifetime import delivered_links

pytestmark = pytest.mark.django_db


def candidate_mail(email: str):
    return Message.objects.filter(recipient_email=email).order_by("id")


def test_an_address_that_bounced_is_corrected_and_the_invitation_goes_to_the_new_one(smtp):
    appointment = planned_interview(language="fr")
    candidate = appointment.candidate
    smtp.replies[candidate.email] = "550 5.1.1 No such user"
    invitation_send(appointment=appointment)
    deliver_due()
    [bounced] = candidate_mail(candidate.email)
    assert bounced.state == Message.State.FAILED

    officer = UserFactory()
    candidate_update(actor=officer, candidate=candidate, email="lotte.janssens@example.net")
    deliver_due()

    assert [(m.kind, m.state) for m in candidate_mail(candidate.email)] == [("invitation", "failed")]  # no CANCEL
    [invitation] = candidate_mail("lotte.janssens@example.net")
    assert (invitation.kind, invitation.state, invitation.ics_method) == ("invitation", "sent", "REQUEST")
    assert invitation.language == "fr" and invitation.personal_link
    [raw] = delivered_links(smtp, "lotte.janssens@example.net")  # a new personal link, working
    assert access_token_find(raw)[1] == "ok"
    assert "UID:" + appointment.ical_uid in invitation.ics.replace("\r\n ", "")
    received = [rcpt[0] for rcpt, _mail in smtp.received]
    assert "lotte.janssens@example.net" in received
    rows = {i.email: i for i in Invitation.objects.filter(appointment=appointment, role="candidate")}
    assert rows["lotte.janssens@example.net"].cancelled is False
    assert rows[bounced.recipient_email].cancelled is True
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.INVITED


def test_an_address_that_worked_gets_a_cancel_and_the_new_one_the_appointment(smtp):
    appointment = planned_interview()
    old = appointment.candidate.email
    invitation_send(appointment=appointment)
    deliver_due()

    candidate_update(actor=None, candidate=appointment.candidate, email="new@example.net")

    assert [(m.kind, m.ics_method) for m in candidate_mail(old)] == [("invitation", "REQUEST"),
                                                                     ("cancellation", "CANCEL")]
    assert [(m.kind, m.ics_method) for m in candidate_mail("new@example.net")] == [("invitation", "REQUEST")]
    # Nobody else's calendar changes.
    staff = Message.objects.filter(kind__startswith="staff_")
    assert set(staff.values_list("kind", flat=True)) == {"staff_invitation"}


def test_two_coming_appointments_follow_with_one_personal_link_and_past_or_planned_ones_stay(smtp, time_machine):
    interview = planned_interview()
    candidate = interview.candidate
    test = Appointment.objects.create(procedure=interview.procedure, candidate=candidate,
                                      kind=Appointment.Kind.CONNECTION_TEST,
                                      starts_at=interview.starts_at - dt.timedelta(hours=2),
                                      ends_at=interview.starts_at - dt.timedelta(hours=1, minutes=45))
    not_sent = planned_interview(procedure=interview.procedure, candidate=candidate,
                                 starts_at=interview.starts_at + dt.timedelta(days=2),
                                 ends_at=interview.ends_at + dt.timedelta(days=2))
    invitation_send(appointment=interview)
    invitation_send(appointment=test)

    candidate_update(actor=None, candidate=candidate, email="new@example.net")

    sent = candidate_mail("new@example.net")
    assert sorted(m.appointment_id for m in sent) == sorted([interview.pk, test.pk])  # not the planned one
    deliver_due()
    links = delivered_links(smtp, "new@example.net")
    assert len(links) == 2 and len(set(links)) == 1
    assert candidate.access_tokens.filter(revoked_at__isnull=True).count() == 1
    assert not Message.objects.filter(appointment=not_sent).exists()


def test_other_changes_to_the_candidate_send_nothing(smtp):
    appointment = planned_interview()
    invitation_send(appointment=appointment)
    before = Message.objects.count()
    candidate_update(actor=None, candidate=appointment.candidate, phone="+32470999999", last_name="Peeters")
    candidate_update(actor=None, candidate=appointment.candidate, email=appointment.candidate.email.upper())
    assert Message.objects.count() == before


def test_the_officer_corrects_the_address_on_the_candidate_form(client, smtp):
    from tests.factories import member

    appointment = planned_interview()
    candidate = appointment.candidate
    invitation_send(appointment=appointment)
    officer = member(appointment.procedure, "selection_officer")
    client.force_login(officer)
    form = {"first_name": candidate.first_name, "last_name": candidate.last_name, "email": "fixed@example.net",
            "phone": candidate.phone, "language": candidate.language}
    url = reverse("candidate_edit", args=[appointment.procedure_id, candidate.pk])
    response = client.post(url, form, follow=True, headers={"accept-language": "nl"})
    assert response.redirect_chain[0][1] == 302
    assert candidate_mail("fixed@example.net").filter(kind="invitation").count() == 1
    assert [str(m) for m in response.context["messages"]] == [
        "Kandidaat opgeslagen.",
        "Uitnodigingen die al verstuurd waren voor komende afspraken, gaan naar het nieuwe e-mailadres."]

    response = client.post(url, {**form, "phone": "+32470999999"}, follow=True, headers={"accept-language": "nl"})
    assert [str(m) for m in response.context["messages"]] == ["Kandidaat opgeslagen."]  # the address stayed


def test_after_the_correction_the_at_risk_list_reads_the_new_invitation(smtp):
    from interviewdesk.messaging.selectors import at_risk

    appointment = planned_interview()
    smtp.replies[appointment.candidate.email] = "550 5.1.1 No such user"
    invitation_send(appointment=appointment)
    deliver_due()
    now = appointment.starts_at - dt.timedelta(hours=5)
    [row] = at_risk(appointment.procedure, now=now)
    assert row.reasons[0] == "invitation failed: 550 5.1.1 No such user"

    candidate_update(actor=None, candidate=appointment.candidate, email="fixed@example.net")
    deliver_due()
    # A declined answer on the old, cancelled copy must not count for the new one.
    Invitation.objects.filter(appointment=appointment, cancelled=True).update(partstat="declined")
    [row] = at_risk(appointment.procedure, now=now)
    assert row.reasons == ["not accepted"]


def test_accepting_after_the_correction_answers_the_invitation_at_the_new_address(smtp):
    from interviewdesk.scheduling.services import appointment_set_status

    appointment = planned_interview()
    invitation_send(appointment=appointment)
    candidate_update(actor=None, candidate=appointment.candidate, email="fixed@example.net")
    appointment_set_status(actor=None, appointment=appointment, to=Appointment.Status.CONFIRMED)
    answers = dict(Invitation.objects.filter(appointment=appointment, role="candidate")
                   .values_list("email", "partstat"))
    assert answers["fixed@example.net"] == Invitation.PartStat.ACCEPTED
    assert len(answers) == 2 and list(answers.values()).count(Invitation.PartStat.ACCEPTED) == 1
