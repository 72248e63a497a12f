"""Re-runs: a pin that no longer fits is named with its reason; a candidate taken out stays out of
every re-run until the officer puts them back."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from interviewdesk.core.models import AuditEntry
from interviewdesk.planning import services
from interviewdesk.planning.models import PlanningRun
from interviewdesk.procedures.models import CandidateUnavailability, HalfDay

from .helpers import planning_procedure

pytestmark = pytest.mark.django_db


def _run(s, based_on=None) -> PlanningRun:
    run = services.planning_run_start(actor=s.officer, procedure=s.procedure, time_limit=5, based_on=based_on)
    services.planning_run_execute(run_id=run.pk)
    run.refresh_from_db()
    return run


def test_a_rerun_whose_pin_no_longer_fits_names_the_candidate_and_the_reason(client):
    s = planning_procedure(candidates=2)
    run = _run(s)
    item = run.items.order_by("starts_at").first()
    services.proposal_item_adjust(actor=s.officer, item=item, pinned=True)
    local = timezone.localtime(item.starts_at)
    part = HalfDay.MORNING if local.hour < 12 else HalfDay.AFTERNOON
    # Meanwhile the candidate said they cannot come then.
    CandidateUnavailability.objects.create(candidate=item.candidate, date=local.date(), part=part, reason="work")
    again = _run(s, based_on=run)
    assert again.status == PlanningRun.Status.FAILED
    client.force_login(s.officer)
    half = "morning" if part == HalfDay.MORNING else "afternoon"
    for url in (reverse("planning:run", args=[s.procedure.pk, again.pk]),
                reverse("planning:progress", args=[s.procedure.pk, again.pk])):
        page = client.get(url).content.decode()
        assert (f"The pinned interview of {item.candidate.last_name}, {item.candidate.first_name} no longer fits, "
                "so the planner could not run around it:") in page
        assert f"The candidate said they cannot come on {date_format(local.date(), 'DATE_FORMAT')} in the {half}." \
            in page
        assert item.candidate.email not in page
        assert "The planner stopped with an error" not in page


def test_a_candidate_taken_out_stays_out_across_reruns_until_put_back(client):
    s = planning_procedure(candidates=3)
    first = _run(s)
    out = first.items.order_by("starts_at").first()
    services.proposal_item_adjust(actor=s.officer, item=out.__class__.objects.get(pk=out.pk), removed=True)
    second = _run(s, based_on=first)
    third = _run(s, based_on=second)
    for run in (second, third):
        assert run.status == PlanningRun.Status.DONE
        assert not run.items.filter(candidate=out.candidate).exists()
        assert run.taken_out == [out.candidate_id]
        assert run.items.count() == 2
    client.force_login(s.officer)
    url = reverse("planning:run", args=[s.procedure.pk, third.pk])
    page = client.get(url).content.decode()
    name = f"{out.candidate.last_name}, {out.candidate.first_name}"
    taken_out = page[page.index('id="taken-out"'):page.index('id="unplanned"')]
    assert name in taken_out
    assert reverse("planning:put_back", args=[s.procedure.pk, third.pk]) in taken_out
    assert client.get(reverse("planning:apply", args=[s.procedure.pk, third.pk])).content.decode().count(
        "1 candidate you took out is left as is.") == 1

    response = client.post(reverse("planning:put_back", args=[s.procedure.pk, third.pk]),
                           {"candidate": out.candidate_id})
    assert response.status_code == 302
    third.refresh_from_db()
    assert third.taken_out == []
    assert AuditEntry.objects.filter(action="proposal.put_back", object_id=str(third.pk)).count() == 1
    page = client.get(url).content.decode()
    unplanned = page[page.index('id="unplanned"'):]
    assert f"{name}: put back by you: the next re-run plans them" in unplanned
    fourth = _run(s, based_on=third)
    assert fourth.items.filter(candidate=out.candidate, removed=False).exists()
    assert fourth.taken_out == []


def test_putting_back_in_the_proposal_it_was_taken_out_of_restores_its_item(client):
    s = planning_procedure(candidates=2)
    run = _run(s)
    item = run.items.first()
    services.proposal_item_adjust(actor=s.officer, item=item, removed=True)
    client.force_login(s.officer)
    page = client.get(reverse("planning:run", args=[s.procedure.pk, run.pk])).content.decode()
    assert f"{item.candidate.last_name}, {item.candidate.first_name}" in page[page.index('id="taken-out"'):]
    client.post(reverse("planning:put_back", args=[s.procedure.pk, run.pk]), {"candidate": item.candidate_id})
    item.refresh_from_db()
    assert not item.removed
    assert AuditEntry.objects.filter(action="proposal_item.adjusted").count() == 2


def test_putting_back_someone_not_taken_out_is_refused_with_a_message(client):
    s = planning_procedure(candidates=1)
    run = _run(s)
    client.force_login(s.officer)
    response = client.post(reverse("planning:put_back", args=[s.procedure.pk, run.pk]),
                           {"candidate": s.candidates[0].pk}, follow=True)
    assert "This candidate is not taken out of the proposal." in response.content.decode()
    assert not AuditEntry.objects.filter(action="proposal.put_back").exists()
