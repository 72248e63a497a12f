import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from interviewdesk.live import services
from interviewdesk.live.models import ConflictDeclaration, FollowUp, ProblemReport, State
from interviewdesk.live.selectors import session_timeline, session_was_stopped
from interviewdesk.messaging.models import Message
from interviewdesk.procedures.models import Procedure
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import SchedulingConflict
from tests.factories import AppointmentFactory, CandidateFactory, tomorrow_at
from tests.live.conftest import bring_to, make_setup

pytestmark = pytest.mark.django_db


def stopped(setup):
    session = bring_to(setup, State.PART_1)
    return services.session_stop(actor=setup.chair, session=session, reason="Third person in the room")


def test_a_stopped_session_needing_a_new_appointment_opens_a_task_and_tells_the_candidate_in_their_language(setup):
    session = stopped(setup)
    follow_up = services.session_request_new_appointment(actor=setup.officer, session=session)
    assert (follow_up.kind, follow_up.reason, follow_up.done_at) == (
        "new_appointment_needed", "Third person in the room", None)
    candidate_mail = Message.objects.get(kind="live_session_stopped")
    assert (candidate_mail.recipient_email, candidate_mail.language) == (setup.appointment.candidate.email, "nl")
    assert "nieuwe afspraak" in candidate_mail.subject
    officer_mail = Message.objects.get(kind="live_new_appointment_needed")
    assert officer_mail.recipient_email == setup.officer.email
    assert "Third person in the room" in officer_mail.body_text
    assert f"{settings.SITE_URL}/procedures/{setup.procedure.pk}/follow-ups/" in officer_mail.body_text
    assert "+32 2 555 01 01" in candidate_mail.body_text


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_the_candidate_message_exists_in_dutch_french_and_german(setup, language):
    candidate = setup.appointment.candidate
    candidate.language = language
    candidate.save()
    services.session_request_new_appointment(actor=setup.officer, session=stopped(setup))
    mail = Message.objects.get(kind="live_session_stopped")
    english = "we will contact you"
    assert english not in mail.subject.lower()
    assert english not in mail.body_text.lower()
    assert candidate.full_name in mail.body_text


def test_only_a_stopped_or_missed_session_needs_a_new_appointment(setup):
    session = bring_to(setup, State.PART_1)
    with pytest.raises(services.IllegalTransition):
        services.session_request_new_appointment(actor=setup.officer, session=session)
    assert FollowUp.objects.count() == 0


def test_rescheduling_moves_the_same_appointment_with_a_higher_sequence_and_starts_a_new_attempt(setup):
    session = stopped(setup)
    services.session_request_new_appointment(actor=setup.officer, session=session)
    sequence = Appointment.objects.get(pk=setup.appointment.pk).sequence
    new_start = tomorrow_at(14)
    appointment = services.session_reschedule(actor=setup.officer, session=session, starts_at=new_start)
    assert (appointment.pk, appointment.starts_at, appointment.ends_at - appointment.starts_at) == (
        setup.appointment.pk, new_start, dt.timedelta(hours=1))
    assert (appointment.status, appointment.sequence) == (Appointment.Status.PLANNED, sequence + 1)
    assert FollowUp.objects.get().done_at is not None
    current = services.session_current(appointment)
    assert (current.attempt, current.state) == (2, State.SCHEDULED)
    assert session_was_stopped(appointment) is True  # the new attempt has not begun yet
    labels = [e["label"] for e in session_timeline(appointment)]
    assert "part 1: CV and motivation → stopped" in labels


def test_rescheduling_a_no_show_goes_through_needs_new_appointment_without_the_stop_message(setup):
    with time_machine.travel(setup.appointment.starts_at + dt.timedelta(minutes=20), tick=False):
        session = services.session_mark_no_show(actor=setup.proctor, session=setup.session)
        services.session_reschedule(actor=setup.officer, session=session, starts_at=tomorrow_at(9))
    session.refresh_from_db()
    assert session.state == State.NEEDS_NEW_APPOINTMENT
    assert Message.objects.filter(kind="live_session_stopped").count() == 0


def test_rescheduling_into_a_conflict_is_refused_and_changes_nothing(setup):
    session = stopped(setup)
    other = AppointmentFactory(procedure=setup.procedure, jury=setup.appointment.jury,
                               candidate=CandidateFactory(procedure=setup.procedure), starts_at=tomorrow_at(14),
                               ends_at=tomorrow_at(15))
    with pytest.raises(SchedulingConflict):
        services.session_reschedule(actor=setup.officer, session=session, starts_at=tomorrow_at(14, 30))
    session.refresh_from_db()
    assert session.state == State.STOPPED
    assert other.starts_at == tomorrow_at(14)
    assert FollowUp.objects.count() == 0


def test_a_running_session_cannot_be_rescheduled_from_here(setup):
    session = bring_to(setup, State.PART_1)
    with pytest.raises(services.IllegalTransition):
        services.session_reschedule(actor=setup.officer, session=session, starts_at=tomorrow_at(14))


def test_part_one_waits_for_every_declaration_and_every_decision(setup):
    session = bring_to(setup, State.RULES_CONFIRMED)
    services.declaration_submit(actor=setup.chair, appointment=setup.appointment, has_link=False)
    services.declaration_submit(actor=setup.assessors[0], appointment=setup.appointment, has_link=True,
                                link_description="Former colleague (2019)")
    with pytest.raises(services.IllegalTransition) as info:
        services.session_part_1_start(actor=setup.chair, session=session)
    assert str(setup.assessors[0]) in info.value.messages[0]
    assert str(setup.assessors[1]) in info.value.messages[0]
    assert str(setup.chair) not in info.value.messages[0]
    services.declaration_submit(actor=setup.assessors[1], appointment=setup.appointment, has_link=False)
    pending = ConflictDeclaration.objects.get(member=setup.assessors[0])
    with pytest.raises(services.IllegalTransition):
        services.session_part_1_start(actor=setup.chair, session=session)
    services.declaration_decide(actor=setup.chair, declaration=pending, stays=True,
                                reason="No contact for five years")
    assert services.session_part_1_start(actor=setup.chair, session=session).state == State.PART_1


def test_the_chair_decides_on_assessors_and_the_officer_on_the_chair(setup):
    chair_decl = services.declaration_submit(actor=setup.chair, appointment=setup.appointment, has_link=True,
                                             link_description="Neighbour")
    assessor_decl = services.declaration_submit(actor=setup.assessors[0], appointment=setup.appointment,
                                                has_link=True, link_description="Cousin")
    with pytest.raises(ValidationError):
        services.declaration_decide(actor=setup.chair, declaration=chair_decl, stays=True, reason="x")
    with pytest.raises(ValidationError):
        services.declaration_decide(actor=setup.officer, declaration=assessor_decl, stays=False, reason="x")
    with pytest.raises(ValidationError):
        services.declaration_decide(actor=setup.assessors[1], declaration=assessor_decl, stays=False, reason="x")
    services.declaration_decide(actor=setup.officer, declaration=chair_decl, stays=True, reason="Distant")
    decided = services.declaration_decide(actor=setup.chair, declaration=assessor_decl, stays=False,
                                          reason="Family")
    assert (decided.decision, decided.decided_by, decided.decision_reason) == ("withdraws", setup.chair, "Family")
    with pytest.raises(ValidationError) as info:
        services.declaration_decide(actor=setup.chair, declaration=assessor_decl, stays=True, reason="Changed")
    assert info.value.messages == ["This declaration has already been decided."]


def test_declarations_need_a_jury_seat_a_description_of_the_link_and_come_once(setup):
    with pytest.raises(ValidationError):
        services.declaration_submit(actor=setup.proctor, appointment=setup.appointment, has_link=False)
    with pytest.raises(ValidationError):
        services.declaration_submit(actor=setup.chair, appointment=setup.appointment, has_link=True)
    services.declaration_submit(actor=setup.chair, appointment=setup.appointment, has_link=False)
    with pytest.raises(ValidationError) as info:
        services.declaration_submit(actor=setup.chair, appointment=setup.appointment, has_link=False)
    assert info.value.messages == ["You have already made your declaration for this interview."]


def test_the_candidate_reports_a_problem_during_the_preparation_and_the_proctor_acknowledges_it():
    s = make_setup(pre_stage=Procedure.PreStage.TECHNICAL_TEST, pre_stage_minutes=45)
    session = bring_to(s, State.RULES_CONFIRMED)
    services.session_preparation_start(actor=s.proctor, session=session)
    version = type(session).objects.get(pk=session.pk).version
    report = services.candidate_problem_report(appointment=s.appointment, text="  The case file does not open ")
    assert (report.text, report.acknowledged_at) == ("The case file does not open", None)
    assert type(session).objects.get(pk=session.pk).version == version + 1
    services.problem_acknowledge(actor=s.proctor, report=report)
    assert ProblemReport.objects.get().acknowledged_by == s.proctor
    assert session_timeline(s.appointment)[-1]["by"] == "candidate"


def test_a_problem_report_outside_a_running_session_is_refused(setup):
    with pytest.raises(ValidationError):
        services.candidate_problem_report(appointment=setup.appointment, text="Help")
    with pytest.raises(ValidationError):
        services.candidate_problem_report(appointment=setup.appointment, text="   ")


def test_the_timeline_lists_every_fact_in_order_with_aware_times(setup):
    session = bring_to(setup, State.PART_1)
    services.incident_log(actor=setup.proctor, session=session, category="camera_off", description="Camera dark")
    timeline = session_timeline(setup.appointment)
    assert [e["label"] for e in timeline][:3] == [
        "scheduled → candidate waiting in the lobby",
        "Identity check: Belgian eID, matches the candidate",
        "candidate waiting in the lobby → identity checked",
    ]
    assert all(timezone.is_aware(e["at"]) for e in timeline)
    assert [e["at"] for e in timeline] == sorted(e["at"] for e in timeline)
    assert set(timeline[0]) == {"at", "label", "detail", "by", "kind"}


def test_a_closed_session_was_not_stopped(setup):
    bring_to(setup, State.CLOSED)
    assert session_was_stopped(setup.appointment) is False
