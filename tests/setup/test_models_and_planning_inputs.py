"""The set-up models and the read functions the planner calls (issue 13 §1, §2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import translation

from interviewdesk.portal.models import AdjustmentDecision, AdjustmentRequest, RoomRequest
from interviewdesk.portal.planning_needs import candidate_planning_needs
from interviewdesk.procedures.availability import (
    candidate_unavailable_half_days,
    planning_half_days,
    room_free_half_days,
    staff_available_half_days,
)
from interviewdesk.procedures.models import CandidateUnavailability, HalfDay, RoomFreeDay, StaffAvailability
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, CandidateFactory, ProcedureFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2031, 3, 3)


def test_planning_window_lists_half_days_in_order():
    procedure = ProcedureFactory(first_interview_day=MONDAY, last_interview_day=MONDAY + dt.timedelta(days=1))
    assert planning_half_days(procedure) == [
        (MONDAY, "am"), (MONDAY, "pm"), (MONDAY + dt.timedelta(days=1), "am"), (MONDAY + dt.timedelta(days=1), "pm"),
    ]
    assert planning_half_days(ProcedureFactory()) == []


def test_database_refuses_a_window_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcedureFactory(first_interview_day=MONDAY, last_interview_day=MONDAY - dt.timedelta(days=1))


def test_languages_list_the_main_language_first_without_duplicates():
    procedure = ProcedureFactory(language="fr", extra_languages=["nl", "fr", "de"])
    assert procedure.languages == ["fr", "nl", "de"]


def test_room_texts_follow_the_reader_and_fall_back_sensibly():
    room = RoomFactory(name="12.05", address="Rue de la Loi 51, 1040 Brussel/Bruxelles",
                       name_nl="Lokaal 12.05", name_fr="Salle 12.05",
                       address_nl="Wetstraat 51, 1040 Brussel", address_fr="Rue de la Loi 51, 1040 Bruxelles")
    assert room.name_in("nl") == "Lokaal 12.05"
    assert room.name_in("de") == "Salle 12.05"  # no German text: French before the main text
    assert room.address_in("de") == "Rue de la Loi 51, 1040 Bruxelles"
    assert room.name_in("en") == "12.05"
    with translation.override("nl"):
        assert room.local_address == "Wetstraat 51, 1040 Brussel"
    room.name_de = "Raum 12.05"
    assert room.name_in("de") == "Raum 12.05"


def test_staff_availability_counts_only_explicit_yes():
    procedure = ProcedureFactory()
    yes, no = UserFactory(), UserFactory()
    StaffAvailability.objects.create(procedure=procedure, user=yes, date=MONDAY, part=HalfDay.MORNING, available=True)
    StaffAvailability.objects.create(procedure=procedure, user=yes, date=MONDAY, part=HalfDay.AFTERNOON, available=False)
    StaffAvailability.objects.create(procedure=procedure, user=no, date=MONDAY, part=HalfDay.MORNING, available=False)
    StaffAvailability.objects.create(procedure=ProcedureFactory(), user=no, date=MONDAY, part="am", available=True)
    assert staff_available_half_days(procedure=procedure) == {yes.pk: {(MONDAY, "am")}}


def test_room_free_half_days_within_bounds():
    room = RoomFactory()
    RoomFreeDay.objects.create(room=room, date=MONDAY, part="pm")
    RoomFreeDay.objects.create(room=room, date=MONDAY + dt.timedelta(days=9), part="am")
    assert room_free_half_days(first=MONDAY, last=MONDAY + dt.timedelta(days=4)) == {room.pk: {(MONDAY, "pm")}}


def test_planning_needs_carry_extra_time_room_and_unavailability_but_no_reasons():
    procedure = ProcedureFactory()
    plain, special = CandidateFactory(procedure=procedure), CandidateFactory(procedure=procedure)
    room = RoomFactory()
    interview = AppointmentFactory(procedure=procedure, candidate=special)
    request = AdjustmentRequest.objects.create(candidate=special, kinds=["extra_time"], details="private")
    AdjustmentDecision.objects.create(request=request, appointment=interview, step=interview.kind, approved=True,
                                      extra_minutes=20)
    RoomRequest.objects.create(candidate=special, reason="no quiet place", needs="a wired connection",
                               status=RoomRequest.Status.APPROVED, room=room)
    RoomRequest.objects.create(candidate=plain, reason="maybe", status=RoomRequest.Status.OPEN)
    CandidateUnavailability.objects.create(candidate=special, date=MONDAY, part="am",
                                           reason=CandidateUnavailability.Reason.WORK)
    needs = candidate_planning_needs(procedure=procedure)
    assert set(needs) == {special.pk}
    entry = needs[special.pk]
    assert entry.extra_for(Appointment.Kind.INTERVIEW) == 20
    assert entry.extra_for(Appointment.Kind.PREPARATION) == 0
    assert (entry.needs_room, entry.room_id, entry.room_needs) == (True, room.pk, "a wired connection")
    assert entry.unavailable == {(MONDAY, "am")}
    assert candidate_unavailable_half_days(procedure=procedure) == {special.pk: {(MONDAY, "am")}}


def test_planning_needs_run_a_fixed_number_of_queries(django_assert_num_queries):
    procedure = ProcedureFactory()
    for _ in range(5):
        candidate = CandidateFactory(procedure=procedure)
        CandidateUnavailability.objects.create(candidate=candidate, date=MONDAY, part="pm", reason="family")
    with django_assert_num_queries(4):  # decisions, room requests, unavailable and preferred half-days
        assert len(candidate_planning_needs(procedure=procedure)) == 5


def test_unavailability_reasons_ask_no_health_data():
    labels = " ".join(str(label).lower() for label in CandidateUnavailability.Reason.labels)
    for word in ("health", "ill", "sick", "medical", "doctor", "pregnan", "disab"):
        assert word not in labels


def test_selection_officers_group_may_create_procedures_and_manage_rooms():
    group = Group.objects.get(name="Selection officers")
    user = UserFactory()
    user.groups.add(group)
    assert user.has_perms(["procedures.add_procedure", "procedures.add_room", "procedures.change_room"])
    assert not UserFactory().has_perm("procedures.add_procedure")
