"""Moving an item of a proposal by hand keeps the planner's hard rules (check.broken_rules):
each broken rule is refused with its own message, and nothing is saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from interviewdesk.core.models import AuditEntry
from interviewdesk.planning import services
from interviewdesk.planning.models import PlanningRun, ProposalItem
from interviewdesk.procedures.models import CandidateUnavailability, HalfDay, JuryMember, StaffAvailability
from tests.factories import jury_with_members

from .helpers import planning_procedure, working_days_from

pytestmark = pytest.mark.django_db


def _run(s) -> PlanningRun:
    run = services.planning_run_start(actor=s.officer, procedure=s.procedure, time_limit=5)
    services.planning_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == PlanningRun.Status.DONE
    return run


def _at(day: dt.date, clock: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.fromisoformat(clock)))


def _refused(s, item: ProposalItem, *, day: dt.date, clock: str, jury=None) -> list[str]:
    before = ProposalItem.objects.filter(pk=item.pk).values().get()
    with pytest.raises(ValidationError) as refused:
        services.proposal_item_move(actor=s.officer, item=item, jury=jury or s.jury, starts_at=_at(day, clock))
    assert ProposalItem.objects.filter(pk=item.pk).values().get() == before  # nothing saved
    assert not AuditEntry.objects.filter(action="proposal_item.moved").exists()
    return refused.value.messages


def _long(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def test_a_french_candidate_cannot_be_moved_to_a_dutch_only_jury():
    s = planning_procedure(candidates=1, languages=("fr",))
    assessors = [m.user for m in JuryMember.objects.filter(jury=s.jury, role="assessor")]
    dutch = jury_with_members(s.procedure, chair=s.chair, assessors=assessors)
    dutch.languages, dutch.name = ["nl"], "Jury NL"
    dutch.save()
    item = _run(s).items.get()
    messages = _refused(s, item, day=s.days[1], clock="09:00", jury=dutch)
    assert messages == ["The candidate speaks French; jury Jury NL does not take French."]


def test_a_move_to_a_half_day_the_jury_does_not_sit_is_refused():
    s = planning_procedure(candidates=1)
    StaffAvailability.objects.filter(procedure=s.procedure, user=s.chair, date=s.days[1],
                                     part=HalfDay.AFTERNOON).update(available=False)
    item = _run(s).items.get()
    messages = _refused(s, item, day=s.days[1], clock="14:00")
    assert messages == [f"Jury {s.jury.name} does not sit on {_long(s.days[1])} in the afternoon: not all its "
                        "members are available."]


def test_a_move_to_a_half_day_the_candidate_cannot_come_is_refused():
    s = planning_procedure(candidates=1)
    CandidateUnavailability.objects.create(candidate=s.candidates[0], date=s.days[2], part=HalfDay.MORNING,
                                           reason="work")
    item = _run(s).items.get()
    messages = _refused(s, item, day=s.days[2], clock="10:00")
    assert messages == [f"The candidate said they cannot come on {_long(s.days[2])} in the morning."]


def test_a_move_beyond_the_jurys_daily_maximum_is_refused():
    s = planning_procedure(candidates=3)
    s.procedure.max_interviews_per_jury_day = 2
    s.procedure.save()
    run = _run(s)
    first_day = [i for i in run.items.all() if timezone.localtime(i.starts_at).date() == s.days[0]]
    assert len(first_day) == 2
    later = run.items.exclude(pk__in=[i.pk for i in first_day]).get()
    messages = _refused(s, later, day=s.days[0], clock="15:30")
    assert f"Jury {s.jury.name} would hold 3 interviews on {_long(s.days[0])}; its daily maximum is 2." in messages


@pytest.mark.parametrize("clock, end", [("12:00", "13:15"), ("08:30", "09:45"), ("16:00", "17:15")])
def test_a_move_across_lunch_or_outside_the_day_window_is_refused(clock, end):
    s = planning_procedure(candidates=1)
    item = _run(s).items.get()
    lo, hi = ("09:00", "12:30") if clock < "12:30" else ("13:30", "17:00")
    messages = _refused(s, item, day=s.days[1], clock=clock)
    assert f"From {clock} to {end} (case, interview and the jury's scoring time) does not fit between {lo} and " \
           f"{hi}, the day's window and its lunch break." in messages


def test_a_move_onto_an_interview_of_the_same_jury_is_refused():
    s = planning_procedure(candidates=2)
    run = _run(s)
    first, second = run.items.order_by("starts_at")
    local = timezone.localtime(first.starts_at)
    messages = _refused(s, second, day=local.date(), clock=local.strftime("%H:%M"))
    assert f"Jury {s.jury.name} already holds another interview then (with its scoring time)." in messages


def test_a_move_too_far_from_its_connection_test_is_refused_saying_which_days_fit():
    s = planning_procedure(candidates=1)
    # A longer window: its last days are more than six working days after the first day's test.
    days = working_days_from(s.days[0], 9)
    s.procedure.last_interview_day = days[-1]
    s.procedure.save()
    people = [m.user for m in JuryMember.objects.filter(jury=s.jury)] + [s.proctor]
    StaffAvailability.objects.bulk_create([
        StaffAvailability(procedure=s.procedure, user=user, date=day, part=part, available=True)
        for user in people for day in days[3:] for part in HalfDay.values])
    item = _run(s).items.get()
    assert timezone.localtime(item.starts_at).date() == s.days[0]
    test_day = timezone.localtime(item.test_starts_at).date()
    messages = _refused(s, item, day=days[-1], clock="09:00")
    assert len(messages) == 1
    assert messages[0].startswith(f"Their connection test on {_long(test_day)} does not fit an interview on "
                                  f"{_long(days[-1])}: it must be on ")
    assert messages[0].endswith("Choose a day that fits the test, or take the candidate's pin off and re-run the "
                                "planner to plan a new test.")


def test_a_move_that_keeps_every_rule_is_saved_pinned_and_audited():
    s = planning_procedure(candidates=2)
    run = _run(s)
    item = run.items.order_by("starts_at").first()
    services.proposal_item_move(actor=s.officer, item=item, jury=s.jury, starts_at=_at(s.days[1], "14:00"))
    item.refresh_from_db()
    assert timezone.localtime(item.starts_at) == _at(s.days[1], "14:00")
    assert item.ends_at - item.starts_at == dt.timedelta(minutes=60)
    assert item.pinned and item.proctor_id == s.proctor.pk
    assert AuditEntry.objects.filter(action="proposal_item.moved").count() == 1


def test_the_move_page_shows_each_broken_rule_in_the_officers_language(client):
    s = planning_procedure(candidates=1)
    item = _run(s).items.get()
    client.force_login(s.officer)
    url = reverse("planning:item_move", args=[s.procedure.pk, item.run_id, item.pk])
    page = client.post(url, {"jury": s.jury.pk, "day": s.days[1].isoformat(), "start": "12:00"},
                       HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "From 12:00 to 13:15" not in page
    assert "12:00" in page and "13:15" in page and "middagpauze" in page
    item.refresh_from_db()
    assert not item.pinned


def test_moving_an_interview_that_exists_moves_it_on_apply():
    s = planning_procedure(candidates=1)
    services.proposal_apply(actor=s.officer, run=_run(s))
    run = _run(s)
    item = run.items.get()
    assert item.appointment_id is not None and not item.moved
    services.proposal_item_move(actor=s.officer, item=item, jury=s.jury, starts_at=_at(s.days[1], "14:00"))
    item.refresh_from_db()
    assert item.moved
    services.proposal_apply(actor=s.officer, run=run)
    item.appointment.refresh_from_db()
    assert timezone.localtime(item.appointment.starts_at) == _at(s.days[1], "14:00")
