"""From `make demo` to a proposal: the demo procedures have a planning window, staff
availability and rooms, so the officer can run the planner on them and apply what it proposes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from interviewdesk.core.models import User
from interviewdesk.demo.loading import demo_load
from interviewdesk.planning import services
from interviewdesk.planning.check import violations
from interviewdesk.planning.instance import TestSlot as PlannedTest
from interviewdesk.planning.models import PlanningRun
from interviewdesk.planning.proposal import Figures, Item, Proposal
from interviewdesk.planning.selectors import planning_instance
from interviewdesk.procedures.models import Procedure
from interviewdesk.scheduling.models import Appointment

pytestmark = pytest.mark.django_db


def _local(value):
    local = timezone.localtime(value)
    return local.date(), local.hour * 60 + local.minute


def as_proposal(run: PlanningRun) -> Proposal:
    """The stored proposal back as the planner's plain data, for the checker."""
    items = []
    for row in run.items.all():
        day, start = _local(row.starts_at)
        case_start = _local(row.case_starts_at)[1] if row.case_starts_at else None
        case_end = _local(row.case_ends_at)[1] if row.case_ends_at else None
        test = None
        if row.test_starts_at:
            test_day, test_start = _local(row.test_starts_at)
            test = PlannedTest(row.test_proctor_id, test_day, test_start, _local(row.test_ends_at)[1])
        items.append(Item(candidate=row.candidate_id, jury=row.jury_id, day=day, start=start,
                          end=_local(row.ends_at)[1], case_start=case_start, case_end=case_end,
                          proctor=row.proctor_id, room=row.room_id, test=test, pinned=row.pinned, moved=row.moved))
    return Proposal(items=items, unplanned={}, figures=Figures(planned=run.figures["planned"]))


def interviewed(procedure) -> set[int]:
    return set(Appointment.objects.filter(procedure=procedure, kind=Appointment.Kind.INTERVIEW)
               .exclude(status=Appointment.Status.CANCELLED).values_list("candidate_id", flat=True))


@pytest.mark.parametrize("reference", ["ANG25123", "AFG25124"])
def test_the_officer_plans_the_demo_procedure_and_applies_a_valid_proposal(client, reference):
    demo_load()
    procedure = Procedure.objects.get(reference=reference)
    officer = User.objects.get(username="officer")
    before = interviewed(procedure)
    waiting = set(procedure.candidates.values_list("id", flat=True)) - before
    assert waiting

    client.force_login(officer)
    assert client.get(reverse("planning:home", args=[procedure.pk])).status_code == 200
    instance = planning_instance(procedure)
    assert instance.days and instance.juries and instance.proctors
    run = services.planning_run_start(actor=officer, procedure=procedure, time_limit=10)
    services.planning_run_execute(run_id=run.pk)  # what the worker does
    run.refresh_from_db()
    assert run.status == PlanningRun.Status.DONE

    proposal = as_proposal(run)
    planned = {item.candidate for item in proposal.items}
    assert planned and planned <= waiting  # it places candidates still waiting, and moves nobody
    assert not any(item.moved for item in proposal.items)
    assert violations(instance, proposal) == []
    assert client.get(reverse("planning:run", args=[procedure.pk, run.pk])).status_code == 200

    counts = services.proposal_apply(actor=officer, run=run)
    assert counts["moved"] == 0 and counts["created"] >= len(planned)
    assert interviewed(procedure) == before | planned
