import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from interviewdesk.core.models import AuditEntry
from interviewdesk.procedures.models import Procedure, Role
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_plan
from tests.factories import CandidateFactory, RoomFactory, jury_with_members, member, staffed_procedure

pytestmark = pytest.mark.django_db

DAY = timezone.localdate() + dt.timedelta(days=7)


@pytest.fixture
def staff():
    return staffed_procedure(interview_minutes=45, pre_stage=Procedure.PreStage.CASE, pre_stage_minutes=90)


@pytest.fixture
def candidate(staff):
    return CandidateFactory(procedure=staff.procedure)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def new_url(procedure) -> str:
    return reverse("appointment_create", args=[procedure.pk])


def form(staff, candidate, **overrides) -> dict:
    data = {"kind": "interview", "candidate": candidate.pk, "date": DAY.isoformat(), "start_time": "10:00",
            "duration": "", "jury": staff.jury.pk, "proctor": "", "room": "", "mode": "home", "platform": "teams",
            "join_url": "https://teams.example.org/l/meetup-join/1"}
    data.update(overrides)
    return data


def plan(staff, candidate, start, minutes=45, **kwargs) -> Appointment:
    return appointment_plan(actor=staff.officer, appointment=Appointment(
        procedure=staff.procedure, candidate=candidate, jury=staff.jury, starts_at=start,
        ends_at=start + dt.timedelta(minutes=minutes), **kwargs))


def test_the_officer_plans_an_interview_with_the_procedure_length_in_brussels_time(client, staff, candidate):
    client.force_login(staff.officer)
    response = client.post(new_url(staff.procedure), form(staff, candidate))
    appointment = Appointment.objects.get()
    assert response.url == reverse("candidate_detail", args=[staff.procedure.pk, candidate.pk])
    assert (appointment.starts_at, appointment.ends_at) == (at(10), at(10, 45))
    assert (appointment.status, appointment.jury, appointment.kind) == ("planned", staff.jury, "interview")
    assert AuditEntry.objects.get(action="appointment.planned").actor == staff.officer


def test_a_preparation_defaults_to_the_stage_length_and_takes_a_proctor(client, staff, candidate):
    client.force_login(staff.officer)
    client.post(new_url(staff.procedure), form(staff, candidate, kind="preparation", jury="",
                                               proctor=staff.proctor.pk))
    appointment = Appointment.objects.get()
    assert (appointment.ends_at - appointment.starts_at, appointment.proctor) == (dt.timedelta(minutes=90),
                                                                                  staff.proctor)


def test_a_given_duration_wins_over_the_default(client, staff, candidate):
    client.force_login(staff.officer)
    client.post(new_url(staff.procedure), form(staff, candidate, duration="30"))
    assert Appointment.objects.get().ends_at == at(10, 30)


def test_a_summer_date_is_stored_as_utc_two_hours_earlier(client, staff, candidate):
    summer = dt.date(timezone.localdate().year + 1, 7, 15)
    client.force_login(staff.officer)
    client.post(new_url(staff.procedure), form(staff, candidate, date=summer.isoformat()))
    assert Appointment.objects.get().starts_at.astimezone(dt.UTC).hour == 8


def test_a_conflict_lists_every_clash_at_the_top_and_saves_nothing(client, staff, candidate):
    room = RoomFactory()
    plan(staff, candidate, at(10), proctor=staff.proctor, room=room, mode=Appointment.Mode.PROVIDED_ROOM)
    other = CandidateFactory(procedure=staff.procedure)
    client.force_login(staff.officer)
    response = client.post(new_url(staff.procedure), form(
        staff, other, start_time="10:30", proctor=staff.proctor.pk, room=room.pk, mode="provided_room"))
    assert response.status_code == 200
    conflicts = response.context["conflicts"]
    assert len(conflicts) == 5  # the room, the proctor, and the chair and both assessors of the jury
    html = response.content.decode()
    assert 'role="alert"' in html and "Nothing was saved" in html
    assert all(message in html for message in conflicts)
    assert Appointment.objects.count() == 1
    assert AuditEntry.objects.filter(action="appointment.planned").count() == 1


def test_an_interview_without_a_jury_is_refused_with_the_reason(client, staff, candidate):
    client.force_login(staff.officer)
    response = client.post(new_url(staff.procedure), form(staff, candidate, jury=""))
    assert response.context["form"].non_field_errors() == ["An interview needs a jury."]
    assert not Appointment.objects.exists()


def test_only_this_procedures_juries_candidates_and_proctors_can_be_chosen(client, staff, candidate):
    other = staffed_procedure()
    stranger = CandidateFactory(procedure=other.procedure)
    client.force_login(staff.officer)
    response = client.post(new_url(staff.procedure), form(staff, stranger, jury=other.jury.pk,
                                                          proctor=other.proctor.pk))
    assert set(response.context["form"].errors) == {"candidate", "jury", "proctor"}
    assert not Appointment.objects.exists()


def test_the_form_preselects_the_candidate_from_the_query(client, staff, candidate):
    client.force_login(staff.officer)
    response = client.get(new_url(staff.procedure) + f"?candidate={candidate.pk}")
    assert response.context["form"]["candidate"].value() == candidate.pk
    assert f'<option value="{candidate.pk}" selected>' in response.content.decode()


def test_the_proctor_list_holds_only_proctors_of_this_procedure(client, staff, candidate):
    member(staffed_procedure().procedure, Role.PROCTOR)
    client.force_login(staff.officer)
    form_ = client.get(new_url(staff.procedure)).context["form"]
    assert list(form_.fields["proctor"].queryset) == [staff.proctor]


def test_a_time_in_the_past_is_refused(client, staff, candidate):
    client.force_login(staff.officer)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(new_url(staff.procedure), form(staff, candidate, date=yesterday.isoformat()))
    assert response.context["form"].errors == {"date": ["The appointment must start in the future."]}


def test_a_time_skipped_by_the_clock_change_is_refused(client, staff, candidate):
    year = timezone.localdate().year + 1
    last_sunday_of_march = max(dt.date(year, 3, d) for d in range(25, 32) if dt.date(year, 3, d).weekday() == 6)
    client.force_login(staff.officer)
    response = client.post(new_url(staff.procedure), form(staff, candidate, date=last_sunday_of_march.isoformat(),
                                                          start_time="02:30"))
    assert list(response.context["form"].errors) == ["start_time"]
    assert "02:30 does not exist on" in response.context["form"].errors["start_time"][0]


def edit_url(appointment) -> str:
    return reverse("appointment_edit", args=[appointment.pk])


def cancel_url(appointment) -> str:
    return reverse("appointment_cancel", args=[appointment.pk])


def edit_form(staff, **overrides) -> dict:
    data = {"date": DAY.isoformat(), "start_time": "14:00", "duration": "45", "jury": staff.jury.pk, "proctor": "",
            "room": "", "mode": "home", "platform": "teams", "join_url": "https://teams.example.org/l/meetup-join/1",
            "reason": "jury asked"}
    data.update(overrides)
    return data


def test_the_edit_form_shows_the_current_local_time_and_moves_the_appointment(client, staff, candidate):
    appointment = plan(staff, candidate, at(10), join_url="https://teams.example.org/l/meetup-join/1")
    client.force_login(staff.officer)
    initial = client.get(edit_url(appointment)).context["form"].initial
    assert (initial["start_time"], initial["duration"]) == (dt.time(10, 0), 45)
    response = client.post(edit_url(appointment), edit_form(staff))
    assert response.url == reverse("candidate_detail", args=[staff.procedure.pk, candidate.pk])
    appointment.refresh_from_db()
    assert (appointment.starts_at, appointment.sequence) == (at(14), 1)
    entry = AuditEntry.objects.get(action="appointment.updated")
    assert (entry.reason, sorted(entry.changes)) == ("jury asked", ["ends_at", "starts_at"])


def test_moving_into_a_conflict_shows_it_and_changes_nothing(client, staff, candidate):
    plan(staff, CandidateFactory(procedure=staff.procedure), at(14))
    appointment = plan(staff, candidate, at(10))
    client.force_login(staff.officer)
    response = client.post(edit_url(appointment), edit_form(staff, start_time="14:15"))
    assert len(response.context["conflicts"]) == 3  # chair and two assessors
    appointment.refresh_from_db()
    assert (appointment.starts_at, appointment.sequence) == (at(10), 0)


def test_changing_the_jury_to_one_that_is_free_is_saved(client, staff, candidate):
    appointment = plan(staff, candidate, at(10))
    free = jury_with_members(staff.procedure)
    client.force_login(staff.officer)
    client.post(edit_url(appointment), edit_form(staff, start_time="10:00", jury=free.pk))
    appointment.refresh_from_db()
    assert appointment.jury == free


def test_a_cancelled_appointment_cannot_be_edited_or_cancelled_again(client, staff, candidate):
    appointment = plan(staff, candidate, at(10))
    client.force_login(staff.officer)
    client.post(cancel_url(appointment), {"reason": "withdrew"})
    response = client.get(edit_url(appointment), follow=True)
    assert "A cancelled appointment can no longer be changed." in response.content.decode()
    response = client.post(cancel_url(appointment), {"reason": "again"}, follow=True)
    assert "A cancelled appointment cannot be cancelled." in response.content.decode()


def test_the_officer_cancels_with_a_reason_that_is_audited(client, staff, candidate):
    appointment = plan(staff, candidate, at(10))
    client.force_login(staff.officer)
    assert client.get(cancel_url(appointment)).status_code == 200
    response = client.post(cancel_url(appointment), {"reason": "Candidate withdrew"})
    assert response.url == reverse("candidate_detail", args=[staff.procedure.pk, candidate.pk])
    appointment.refresh_from_db()
    assert (appointment.status, appointment.sequence) == ("cancelled", 1)
    entry = AuditEntry.objects.get(action="appointment.status")
    assert (entry.to_state, entry.reason, entry.actor) == ("cancelled", "Candidate withdrew", staff.officer)


def test_a_cancel_without_a_reason_is_refused(client, staff, candidate):
    appointment = plan(staff, candidate, at(10))
    client.force_login(staff.officer)
    response = client.post(cancel_url(appointment), {"reason": ""})
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    appointment.refresh_from_db()
    assert appointment.status == "planned"


@pytest.mark.parametrize("role", ["proctor", "assessor", "chair", "outsider"])
def test_only_the_selection_officer_plans_changes_or_cancels(client, staff, candidate, role):
    appointment = plan(staff, candidate, at(10))
    client.force_login(getattr(staff, role))
    assert client.get(new_url(staff.procedure)).status_code == 404
    assert client.post(new_url(staff.procedure), form(staff, candidate, start_time="16:00")).status_code == 404
    assert client.get(edit_url(appointment)).status_code == 404
    assert client.post(edit_url(appointment), edit_form(staff)).status_code == 404
    assert client.post(cancel_url(appointment), {"reason": "x"}).status_code == 404
    appointment.refresh_from_db()
    assert (Appointment.objects.count(), appointment.status, appointment.starts_at) == (1, "planned", at(10))


def test_an_unknown_appointment_gets_404(client, staff):
    client.force_login(staff.officer)
    assert client.get(reverse("appointment_edit", args=[999999])).status_code == 404


def test_anonymous_is_sent_to_login_from_every_scheduling_page(client, staff, candidate):
    appointment = plan(staff, candidate, at(10))
    for url in (new_url(staff.procedure), edit_url(appointment), cancel_url(appointment)):
        response = client.get(url)
        assert (response.status_code, response.url) == (302, f"{reverse('login')}?next={url}")


def test_an_interview_across_the_autumn_clock_change_lasts_its_real_length(client, staff, candidate):
    year = timezone.localdate().year + 1
    last_sunday_of_october = max(dt.date(year, 10, d) for d in range(25, 32) if dt.date(year, 10, d).weekday() == 6)
    client.force_login(staff.officer)
    client.post(new_url(staff.procedure), form(staff, candidate, date=last_sunday_of_october.isoformat(),
                                               start_time="01:45", duration="90"))
    appointment = Appointment.objects.get()
    assert appointment.ends_at - appointment.starts_at == dt.timedelta(minutes=90)
    assert timezone.localtime(appointment.ends_at).strftime("%H:%M %Z") == "02:15 CET"
