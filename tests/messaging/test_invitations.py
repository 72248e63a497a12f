"""Invitation e-mails: structure, content in the candidate's language, jury and proctor copies, updates."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from interviewdesk.messaging.models import Invitation, Message
from interviewdesk.messaging.services.delivery import deliver_due
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.procedures.models import JuryMember
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_plan, appointment_update
from tests.english import english_left
from tests.factories import AppointmentFactory, UserFactory, jury_with_members
from tests.messaging.conftest import planned_interview
from tests.messaging.test_ical import candidate_message

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)), BRUSSELS)


def test_the_invitation_mail_is_a_meeting_request_clients_can_accept(smtp):
    appointment = planned_interview()
    invitation_send(appointment=appointment)
    deliver_due()

    mail = next(m for rcpt, m in smtp.received if rcpt == [appointment.candidate.email])
    assert mail.get_content_type() == "multipart/mixed"
    alternative = mail.get_payload()[0]
    assert alternative.get_content_type() == "multipart/alternative"
    parts = alternative.get_payload()
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html", "text/calendar"]
    calendar = parts[2]
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_content_charset() == "utf-8"
    assert "METHOD:REQUEST" in calendar.get_content()
    attachment = mail.get_payload()[1]
    assert attachment.get_filename() == "invite.ics"
    assert mail["Content-Language"] == "nl"


def test_sending_queues_one_copy_per_attendee_and_marks_the_appointment_invited():
    appointment = planned_interview()
    invitation_send(appointment=appointment)

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.INVITED
    roles = sorted(appointment.invitations.values_list("role", flat=True))
    assert roles == ["assessor", "assessor", "candidate", "chair", "proctor"]
    kinds = sorted(Message.objects.filter(appointment=appointment).values_list("kind", flat=True))
    assert kinds == ["invitation"] + ["staff_invitation"] * 4
    staff = Message.objects.filter(kind="staff_invitation").first()
    assert appointment.candidate.full_name in staff.body_text
    assert "/p/" not in staff.ics  # no personal link of the candidate in the jury's copy


def test_sending_twice_refuses_and_queues_nothing_more():
    appointment = planned_interview()
    invitation_send(appointment=appointment)
    with pytest.raises(ValidationError):
        invitation_send(appointment=appointment)
    assert Message.objects.count() == 5


def test_the_candidate_mail_says_everything_in_dutch(time_machine):
    # Wednesday 17 March 2027: two working days before is Monday 15 March. Sent a month before.
    time_machine.move_to(at(dt.date(2027, 2, 15), 9), tick=False)
    appointment = planned_interview(starts_at=at(dt.date(2027, 3, 17), 14), ends_at=at(dt.date(2027, 3, 17), 15))
    appointment.procedure.extra_material = "een rekenmachine"
    appointment.procedure.save()
    invitation_send(appointment=appointment)
    message = Message.objects.get(kind="invitation")
    text = message.body_text

    assert message.language == "nl"
    assert message.subject.startswith("Uitnodiging: selectiegesprek op woensdag 17 maart 2027 om 14:00")
    assert "woensdag 17 maart 2027, 14:00–15:00 (CET, Belgische tijd)" in text
    assert "Platform: Microsoft Teams" in text
    assert appointment.join_url in text
    assert "Uw persoonlijke pagina: [[personal-link]]" in text and message.personal_link  # the link: at delivery
    assert "- uw identiteitskaart" in text
    assert "- ook: een rekenmachine" in text
    assert "uiterlijk op maandag 15 maart 2027" in text
    assert "bellen we u meteen op" in text
    assert "Toon uw identiteitskaart aan de camera" in text
    assert "Weiger ze niet" in text
    assert "Uw contactpersoon is An Peeters (selectie@example.org). Telefoon: +32 2 555 01 01" in text
    assert "<li>uw identiteitskaart</li>" in message.body_html


def test_the_room_deadline_skips_weekends_and_holidays(time_machine):
    time_machine.move_to(at(dt.date(2026, 11, 30), 9), tick=False)  # sent a month before
    appointment = planned_interview(language="fr", starts_at=at(dt.date(2026, 12, 29), 10),
                                    ends_at=at(dt.date(2026, 12, 29), 11))
    invitation_send(appointment=appointment)
    # Tuesday 29 December 2026: 28 Dec is Monday, 26 Dec (Saturday) and 25 Dec are closed → Thursday 24 Dec.
    assert "au plus tard le jeudi 24 décembre 2026" in Message.objects.get(kind="invitation").body_text


def test_a_connection_test_is_named_in_the_interview_invitation(time_machine):
    time_machine.move_to(at(dt.date(2027, 4, 19), 9), tick=False)  # sent a month before
    appointment = planned_interview(language="de", starts_at=at(dt.date(2027, 5, 20), 10),
                                    ends_at=at(dt.date(2027, 5, 20), 11))
    test = AppointmentFactory.build(procedure=appointment.procedure, candidate=appointment.candidate,
                                    kind=Appointment.Kind.CONNECTION_TEST, jury=None,
                                    starts_at=at(dt.date(2027, 5, 18), 9), ends_at=at(dt.date(2027, 5, 18), 9) +
                                    dt.timedelta(minutes=15))
    appointment_plan(actor=None, appointment=test)
    invitation_send(appointment=appointment)
    invitation_send(appointment=test)
    interview_text = Message.objects.get(kind="invitation", appointment=appointment).body_text
    assert "Ihr Verbindungstest ist für Dienstag, 18. Mai 2027 um 09:00 (CEST, Brüsseler Zeit) geplant" in interview_text
    test_message = Message.objects.get(kind="invitation", appointment=test)
    assert test_message.subject.startswith("Einladung: Verbindungstest am Dienstag, 18. Mai 2027 um 09:00")


def test_a_jury_change_invites_the_new_member_and_cancels_for_the_one_removed():
    appointment = planned_interview()
    invitation_send(appointment=appointment)
    old_chair = appointment.jury.members.get(role=JuryMember.Role.CHAIR).user
    other_jury = jury_with_members(appointment.procedure)
    appointment_update(actor=None, appointment=appointment, jury_id=other_jury.pk)

    cancel = Message.objects.get(kind="staff_cancellation", recipient_email=old_chair.email)
    assert "METHOD:CANCEL" in cancel.ics
    new_chair = other_jury.members.get(role=JuryMember.Role.CHAIR).user
    assert Message.objects.filter(kind="staff_invitation", recipient_email=new_chair.email).count() == 1
    # The candidate's calendar does not change for a jury change.
    assert not Message.objects.filter(kind="update").exists()


def test_someone_removed_and_added_again_gets_a_sequence_above_their_cancel():
    appointment = planned_interview()
    invitation_send(appointment=appointment)
    first_jury = appointment.jury
    other_jury = jury_with_members(appointment.procedure)
    appointment_update(actor=None, appointment=appointment, jury_id=other_jury.pk)
    appointment_update(actor=None, appointment=appointment, jury_id=first_jury.pk)

    chair = first_jury.members.get(role=JuryMember.Role.CHAIR).user
    sequences = list(Message.objects.filter(recipient_email=chair.email).order_by("id")
                     .values_list("ics_method", "ics_sequence"))
    assert sequences[:2] == [("REQUEST", 0), ("CANCEL", 1)] and sequences[2][0] == "REQUEST"
    # Above their own CANCEL, and above every CANCEL of this UID (the other jury's, when it left).
    cancels = Message.objects.filter(appointment=appointment, ics_method="CANCEL").values_list("ics_sequence", flat=True)
    assert sequences[2][1] > max(cancels)


def test_a_stopped_interview_given_a_new_time_is_sent_again_and_invited(time_machine):
    from interviewdesk.scheduling.services import appointment_set_status

    appointment = planned_interview()
    invitation_send(appointment=appointment)
    time_machine.move_to(appointment.starts_at + dt.timedelta(minutes=20))
    appointment_set_status(actor=None, appointment=appointment, to=Appointment.Status.STOPPED)
    new_start = appointment.starts_at + dt.timedelta(days=7)
    appointment_update(actor=None, appointment=appointment, starts_at=new_start,
                       ends_at=new_start + dt.timedelta(hours=1))

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.INVITED
    update = Message.objects.get(kind="update")
    assert update.ics_sequence == 1


def test_a_staff_member_without_an_email_address_gets_no_copy():
    appointment = planned_interview()
    assessor = appointment.jury.members.filter(role=JuryMember.Role.ASSESSOR).first().user
    assessor.email = ""
    assessor.save()
    invitation_send(appointment=appointment)
    assert Invitation.objects.filter(appointment=appointment).count() == 4


MESSAGING_NL = settings.BASE_DIR / "interviewdesk/messaging/locale/nl/LC_MESSAGES/django.po"


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_every_candidate_template_renders_in_the_language_with_no_english_left(language, working_day_morning):
    from interviewdesk.messaging.services.reminders import reminders_queue
    from interviewdesk.scheduling.services import appointment_cancel

    # Tomorrow 10:00 is 25 hours away, so the one-day reminder is due 20 hours before.
    appointment = planned_interview(language=language)
    appointment.procedure.extra_material = "x"
    appointment.procedure.save()
    invitation_send(appointment=appointment)
    appointment_update(actor=None, appointment=appointment, join_url="https://teams.example.org/l/2")
    reminders_queue(now=appointment.starts_at - dt.timedelta(hours=20))
    appointment_cancel(actor=None, appointment=appointment)
    Invitation.objects.filter(role="candidate").update(language=language)
    messages = list(Message.objects.filter(recipient_email=appointment.candidate.email))
    assert sorted(m.kind for m in messages) == ["cancellation", "invitation", "reminder", "update"]
    for message in messages:
        for text in (message.subject, message.body_text, message.body_html, message.ics):
            left = english_left(text, MESSAGING_NL)
            assert left == [], (message.kind, left)


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_staff_and_reminder_templates_render_in_the_language_with_no_english_left(language, time_machine):
    from interviewdesk.messaging.alerts import alert_declined, alert_delivery_failed, alert_reply_review
    from interviewdesk.messaging.models import ReplyReview
    from interviewdesk.messaging.services.reminders import reminders_queue

    appointment = planned_interview(language=language)
    UserFactory._meta.model.objects.update(language=language)  # jury and proctor read in the language too
    invitation_send(appointment=appointment)
    time_machine.move_to(appointment.starts_at - dt.timedelta(hours=20))
    Invitation.objects.update(created_at=appointment.starts_at - dt.timedelta(days=5),
                              version_sent_at=appointment.starts_at - dt.timedelta(days=5))
    reminders_queue()
    candidate_copy = Invitation.objects.get(role="candidate")
    alert_declined(invitation=candidate_copy, sequence=0)
    proposed = appointment.starts_at + dt.timedelta(days=1)
    for reason, proposal in (("delegated", {"delegated_to": "colleague@example.org"}),
                             ("counter", {"starts_at": proposed.isoformat(), "comment": "Merci / Danke / Dank"})):
        alert_reply_review(review=ReplyReview.objects.create(
            procedure=appointment.procedure, appointment=appointment, invitation=candidate_copy, reason=reason,
            sender=candidate_copy.email, attendee=candidate_copy.email, proposal=proposal))
    failed = Message.objects.get(kind="reminder")
    failed.last_error = "550 5.1.1"
    alert_delivery_failed(message=failed)
    kinds = sorted(Message.objects.filter(language=language).exclude(kind="invitation")
                   .values_list("kind", flat=True))
    assert kinds == ["alert"] * 4 + ["reminder"] + ["staff_invitation"] * 4
    for message in Message.objects.filter(language=language).exclude(kind="invitation"):
        left = english_left(message.body_text + message.subject + message.ics, MESSAGING_NL)
        assert left == [], (message.kind, left)


def test_the_shared_parts_of_an_invitation_follow_the_procedure_and_escape_only_in_html():
    """The sections every candidate gets alike are rendered once per language and values
    (messaging/email/parts/): an edit to the procedure is in the very next e-mail, and user text
    is escaped in the HTML version only."""
    first = planned_interview()
    procedure = first.procedure
    procedure.contact_name, procedure.extra_material = "An Peeters", "a ruler & <b>pen</b>"
    procedure.save()
    first.procedure = procedure
    invitation_send(appointment=first)
    before = candidate_message(first, "invitation")
    assert "An Peeters" in before.body_text and "An Peeters" in before.body_html
    assert "a ruler & <b>pen</b>" in before.body_text
    assert "a ruler &amp; &lt;b&gt;pen&lt;/b&gt;" in before.body_html

    procedure.contact_name, procedure.extra_material, procedure.disconnection_minutes = "Bert Claes", "", 7
    procedure.save()
    second = planned_interview(procedure=procedure, starts_at=first.starts_at + dt.timedelta(hours=2),
                               ends_at=first.ends_at + dt.timedelta(hours=2))
    invitation_send(appointment=second)
    after = candidate_message(second, "invitation")
    for body in (after.body_text, after.body_html):
        assert "Bert Claes" in body and "An Peeters" not in body
        assert "ruler" not in body
        assert " 7 " in body
