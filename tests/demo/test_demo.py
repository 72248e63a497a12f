import datetime as dt
import io
import zoneinfo

import pytest
from django.apps import apps
from django.core.management import call_command

from interviewdesk.core.audit import audit_history
from interviewdesk.core.models import User
from interviewdesk.core.phones import normalize_phone
from interviewdesk.core.workdays import is_working_day
from interviewdesk.demo.loading import demo_candidate, demo_load
from interviewdesk.procedures.models import Candidate, CompetencyDictionary, Jury, Membership, Procedure, Role
from interviewdesk.scheduling.models import Appointment

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
SATURDAY_MORNING = dt.datetime(2026, 11, 28, 10, 0, tzinfo=BRUSSELS)


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(BRUSSELS).date()


def test_a_second_load_demo_changes_no_row_of_any_model_and_says_so():
    call_command("load_demo", stdout=io.StringIO())
    before = row_counts()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert out.getvalue() == "demo data already loaded\n"
    assert row_counts() == before
    assert before["procedures.Candidate"] == 30


def test_the_dictionary_has_five_competencies_in_four_languages_with_two_dimensions_of_two_indicators():
    demo_load()
    dictionary = CompetencyDictionary.objects.get(name="interviewdesk demo", version="2025.1")
    competencies = list(dictionary.competencies.all())
    assert len(competencies) == 5
    for competency in competencies:
        assert set(competency.name) == set(competency.definition) == {"nl", "fr", "de", "en"}
        dimensions = list(competency.dimensions.all())
        assert len(dimensions) == 2
        assert [d.indicators.count() for d in dimensions] == [2, 2]
        assert all(set(i.text) == {"nl", "fr", "de", "en"} for d in dimensions for i in d.indicators.all())


def test_the_dutch_procedure_has_a_45_minute_case_and_the_french_one_no_stage_before():
    demo_load()
    dutch = Procedure.objects.get(reference="ANG25123")
    french = Procedure.objects.get(reference="AFG25124")
    assert (dutch.language, dutch.status, dutch.pre_stage, dutch.pre_stage_minutes) == ("nl", "open", "case", 45)
    assert "rekenmachine is niet toegelaten" in dutch.extra_material
    assert (french.language, french.status, french.pre_stage) == ("fr", "open", "none")
    assert [p.pass_mark_pct for p in (dutch, french)] == [60, 60]
    assert [dutch.profile.count(), french.profile.count()] == [4, 3]
    assert dutch.contact_name == "An Peeters"
    assert french.contact_email == "selection.afg25124@example.org"


def test_staff_users_share_the_demo_password_and_hold_their_roles():
    demo_load()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    for username in ("admin", "officer", "proctor1", "proctor2", "chair1", "chair2", "chair3", "assessor6"):
        assert User.objects.get(username=username).check_password("demo-interviewdesk")
    officer_roles = set(Membership.objects.filter(user__username="officer").values_list("procedure__reference", "role"))
    assert officer_roles == {("ANG25123", Role.SELECTION_OFFICER), ("AFG25124", Role.SELECTION_OFFICER)}


def test_three_juries_each_have_a_chair_and_two_assessors_and_languages():
    demo_load()
    juries = Jury.objects.select_related("procedure").prefetch_related("members__user").order_by("name")
    summary = [(j.procedure.reference, j.name, j.languages, [(m.user.username, m.role) for m in j.members.all()])
               for j in juries]
    assert summary == [
        ("ANG25123", "Jury A", ["nl"], [("chair1", "chair"), ("assessor1", "assessor"), ("assessor2", "assessor")]),
        ("ANG25123", "Jury B", ["nl", "de"], [("chair2", "chair"), ("assessor3", "assessor"), ("assessor4", "assessor")]),
        ("AFG25124", "Jury C", ["fr", "de"], [("chair3", "chair"), ("assessor5", "assessor"), ("assessor6", "assessor")]),
    ]


def test_candidates_have_valid_belgian_mobile_numbers_and_mostly_the_procedures_language():
    demo_load()
    candidates = list(Candidate.objects.select_related("procedure"))
    assert len(candidates) == 30
    assert len({c.email for c in candidates}) == 30
    assert all(normalize_phone(c.phone) == c.phone and c.phone.startswith("+3247") for c in candidates)
    assert {c.language for c in candidates} == {"nl", "fr", "de"}
    matching = sum(c.language == c.procedure.language for c in candidates)
    assert matching == 25
    assert all(c.date_of_birth and c.cv_text and c.motivation for c in candidates)


def test_on_a_saturday_there_are_sessions_today_and_every_other_session_is_on_a_working_day_within_two_weeks():
    demo_load(now=SATURDAY_MORNING)
    days = {local_day(a.starts_at) for a in Appointment.objects.all()}
    today = SATURDAY_MORNING.date()
    assert today in days
    assert all(is_working_day(day) for day in days - {today})
    assert max(days) <= today + dt.timedelta(days=14)
    assert Appointment.objects.filter(starts_at__date=today).count() == 7


def test_late_in_the_evening_todays_sessions_still_end_before_midnight():
    late = dt.datetime(2026, 12, 2, 23, 30, tzinfo=BRUSSELS)
    demo_load(now=late)
    todays = Appointment.objects.filter(starts_at__gte=late.replace(hour=0, minute=0),
                                        starts_at__lt=late.replace(hour=23, minute=59))
    assert todays.count() == 7
    assert all(local_day(a.ends_at) == late.date() for a in todays)


def test_the_case_procedure_has_a_preparation_with_the_proctor_just_before_each_interview():
    demo_load(now=SATURDAY_MORNING)
    interviews = Appointment.objects.filter(procedure__reference="ANG25123", kind="interview")
    assert interviews.count() == 15
    for interview in interviews:
        preparation = Appointment.objects.get(candidate=interview.candidate, kind="preparation")
        assert interview.starts_at - preparation.ends_at == dt.timedelta(minutes=15)
        assert preparation.proctor == interview.proctor
        assert preparation.jury is None
    assert all(a.jury_id and a.proctor_id for a in Appointment.objects.filter(kind="interview"))
    assert Appointment.objects.filter(kind="connection_test").count() == 3


def test_appointments_are_planned_by_the_officer_with_audit_entries_and_todays_are_confirmed():
    demo_load(now=SATURDAY_MORNING)
    officer = User.objects.get(username="officer")
    for appointment in Appointment.objects.all():
        actions = [(e.action, e.actor_id) for e in audit_history(appointment).order_by("id")]
        assert actions[0] == ("appointment.planned", officer.pk)
    statuses = set(Appointment.objects.filter(starts_at__date=SATURDAY_MORNING.date()).values_list("status", flat=True))
    assert statuses == {"confirmed"}


def test_join_links_use_example_domains_and_the_platform_of_the_procedure():
    demo_load()
    platforms = {(a.procedure.reference, a.platform, a.join_url.split("/")[2]) for a in Appointment.objects.all()}
    assert platforms == {
        ("ANG25123", "teams", "teams.example.org"),
        ("AFG25124", "skype_for_business", "meet.example.org"),
        ("AFG25124", "jitsi", "jitsi.example.org"),
    }


def test_one_candidate_per_procedure_comes_to_a_provided_room():
    demo_load()
    in_rooms = Appointment.objects.filter(mode="provided_room").select_related("room", "procedure")
    assert {(a.procedure.reference, a.room.site) for a in in_rooms} == {("ANG25123", "Ghent"),
                                                                        ("AFG25124", "Brussels WTC III")}


def test_the_demo_candidate_has_an_interview_today():
    demo_load(now=SATURDAY_MORNING)
    candidate = demo_candidate()
    assert candidate.full_name == "Lotte Claes"
    interview = candidate.appointments.get(kind="interview")
    assert local_day(interview.starts_at) == SATURDAY_MORNING.date()
