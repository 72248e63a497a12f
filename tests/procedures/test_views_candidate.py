import pytest
from django.urls import reverse

from interviewdesk.core.models import AuditEntry
from interviewdesk.procedures.models import Candidate
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_cancel, appointment_plan
from tests.factories import AppointmentFactory, CandidateFactory, staffed_procedure, tomorrow_at

pytestmark = pytest.mark.django_db

FORM = {"first_name": "Lotte", "last_name": "Peeters", "email": "lotte@example.net", "phone": "0470 12 34 56",
        "language": "fr", "date_of_birth": "1990-05-17", "cv_text": "Analyst", "motivation": "Public service"}


@pytest.fixture
def staff():
    return staffed_procedure()


@pytest.fixture
def candidate(staff):
    return CandidateFactory(procedure=staff.procedure, first_name="Lotte", last_name="Peeters",
                            phone="+32470123456")


def detail_url(candidate) -> str:
    return reverse("candidate_detail", args=[candidate.procedure_id, candidate.pk])


def edit_url(candidate) -> str:
    return reverse("candidate_edit", args=[candidate.procedure_id, candidate.pk])


def create_url(procedure) -> str:
    return reverse("candidate_create", args=[procedure.pk])


def seat(staff, candidate):
    """The candidate's interview with the procedure's jury and proctor: since need-to-know (issue 12)
    a jury member or proctor sees only the candidates of their own sessions."""
    return AppointmentFactory(procedure=staff.procedure, candidate=candidate, jury=staff.jury, proctor=staff.proctor)


@pytest.mark.parametrize("role", ["officer", "proctor"])
def test_every_role_in_the_procedure_sees_the_candidate(client, staff, candidate, role):
    seat(staff, candidate)
    client.force_login(getattr(staff, role))
    response = client.get(detail_url(candidate))
    assert response.status_code == 200
    assert "+32 470 12 34 56" in response.content.decode()


@pytest.mark.parametrize("role", ["assessor", "chair"])
def test_the_jury_sees_its_candidate_without_the_phone(client, staff, candidate, role):
    # Was part of the test above (every role read the phone); need-to-know gives the jury what
    # scoring needs only: name, CV and motivation.
    seat(staff, candidate)
    client.force_login(getattr(staff, role))
    response = client.get(detail_url(candidate))
    assert response.status_code == 200
    assert "Lotte Peeters" in response.content.decode()
    assert "+32 470 12 34 56" not in response.content.decode()


def test_a_user_of_another_procedure_gets_404_for_the_candidate(client, staff, candidate):
    client.force_login(staff.outsider)
    assert client.get(detail_url(candidate)).status_code == 404


def test_a_candidate_asked_for_under_another_procedure_gets_404(client, staff, candidate):
    other = staffed_procedure()
    client.force_login(other.officer)
    assert client.get(reverse("candidate_detail", args=[other.procedure.pk, candidate.pk])).status_code == 404


def test_anonymous_is_sent_to_login_from_the_candidate_page(client, candidate):
    response = client.get(detail_url(candidate))
    assert (response.status_code, response.url) == (302, f"{reverse('login')}?next={detail_url(candidate)}")


def test_the_page_lists_appointments_and_the_history_of_candidate_and_appointments(client, staff, candidate):
    planned = appointment_plan(actor=staff.officer, appointment=Appointment(
        procedure=staff.procedure, candidate=candidate, jury=staff.jury, starts_at=tomorrow_at(14),
        ends_at=tomorrow_at(15)))
    appointment_cancel(actor=staff.officer, appointment=planned, reason="Candidate withdrew")
    client.force_login(staff.officer)
    client.post(edit_url(candidate), {**FORM, "email": candidate.email, "phone": "+3225551234"})
    response = client.get(detail_url(candidate))
    html = response.content.decode()
    assert [row["label"] for row in response.context["history"]] == [
        "Candidate details changed", "Appointment status changed", "Appointment planned"]
    for text in ("phone: +32470123456 → +3225551234", "Status: planned → cancelled", "Reason: Candidate withdrew",
                 str(staff.officer), "14:00\u201315:00 CE"):
        assert text in html, text


def test_the_page_still_opens_once_invitations_were_sent_and_names_that_step(client, staff, candidate):
    """Regression: the "invitation.sent" audit entry's change key ("messages") is also the name of
    the appointment's reverse relation, which has no verbose name: the page used to fail with a 500."""
    from interviewdesk.messaging.services.invitations import invitation_send

    planned = appointment_plan(actor=staff.officer, appointment=Appointment(
        procedure=staff.procedure, candidate=candidate, jury=staff.jury, starts_at=tomorrow_at(14),
        ends_at=tomorrow_at(15)))
    invitation_send(appointment=planned, actor=staff.officer)
    client.force_login(staff.officer)
    response = client.get(detail_url(candidate), headers={"accept-language": "nl"})
    assert response.status_code == 200
    assert [row["label"] for row in response.context["history"]][:2] == ["Uitnodigingen verstuurd",
                                                                          "Status van de afspraak gewijzigd"]
    assert "e-mails klaargezet: — → 4" in response.content.decode()


def test_the_jury_sees_the_candidate_but_not_the_history(client, staff, candidate):
    seat(staff, candidate)
    client.force_login(staff.assessor)
    response = client.get(detail_url(candidate))
    assert response.context["history"] is None
    assert edit_url(candidate) not in response.content.decode()


@pytest.mark.parametrize("rows", [1, 20])
def test_the_candidate_page_needs_the_same_queries_for_1_or_20_appointments(client, staff, candidate, rows,
                                                                            django_assert_num_queries):
    for i in range(rows):
        AppointmentFactory(procedure=staff.procedure, candidate=candidate, jury=staff.jury, proctor=staff.proctor,
                           starts_at=tomorrow_at(7) + i * (tomorrow_at(8) - tomorrow_at(7)))
        AuditEntry.objects.create(actor=staff.officer, action="appointment.planned", object_type="scheduling.appointment",
                                  object_id=str(candidate.appointments.last().pk), procedure_id=staff.procedure.pk)
    client.force_login(staff.officer)
    with django_assert_num_queries(9):  # (one of them reads the session, one the meetings of all the rows)
        response = client.get(detail_url(candidate))
    assert len(response.context["history"]) == rows


def test_the_officer_adds_a_candidate_with_a_normalised_phone(client, staff):
    client.force_login(staff.officer)
    response = client.post(create_url(staff.procedure), FORM)
    candidate = Candidate.objects.get(email="lotte@example.net")
    assert response.url == detail_url(candidate)
    assert (candidate.phone, candidate.language, candidate.cv_text) == ("+32470123456", "fr", "Analyst")
    assert AuditEntry.objects.get(action="candidate.created").object_id == str(candidate.pk)


def test_adding_a_second_candidate_with_the_same_e_mail_shows_a_clear_error(client, staff, candidate):
    client.force_login(staff.officer)
    response = client.post(create_url(staff.procedure), {**FORM, "email": candidate.email.upper()})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["Another candidate in this procedure already has this e-mail address."]}
    assert Candidate.objects.count() == 1


def test_a_bad_phone_is_shown_at_the_field_and_nothing_is_saved(client, staff):
    client.force_login(staff.officer)
    response = client.post(create_url(staff.procedure), {**FORM, "phone": "call me"})
    assert response.context["form"].errors == {"phone": ["“call me” is not a phone number."]}
    assert 'role="alert"' in response.content.decode()
    assert not Candidate.objects.exists()


def test_the_officer_edits_a_candidate_and_each_change_is_audited(client, staff, candidate):
    client.force_login(staff.officer)
    response = client.post(edit_url(candidate), {**FORM, "email": candidate.email})
    assert response.url == detail_url(candidate)
    entry = AuditEntry.objects.get(action="candidate.updated")
    assert entry.changes["language"] == ["nl", "fr"]
    assert set(entry.changes) == {"language", "cv_text", "motivation"}


def test_the_edit_form_is_filled_with_the_current_values(client, staff, candidate):
    client.force_login(staff.officer)
    html = client.get(edit_url(candidate)).content.decode()
    assert f'value="{candidate.email}"' in html
    assert 'value="1990-05-17"' in html


@pytest.mark.parametrize("role", ["proctor", "assessor", "chair", "outsider"])
def test_only_the_selection_officer_may_add_or_edit_candidates(client, staff, candidate, role):
    client.force_login(getattr(staff, role))
    assert client.get(create_url(staff.procedure)).status_code == 404
    assert client.post(edit_url(candidate), FORM).status_code == 404
    candidate.refresh_from_db()
    assert candidate.language == "nl"


def test_anonymous_is_sent_to_login_from_the_candidate_forms(client, staff, candidate):
    assert client.get(create_url(staff.procedure)).status_code == 302
    assert client.get(edit_url(candidate)).url.startswith(reverse("login"))
