import datetime as dt

import pytest
from django.utils import timezone

from interviewdesk.core.models import AuditEntry
from interviewdesk.messaging.models import Message
from interviewdesk.portal.models import ProblemReport, Readiness
from interviewdesk.portal.services import overview_touch
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, CandidateFactory, jury_with_members
from tests.portal.conftest import log_in

pytestmark = pytest.mark.django_db


def interview_for(candidate, status=Appointment.Status.INVITED, **kwargs):
    return AppointmentFactory(candidate=candidate, procedure=candidate.procedure, status=status,
                              jury=jury_with_members(candidate.procedure), **kwargs)


def test_overview_shows_the_interview_with_its_zone_platform_and_join_link(client):
    candidate = CandidateFactory()
    start = timezone.make_aware(dt.datetime(2027, 3, 30, 10, 0))
    interview_for(candidate, starts_at=start, ends_at=start + dt.timedelta(hours=1),
                  join_url="https://teams.example.org/l/meetup-join/xyz")
    log_in(client, candidate)
    html = client.get("/portal/").content.decode()
    assert "dinsdag 30 maart 2027" in html
    assert "10:00–11:00 (CEST, Belgische tijd)" in html
    assert "Microsoft Teams" in html
    assert 'href="https://teams.example.org/l/meetup-join/xyz"' in html
    assert "Het gesprek aanvaarden" in html


def test_accepting_confirms_an_invited_interview_and_is_audited_as_the_candidate(client):
    candidate = CandidateFactory()
    interview = interview_for(candidate)
    log_in(client, candidate)
    response = client.post(f"/portal/appointments/{interview.pk}/accept/", follow=True)
    assert "Dank u: u hebt de afspraak aanvaard." in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == Appointment.Status.CONFIRMED
    entry = AuditEntry.objects.get(action="appointment.status", object_id=str(interview.pk))
    assert (entry.actor_label, entry.from_state, entry.to_state) == ("candidate", "invited", "confirmed")


def test_only_an_invited_appointment_can_be_accepted(client):
    candidate = CandidateFactory()
    interview = interview_for(candidate, status=Appointment.Status.PLANNED)
    log_in(client, candidate)
    response = client.post(f"/portal/appointments/{interview.pk}/accept/", follow=True)
    assert "Deze afspraak kan nu niet aanvaard worden." in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == Appointment.Status.PLANNED


def test_candidate_a_gets_404_for_the_appointments_of_candidate_b(client):
    a = CandidateFactory()
    b = CandidateFactory(procedure=a.procedure)
    theirs = interview_for(b)
    log_in(client, a)
    assert client.post(f"/portal/appointments/{theirs.pk}/accept/").status_code == 404
    assert client.get(f"/portal/appointments/{theirs.pk}/calendar.ics").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Appointment.Status.INVITED


def test_phone_is_validated_and_stored_in_e164(client):
    candidate = CandidateFactory(phone="+32470123456")
    log_in(client, candidate)
    assert "+32 470 12 34 56" in client.get("/portal/phone/").content.decode()
    response = client.post("/portal/phone/", {"phone": "12"})
    assert response.status_code == 200
    assert 'class="field-errors"' in response.content.decode()
    assert client.post("/portal/phone/", {"phone": "0471 98 76 54"}).status_code == 302
    candidate.refresh_from_db()
    assert candidate.phone == "+32471987654"
    assert Readiness.objects.get(candidate=candidate).phone_confirmed_at is not None


def test_equipment_declaration_with_a_no_leads_to_the_room_request(client):
    candidate = CandidateFactory()
    log_in(client, candidate)
    answers = {"webcam": "yes", "microphone": "yes", "audio": "yes", "internet": "yes", "room_alone": "no",
               "identity_card": "yes"}
    response = client.post("/portal/equipment/", answers)
    assert response["Location"] == "/portal/room/"
    readiness = Readiness.objects.get(candidate=candidate)
    assert readiness.equipment_missing == ["room_alone"]
    answers["room_alone"] = "yes"
    assert client.post("/portal/equipment/", answers)["Location"] == "/portal/"


def test_equipment_declaration_needs_every_answer(client):
    candidate = CandidateFactory()
    log_in(client, candidate)
    response = client.post("/portal/equipment/", {"webcam": "yes"})
    assert response.status_code == 200
    assert "Beantwoord elke vraag." in response.content.decode()
    assert not Readiness.objects.filter(candidate=candidate, equipment_declared_at__isnull=False).exists()


def test_rules_acknowledgement_is_time_stamped_with_the_language(client, time_machine):
    time_machine.move_to(dt.datetime(2027, 1, 5, 9, 30, tzinfo=dt.UTC), tick=False)
    candidate = CandidateFactory(language="fr")
    log_in(client, candidate)
    assert client.post("/portal/rules/", {}).status_code == 200
    assert client.post("/portal/rules/", {"acknowledge": "on"}).status_code == 302
    readiness = Readiness.objects.get(candidate=candidate)
    assert readiness.rules_acknowledged_at == dt.datetime(2027, 1, 5, 9, 30, tzinfo=dt.UTC)
    assert readiness.rules_language == "fr"


def test_problem_report_reaches_the_contact_person_outbox_and_staff(client):
    candidate = CandidateFactory(procedure__contact_email="contact@example.org", procedure__language="fr")
    log_in(client, candidate)
    assert client.post("/portal/problem/", {"text": "My camera is not detected."}).status_code == 302
    report = ProblemReport.objects.get(candidate=candidate)
    assert report.text == "My camera is not detected."
    message = Message.objects.get(kind="problem_report")
    assert (message.recipient_email, message.language, message.candidate_id) == ("contact@example.org", "fr",
                                                                                 candidate.pk)
    assert "My camera is not detected." in message.body_text


def test_overview_runs_the_same_number_of_queries_with_one_or_many_appointments(client, django_assert_num_queries):
    candidate = CandidateFactory()
    interview_for(candidate)
    log_in(client, candidate)
    client.get("/portal/")  # the CSRF cookie and the deadline cache, as for any returning visitor
    overview_touch(candidate.pk)  # but the page itself must be rendered again
    with django_assert_num_queries(4):  # the session, token with candidate, appointments, checklist state
        assert client.get("/portal/").status_code == 200
    with django_assert_num_queries(2):  # unchanged: the session, then the page from the cache
        assert client.get("/portal/").status_code == 200
    base = timezone.now() + dt.timedelta(days=10)
    for day in range(30):
        AppointmentFactory(candidate=candidate, procedure=candidate.procedure, kind=Appointment.Kind.CONNECTION_TEST,
                           starts_at=base + dt.timedelta(days=day), ends_at=base + dt.timedelta(days=day, hours=1))
    with django_assert_num_queries(4):
        assert client.get("/portal/").status_code == 200


def test_the_cached_overview_follows_every_change_it_shows(client):
    candidate = CandidateFactory()
    interview = interview_for(candidate)
    log_in(client, candidate)
    assert "nog niet aanvaard" in client.get("/portal/").content.decode()
    client.post(f"/portal/appointments/{interview.pk}/accept/")
    client.get("/portal/")  # shows the flash message, rendered afresh
    assert "nog niet aanvaard" not in client.get("/portal/").content.decode()
    assert client.get("/portal/").content.decode().count("badge ok") == 1
    client.post("/portal/rules/", {"acknowledge": "on"})
    client.get("/portal/")
    assert client.get("/portal/").content.decode().count("badge ok") == 2
    Appointment.objects.filter(pk=interview.pk).update(join_url="https://teams.example.org/l/new",
                                                       updated_at=timezone.now())
    assert "https://teams.example.org/l/new" in client.get("/portal/").content.decode()
