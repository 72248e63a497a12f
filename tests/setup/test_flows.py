"""The officer sets a procedure up in the product (issue 13 §1) and people give their availability (§2)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from interviewdesk.assessment.models import AssessmentSettings
from interviewdesk.core.models import AuditEntry
from interviewdesk.messaging.models import Message
from interviewdesk.procedures.availability import working_days
from interviewdesk.procedures.models import (
    CandidateUnavailability,
    JuryMember,
    Membership,
    Procedure,
    Role,
    Room,
    StaffAvailability,
)
from interviewdesk.procedures.scales import ensure_default_scale
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, CandidateFactory, UserFactory, competency
from tests.portal.conftest import log_in

pytestmark = pytest.mark.django_db
User = get_user_model()


def procedure_data(**overrides) -> dict:
    first = timezone.localdate() + dt.timedelta(days=30)
    data = {
        "reference": "sel26001", "title": "Data analyst", "language": "nl", "extra_languages": ["fr"],
        "contact_name": "An Peeters", "contact_email": "an@example.org", "contact_phone": "02 555 01 01",
        "pre_stage": "case", "pre_stage_minutes": "45", "extra_material": "", "interview_minutes": "60",
        "scoring_buffer_minutes": "15", "scale": str(ensure_default_scale().pk), "pass_mark_pct": "60",
        "aggregation": "midpoint_mean", "first_interview_day": first.isoformat(),
        "last_interview_day": (first + dt.timedelta(days=13)).isoformat(), "day_starts_at": "08:30",
        "day_ends_at": "17:00", "lunch_starts_at": "12:00", "lunch_ends_at": "13:00",
        "max_interviews_per_jury_day": "6", "connection_test_days_before": "2", "connection_test_minutes": "15",
        "connection_test_group_size": "4", "unavailability_deadline": (first - dt.timedelta(days=7)).isoformat(),
    }
    data.update(overrides)
    return data


def test_an_officer_creates_a_procedure_and_becomes_its_officer(client, creator):
    client.force_login(creator)
    response = client.post(reverse("setup:procedure_new"), procedure_data(aggregation="linear_mean"))
    procedure = Procedure.objects.get(reference="SEL26001")
    assert response.status_code == 302 and response["Location"] == reverse("setup:profile", args=[procedure.pk])
    assert procedure.status == Procedure.Status.DRAFT
    assert procedure.languages == ["nl", "fr"]
    assert procedure.contact_phone == "+3225550101"
    assert procedure.first_interview_day == timezone.localdate() + dt.timedelta(days=30)
    assert Membership.objects.filter(procedure=procedure, user=creator, role=Role.SELECTION_OFFICER).exists()
    assert AssessmentSettings.objects.get(procedure=procedure).aggregation == "linear_mean"
    assert AuditEntry.objects.filter(action="procedure.created", object_id=str(procedure.pk), actor=creator).exists()


@pytest.mark.parametrize("overrides, field, message", [
    ({"last_interview_day": "2020-01-01"}, "last_interview_day", "The last interview day comes before the first."),
    ({"lunch_starts_at": "07:00"}, "lunch_starts_at", "The lunch break must fall within the day."),
    ({"pre_stage": "none"}, "pre_stage_minutes", "There is no case or technical test: leave 0 minutes."),
    ({"pre_stage_minutes": "5"}, "pre_stage_minutes", "Give the case or technical test at least 10 minutes."),
    ({"day_ends_at": "08:00"}, "day_ends_at", "The day must end after it starts."),
    ({"first_interview_day": ""}, "first_interview_day", "Give both the first and the last interview day, or neither."),
    ({"unavailability_deadline": "2099-01-01"}, "unavailability_deadline", "Candidates must answer before"),
    ({"contact_phone": "12"}, "contact_phone", "phone"),
])
def test_bad_settings_get_a_clear_message_and_nothing_is_saved(client, creator, overrides, field, message):
    client.force_login(creator)
    response = client.post(reverse("setup:procedure_new"), procedure_data(**overrides))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message.lower() in errors.lower()
    assert not Procedure.objects.filter(reference="SEL26001").exists()


def test_a_reference_already_taken_is_refused(client, creator, staff):
    client.force_login(creator)
    response = client.post(reverse("setup:procedure_new"), procedure_data(reference=staff.procedure.reference))
    assert "already exists" in " ".join(response.context["form"].errors["reference"])


def test_a_change_after_invitations_says_what_it_changes_for_whom_before_saving(client, staff):
    procedure = staff.procedure
    future = timezone.now() + dt.timedelta(days=3)
    for status in (Appointment.Status.INVITED, Appointment.Status.CONFIRMED):
        AppointmentFactory(procedure=procedure, status=status, starts_at=future, ends_at=future + dt.timedelta(hours=1))
    client.force_login(staff.officer)
    url = reverse("setup:procedure_edit", args=[procedure.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update(contact_name="Bert Maes", interview_minutes="75")
    response = client.post(url, data)
    page = response.content.decode()
    assert "Confirm the change" in page
    assert "the 2 candidates already invited read the new value" in page
    assert "the 2 coming appointments keep their times" in page
    procedure.refresh_from_db()
    assert procedure.contact_name == "An Peeters" and procedure.interview_minutes == 60
    # The confirmation page re-posts every value; confirming saves exactly the change.
    hidden = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', page))
    assert hidden["confirmed"] == "1" and hidden["contact_name"] == "Bert Maes"
    response = client.post(url, {**data, "confirmed": "1"})
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.contact_name == "Bert Maes" and procedure.interview_minutes == 75
    entry = AuditEntry.objects.get(action="procedure.updated", object_id=str(procedure.pk))
    assert set(entry.changes) == {"contact_name", "interview_minutes"}


def test_a_change_before_any_invitation_saves_at_once(client, staff):
    client.force_login(staff.officer)
    url = reverse("setup:procedure_edit", args=[staff.procedure.pk])
    form = client.get(url).context["form"]
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}
    data["title"] = "Senior data analyst"
    assert client.post(url, data).status_code == 302
    staff.procedure.refresh_from_db()
    assert staff.procedure.title == "Senior data analyst"


def test_the_function_profile_takes_competencies_in_the_order_given(client, staff):
    analysing, cooperating, deciding = competency("analysing"), competency("cooperating"), competency("deciding")
    client.force_login(staff.officer)
    url = reverse("setup:profile", args=[staff.procedure.pk])
    response = client.post(url, {f"order_{deciding.pk}": "1", f"order_{analysing.pk}": "2", f"order_{cooperating.pk}": "",
                                 f"weight_{deciding.pk}": "2", f"weight_{analysing.pk}": "1",
                                 f"weight_{cooperating.pk}": "1"})
    assert response.status_code == 302
    assert [(p.competency.code, p.weight) for p in staff.procedure.profile.all()] == [("deciding", 2), ("analysing", 1)]
    response = client.post(url, {f"order_{deciding.pk}": "1", f"order_{analysing.pk}": "1",
                                 f"weight_{deciding.pk}": "1", f"weight_{analysing.pk}": "1",
                                 f"weight_{cooperating.pk}": "1"})
    assert "Two competencies have the same place" in response.content.decode()


def test_people_pick_existing_staff_or_invite_a_new_person_through_the_outbox(client, staff, settings):
    settings.SITE_URL = "https://interviews.example.org"
    existing = UserFactory()
    client.force_login(staff.officer)
    client.post(reverse("setup:person_add", args=[staff.procedure.pk]), {"user": existing.pk, "role": Role.PROCTOR})
    assert Membership.objects.filter(procedure=staff.procedure, user=existing, role=Role.PROCTOR).exists()

    response = client.post(reverse("setup:person_invite", args=[staff.procedure.pk]), {
        "first_name": "Hanne", "last_name": "Wouters", "email": "Hanne.Wouters@Example.org", "language": "nl",
        "role": Role.ASSESSOR})
    assert response.status_code == 302
    invited = User.objects.get(email="Hanne.Wouters@example.org")
    assert not invited.has_usable_password()
    assert Membership.objects.filter(procedure=staff.procedure, user=invited, role=Role.ASSESSOR).exists()
    mail = Message.objects.get(kind="staff_account", recipient_email=invited.email)
    assert mail.language == "nl" and invited.username in mail.body_text
    link = re.search(r"https://interviews\.example\.org(/accounts/welcome/\S+/)", mail.body_text).group(1)

    # The link lets them choose a password once, then log in.
    client.logout()
    response = client.get(link, follow=True)
    assert "new_password1" in response.content.decode()
    response = client.post(response.redirect_chain[-1][0], {"new_password1": "a long enough passphrase 42",
                                                            "new_password2": "a long enough passphrase 42"})
    assert response.status_code == 302
    invited.refresh_from_db()
    assert invited.check_password("a long enough passphrase 42")  # (the login then asks for a second factor)
    assert "no longer valid" in client.get(link, follow=True).content.decode()

    # Inviting an address that already has an account points to the list instead.
    client.force_login(staff.officer)
    response = client.post(reverse("setup:person_invite", args=[staff.procedure.pk]), {
        "first_name": "H", "last_name": "W", "email": "hanne.wouters@example.org", "language": "nl", "role": "proctor"})
    assert "choose them in the list" in response.content.decode()
    assert Message.objects.filter(kind="staff_account").count() == 1


def test_a_role_still_in_use_cannot_be_removed(client, staff):
    future = timezone.now() + dt.timedelta(days=2)
    AppointmentFactory(procedure=staff.procedure, proctor=staff.proctor, starts_at=future,
                       ends_at=future + dt.timedelta(hours=1))
    client.force_login(staff.officer)
    for user, role in ((staff.proctor, Role.PROCTOR), (staff.assessor, Role.ASSESSOR), (staff.officer, Role.SELECTION_OFFICER)):
        membership = Membership.objects.get(procedure=staff.procedure, user=user, role=role)
        response = client.post(reverse("setup:person_remove", args=[staff.procedure.pk, membership.pk]), follow=True)
        assert Membership.objects.filter(pk=membership.pk).exists()
        assert response.context["messages"]


def test_a_jury_is_a_chair_and_assessors_with_languages_as_choices(client, staff):
    staff.procedure.extra_languages = ["fr"]
    staff.procedure.save()
    chair, first, second = UserFactory(), UserFactory(), UserFactory()
    client.force_login(staff.officer)
    response = client.get(reverse("setup:jury_new", args=[staff.procedure.pk]))
    assert [code for code, _label in response.context["form"].fields["languages"].choices] == ["nl", "fr"]
    assert 'type="checkbox" name="languages" value="fr"' in response.content.decode()
    response = client.post(reverse("setup:jury_new", args=[staff.procedure.pk]), {
        "name": "Jury B", "languages": ["nl", "fr"], "chair": chair.pk, "assessors": [first.pk, second.pk]})
    assert response.status_code == 302
    jury = staff.procedure.juries.get(name="Jury B")
    assert jury.languages == ["nl", "fr"] and jury.chair == chair
    assert {m.user for m in jury.members.filter(role=JuryMember.Role.ASSESSOR)} == {first, second}
    assert Membership.objects.filter(procedure=staff.procedure, user=chair, role=Role.JURY_CHAIR).exists()
    response = client.post(reverse("setup:jury_new", args=[staff.procedure.pk]), {
        "name": "Jury C", "languages": ["nl"], "chair": chair.pk, "assessors": [chair.pk]})
    assert "The chair cannot also be an assessor" in response.content.decode()


def test_changing_a_jury_with_coming_interviews_says_who_gains_and_loses_them(client, staff):
    future = timezone.now() + dt.timedelta(days=2)
    AppointmentFactory(procedure=staff.procedure, jury=staff.jury, starts_at=future, ends_at=future + dt.timedelta(hours=1))
    newcomer = UserFactory(first_name="Nina", last_name="Nieuw")
    assessors = [m.user for m in staff.jury.members.filter(role="assessor")]
    client.force_login(staff.officer)
    url = reverse("setup:jury_edit", args=[staff.procedure.pk, staff.jury.pk])
    data = {"name": staff.jury.name, "languages": ["nl"], "chair": staff.chair.pk,
            "assessors": [assessors[1].pk, newcomer.pk]}
    page = client.post(url, data).content.decode()
    assert f"{assessors[0]} will no longer see or score the 1 coming interview" in page
    assert "Nina Nieuw will see and score the 1 coming interview" in page
    assert staff.jury.members.filter(user=assessors[0]).exists()
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    assert not staff.jury.members.filter(user=assessors[0]).exists()
    assert staff.jury.members.filter(user=newcomer, role="assessor").exists()


def test_a_room_gets_texts_per_language_and_free_half_days(client, creator):
    client.force_login(creator)
    response = client.post(reverse("setup:room_new"), {
        "name": "12.05", "site": "Brussels", "address": "Rue de la Loi 51", "name_nl": "Lokaal 12.05",
        "address_nl": "Wetstraat 51", "name_fr": "", "address_fr": "", "name_de": "Raum 12.05", "address_de": "",
        "capacity": "2", "equipment": "PC, webcam"})
    room = Room.objects.get(name="12.05")
    assert response["Location"] == reverse("setup:room_days", args=[room.pk])
    assert room.name_in("de") == "Raum 12.05" and room.address_in("de") == "Rue de la Loi 51"
    response = client.post(reverse("setup:room_new"), {"name": "", "site": "", "address": "", "capacity": "0"})
    assert response.status_code == 200 and response.context["form"].errors.keys() >= {"name", "capacity"}

    monday = timezone.localdate() + dt.timedelta(days=14 - timezone.localdate().weekday())
    day, other = working_days([monday + dt.timedelta(days=n) for n in range(14)])[:2]  # (holidays are not offered)
    url = reverse("setup:room_days", args=[room.pk]) + f"?start={monday}&end={monday + dt.timedelta(days=13)}"
    client.post(url, {f"hd-{day}-am": "1", f"hd-{other}-pm": "1"})
    assert set(room.free_days.values_list("date", "part")) == {(day, "am"), (other, "pm")}


def test_jury_members_and_proctors_enter_their_own_availability_and_the_officer_edits_anyones(client, staff):
    first = working_days(staff.procedure.planning_days())[0]  # a Monday, unless it is a public holiday
    client.force_login(staff.assessor)
    url = reverse("setup:availability_edit", args=[staff.procedure.pk, staff.assessor.pk])
    page = client.get(url).content.decode()
    assert f"hd-{first}-am" in page
    saturday = staff.procedure.first_interview_day + dt.timedelta(days=5)
    assert f"hd-{saturday}-am" not in page  # a Saturday is not offered
    client.post(url, {f"hd-{first}-am": "1", f"hd-{first}-pm": "1"})
    rows = StaffAvailability.objects.filter(procedure=staff.procedure, user=staff.assessor)
    assert rows.filter(available=True).count() == 2
    half_days = 2 * len(working_days(staff.procedure.planning_days()))  # public holidays are not offered
    assert rows.filter(available=False).count() == half_days - 2
    client.force_login(staff.officer)
    overview = client.get(reverse("setup:availability", args=[staff.procedure.pk]))
    by_person = {row[0]: row[1:] for row in overview.context["overview"]}
    assert by_person[staff.assessor] == (2, half_days - 2, 0) and by_person[staff.proctor] == (0, 0, half_days)
    client.post(reverse("setup:availability_edit", args=[staff.procedure.pk, staff.proctor.pk]),
                {f"hd-{first}-pm": "1"})
    assert StaffAvailability.objects.get(procedure=staff.procedure, user=staff.proctor, date=first, part="pm").available


@pytest.mark.parametrize("language, words", [("nl", "Ik kan komen"), ("fr", "Je peux venir"), ("de", "Ich kann kommen")])
def test_candidates_state_half_days_they_cannot_come_in_their_language(client, staff, language, words):
    candidate = CandidateFactory(procedure=staff.procedure, language=language)
    log_in(client, candidate)
    first = working_days(staff.procedure.planning_days())[0]
    page = client.get(reverse("portal:unavailability")).content.decode()
    assert words in page and "I can come" not in page
    response = client.post(reverse("portal:unavailability"), {f"hd-{first}-am": "work", f"hd-{first}-pm": ""})
    assert response.status_code == 302
    assert list(candidate.unavailability.values_list("date", "part", "reason")) == [(first, "am", "work")]
    response = client.post(reverse("portal:unavailability"), {f"hd-{first}-am": "illness"}, follow=True)
    assert candidate.unavailability.count() == 1


def test_after_the_deadline_the_candidate_can_only_read(client, staff):
    staff.procedure.unavailability_deadline = timezone.localdate() - dt.timedelta(days=1)
    staff.procedure.save()
    candidate = CandidateFactory(procedure=staff.procedure)
    CandidateUnavailability.objects.create(candidate=candidate, date=staff.procedure.first_interview_day, part="am",
                                           reason="travel")
    log_in(client, candidate)
    client.post(reverse("portal:unavailability"), {})
    assert candidate.unavailability.count() == 1
    page = client.get(reverse("portal:unavailability")).content.decode()
    assert "disabled" in page and 'type="submit"' not in page.split("<form method=\"post\"")[-1]
