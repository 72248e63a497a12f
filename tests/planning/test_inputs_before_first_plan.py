"""Issue 13: what the planner reads before a first plan exists — the candidates' preferred half-days
and extra time the officer approved ahead of planning, for the case and for the interview."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from interviewdesk.core.models import AuditEntry
from interviewdesk.live.services.machine import approved_extra_minutes
from interviewdesk.planning import services
from interviewdesk.planning.check import violations
from interviewdesk.planning.instance import AFTERNOON, MORNING
from interviewdesk.planning.selectors import planning_instance
from interviewdesk.planning.solver import plan
from interviewdesk.portal.models import AdjustmentDecision, AdjustmentRequest
from interviewdesk.portal.services.adjustments import adjustment_decide, adjustment_decide_ahead
from interviewdesk.procedures.models import CandidatePreference
from interviewdesk.scheduling.models import Appointment
from tests.portal.conftest import log_in

from .helpers import planning_procedure

pytestmark = pytest.mark.django_db
CASE, INTERVIEW = Appointment.Kind.PREPARATION, Appointment.Kind.INTERVIEW


def with_case(s, minutes: int = 30):
    s.procedure.pre_stage, s.procedure.pre_stage_minutes = "case", minutes
    s.procedure.save()
    return s


def extra_time_request(candidate) -> AdjustmentRequest:
    return AdjustmentRequest.objects.create(candidate=candidate, kinds=["extra_time"], details="dyslexia (medical)")


def minutes(appointment: Appointment) -> int:
    return int((appointment.ends_at - appointment.starts_at).total_seconds() // 60)


def test_preferred_half_days_reach_the_instance_and_the_planner_honours_them():
    s = planning_procedure(3)
    first, second, third = s.days
    wishes = {s.candidates[0]: (third, "pm"), s.candidates[1]: (second, "am"), s.candidates[2]: (first, "pm")}
    for candidate, (day, part) in wishes.items():
        CandidatePreference.objects.create(candidate=candidate, date=day, part=part)
    instance = planning_instance(s.procedure)
    half = {"am": MORNING, "pm": AFTERNOON}
    assert {c.id: c.preferred for c in instance.candidates} == {
        candidate.pk: frozenset({(day, half[part])}) for candidate, (day, part) in wishes.items()}

    # The officer ranks preferences first (by default finishing early comes first, and the third
    # day's wish would cost a day).
    proposal = plan(instance, time_limit=10, deterministic=True,
                    objective_order=("preferences", "finish_early", "jury_days", "idle", "even_load"))
    assert violations(instance, proposal) == []
    assert proposal.figures.planned == 3
    placed = {item.candidate: (item.day, instance.window.half_of(item.start)) for item in proposal.items}
    assert placed == {candidate.pk: (day, half[part]) for candidate, (day, part) in wishes.items()}
    assert (proposal.figures.preferred_met, proposal.figures.preferred_asked) == (3, 3)


def test_a_preference_the_plan_cannot_meet_leaves_the_candidate_planned_elsewhere():
    s = planning_procedure(1)
    day = s.days[0]
    # The jury does not sit that morning: the wish cannot be met, the candidate is planned anyway.
    s.procedure.staff_availability.filter(date=day, part="am").update(available=False)
    CandidatePreference.objects.create(candidate=s.candidates[0], date=day, part="am")
    instance = planning_instance(s.procedure)
    proposal = plan(instance, time_limit=5, deterministic=True)
    assert violations(instance, proposal) == []
    assert proposal.figures.planned == 1 and proposal.figures.preferred_met == 0


def test_extra_time_decided_ahead_reaches_the_instance_for_the_case_and_the_interview_separately():
    s = with_case(planning_procedure(2))
    special, plain = s.candidates
    request = extra_time_request(special)
    adjustment_decide_ahead(actor=s.officer, request=request, step=CASE, approved=True, extra_minutes=20)
    adjustment_decide_ahead(actor=s.officer, request=request, step=INTERVIEW, approved=True, extra_minutes=10)
    by_id = {c.id: c for c in planning_instance(s.procedure).candidates}
    assert (by_id[special.pk].extra_minutes, by_id[special.pk].interview_extra_minutes) == (20, 10)
    assert (by_id[plain.pk].extra_minutes, by_id[plain.pk].interview_extra_minutes) == (0, 0)
    assert AuditEntry.objects.filter(action="adjustment.decided_ahead", actor=s.officer).count() == 2

    # Without a case only the interview's extra time counts, on the interview.
    s.procedure.pre_stage, s.procedure.pre_stage_minutes = "none", 0
    s.procedure.save()
    by_id = {c.id: c for c in planning_instance(s.procedure).candidates}
    assert (by_id[special.pk].extra_minutes, by_id[special.pk].interview_extra_minutes) == (10, 0)

    # A refusal takes the time back.
    adjustment_decide_ahead(actor=s.officer, request=request, step=INTERVIEW, approved=False)
    by_id = {c.id: c for c in planning_instance(s.procedure).candidates}
    assert by_id[special.pk].extra_minutes == 0


def test_applying_the_plan_gives_the_extra_time_and_copies_the_decisions_onto_the_new_appointments():
    s = with_case(planning_procedure(2))
    special = s.candidates[0]
    request = extra_time_request(special)
    adjustment_decide_ahead(actor=s.officer, request=request, step=CASE, approved=True, extra_minutes=20)
    adjustment_decide_ahead(actor=s.officer, request=request, step=INTERVIEW, approved=True, extra_minutes=10)
    run = services.planning_run_start(actor=s.officer, procedure=s.procedure, time_limit=5)
    services.planning_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.figures["planned"] == 2
    services.proposal_apply(actor=s.officer, run=run)

    case = Appointment.objects.get(candidate=special, kind=CASE)
    interview = Appointment.objects.get(candidate=special, kind=INTERVIEW)
    assert (minutes(case), minutes(interview)) == (30 + 20, 60 + 10)
    assert case.ends_at + dt.timedelta(minutes=15) == interview.starts_at  # the gap stays
    other = Appointment.objects.get(candidate=s.candidates[1], kind=INTERVIEW)
    assert minutes(other) == 60
    copied = AdjustmentDecision.objects.filter(request=request, appointment__isnull=False)
    assert {(d.appointment_id, d.step, d.extra_minutes) for d in copied} == {(case.pk, CASE, 20),
                                                                              (interview.pk, INTERVIEW, 10)}
    assert AuditEntry.objects.filter(action="adjustment.decided", reason="decided before planning").count() == 2
    assert approved_extra_minutes(case) == 20  # the live session's countdown gets it

    # Re-planning keeps them where they are with the same lengths: nothing is added twice.
    by_id = {c.id: c for c in planning_instance(s.procedure).candidates}
    assert (by_id[special.pk].extra_minutes, by_id[special.pk].interview_extra_minutes) == (20, 10)

    # A later decision on the appointment wins over the one made ahead, and changes only the difference.
    adjustment_decide(actor=s.officer, request=request, appointment=interview, approved=True, extra_minutes=5)
    interview.refresh_from_db()
    assert minutes(interview) == 65
    by_id = {c.id: c for c in planning_instance(s.procedure).candidates}
    assert by_id[special.pk].interview_extra_minutes == 5
    # So does a refusal there: the next plan gives the case's time only.
    adjustment_decide(actor=s.officer, request=request, appointment=interview, approved=False)
    by_id = {c.id: c for c in planning_instance(s.procedure).candidates}
    assert (by_id[special.pk].extra_minutes, by_id[special.pk].interview_extra_minutes) == (20, 0)


# --- The officer's page -------------------------------------------------------------------------

def ahead_url(s, request) -> str:
    return reverse("portal:adjustment_decide_ahead", args=[s.procedure.pk, request.pk])


def test_the_officer_decides_extra_time_ahead_on_the_adjustments_page(client):
    s = with_case(planning_procedure(1))
    request = extra_time_request(s.candidates[0])
    client.force_login(s.officer)
    page = client.get(reverse("portal:adjustments_staff", args=[s.procedure.pk])).content.decode()
    assert "Extra time for the next plan" in page and ahead_url(s, request) in page
    assert 'name="step" value="preparation"' in page and 'name="step" value="interview"' in page
    assert AuditEntry.objects.filter(action="adjustment.read", actor=s.officer).count() == 1  # still audited

    response = client.post(ahead_url(s, request), {"step": CASE, "approved": "yes", "extra_minutes": "25",
                                                   "note": "certificate seen"}, follow=True)
    assert "Decision saved. The next plan gives this extra time." in response.content.decode()
    decision = AdjustmentDecision.objects.get(request=request, appointment__isnull=True)
    assert (decision.step, decision.approved, decision.extra_minutes, decision.decided_by) == (
        CASE, True, 25, s.officer)
    assert "+25 min" in response.content.decode()


@pytest.mark.parametrize("data", [
    {"step": CASE, "approved": "yes", "extra_minutes": "999"},
    {"step": Appointment.Kind.CONNECTION_TEST, "approved": "yes", "extra_minutes": "10"},
    {"step": CASE, "approved": "no", "extra_minutes": "10"},
])
def test_bad_input_gets_a_clear_message_and_saves_nothing(client, data):
    s = with_case(planning_procedure(1))
    request = extra_time_request(s.candidates[0])
    client.force_login(s.officer)
    response = client.post(ahead_url(s, request), data, follow=True)
    assert "could not be saved" in response.content.decode() or "only be given with an approval" in \
        response.content.decode()
    assert not AdjustmentDecision.objects.exists()


@pytest.mark.parametrize("who", ["proctor", "chair", "assessor", "outsider"])
def test_other_roles_and_other_procedures_officers_get_404(client, who):
    s = planning_procedure(1)
    request = extra_time_request(s.candidates[0])
    client.force_login(getattr(s, who))
    response = client.post(ahead_url(s, request), {"step": INTERVIEW, "approved": "yes", "extra_minutes": "10"})
    assert response.status_code == 404
    assert client.get(reverse("portal:adjustments_staff", args=[s.procedure.pk])).status_code == 404
    assert not AdjustmentDecision.objects.exists()


def test_a_request_of_another_procedure_is_404_even_for_an_officer(client):
    s, other = planning_procedure(1), planning_procedure(1)
    request = extra_time_request(other.candidates[0])
    client.force_login(s.officer)
    response = client.post(ahead_url(s, request), {"step": INTERVIEW, "approved": "yes", "extra_minutes": "10"})
    assert response.status_code == 404 and not AdjustmentDecision.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    s = planning_procedure(1)
    request = extra_time_request(s.candidates[0])
    response = client.post(ahead_url(s, request), {"step": INTERVIEW, "approved": "yes", "extra_minutes": "10"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not AdjustmentDecision.objects.exists()


def test_the_candidate_reads_the_decision_made_ahead_on_their_page(client):
    s = planning_procedure(1)
    candidate = s.candidates[0]
    request = extra_time_request(candidate)
    adjustment_decide_ahead(actor=s.officer, request=request, step=INTERVIEW, approved=True, extra_minutes=15)
    log_in(client, candidate)
    page = client.get(reverse("portal:adjustments")).content.decode()
    assert "15 minuten extra" in page  # the candidate reads Dutch
