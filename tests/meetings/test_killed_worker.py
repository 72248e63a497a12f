"""A worker that dies with meetings claimed (one after Graph already made it, one before the call):
the sweep finishes both, after the claim timeout for a claim made outside a worker process, within
about a minute for a worker process whose heartbeat stopped; no meeting is made twice and none is
missing. (tests/meetings/test_killed_worker_process.py kills a real worker process.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from interviewdesk.core.models import WorkerHeartbeat
from interviewdesk.core.workers import ABANDONED_AFTER
from interviewdesk.meetings import services
from interviewdesk.meetings.models import Meeting
from interviewdesk.meetings.providers import PROVIDERS
from tests.factories import ProcedureFactory
from tests.meetings.conftest import use_teams
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db


def test_a_dead_workers_claims_come_back_and_no_meeting_is_duplicated_or_lost(graph, working_day_morning,
                                                                              time_machine):
    procedure = ProcedureFactory()
    use_teams(procedure)
    appointments = [planned_interview(procedure=procedure, starts_at=working_day_morning + dt.timedelta(days=1, hours=h),
                                      ends_at=working_day_morning + dt.timedelta(days=1, hours=h, minutes=45))
                    for h in (1, 2, 3)]
    made_then_died, died_before, untouched = (Meeting.objects.get(links__appointment=a) for a in appointments)

    # The dying process (no worker heartbeat: a claim made outside a worker) claimed two rows; Graph
    # made the first meeting, then the process was killed.
    dead_claim = services._claim(made_then_died.pk, "")
    assert dead_claim and services._claim(died_before.pk, "")
    PROVIDERS["teams"].create_or_get(services._spec(made_then_died))
    assert len(graph.meetings) == 1

    # Another worker's sweep leaves rows whose claim is still fresh alone.
    assert services.meetings_work_due() == 1
    untouched.refresh_from_db()
    assert untouched.state == Meeting.State.READY
    # After the claim timeout, the sweep takes the dead worker's rows again.
    time_machine.move_to(timezone.now() + services.CLAIM_TIMEOUT + dt.timedelta(seconds=1), tick=False)
    assert services.meetings_work_due() == 2

    rows = list(Meeting.objects.filter(procedure=procedure))
    assert {m.state for m in rows} == {Meeting.State.READY}
    assert sorted(m.provider_id for m in rows) == sorted(graph.meetings)  # one Graph meeting per row
    assert len(graph.meetings) == 3
    externals = [r.body["externalId"] for r in graph.graph_calls("POST")]
    assert externals.count(made_then_died.external_id) == 2  # asked twice, made once
    # The late answer of the dead worker, were it to arrive now, is not recorded over the new one.
    with transaction.atomic():
        assert services._locked_if_still_ours(made_then_died, dead_claim) is None


def test_the_claims_of_a_worker_whose_heartbeat_stopped_come_back_within_a_minute(graph, working_day_morning,
                                                                                   time_machine):
    procedure = ProcedureFactory()
    use_teams(procedure)
    appointments = [planned_interview(procedure=procedure, starts_at=working_day_morning + dt.timedelta(days=1, hours=h),
                                      ends_at=working_day_morning + dt.timedelta(days=1, hours=h, minutes=45))
                    for h in (1, 2)]
    of_the_dead, of_the_living = (Meeting.objects.get(links__appointment=a) for a in appointments)
    start = timezone.now()
    WorkerHeartbeat.objects.create(name="host-dead", last_seen=start)
    beat = WorkerHeartbeat.objects.create(name="host-alive", last_seen=start)
    assert services._claim(of_the_dead.pk, "host-dead") and services._claim(of_the_living.pk, "host-alive")
    assert services.meetings_work_due() == 0  # both workers beat

    # host-dead was killed right after its beat; host-alive goes on beating.
    for seconds in (10, 20, 30):
        time_machine.move_to(start + dt.timedelta(seconds=seconds), tick=False)
        WorkerHeartbeat.objects.filter(pk=beat.pk).update(last_seen=timezone.now())
        assert services.meetings_work_due() == 0, seconds  # three missed beats are not yet a death
    time_machine.move_to(start + ABANDONED_AFTER + dt.timedelta(seconds=1), tick=False)
    WorkerHeartbeat.objects.filter(pk=beat.pk).update(last_seen=timezone.now())
    assert services.meetings_work_due() == 1  # long before the five-minute claim timeout
    of_the_dead.refresh_from_db(), of_the_living.refresh_from_db()
    assert of_the_dead.state == Meeting.State.READY and (of_the_dead.claimed_by, of_the_dead.claim_token) == ("", "")
    assert of_the_living.state == Meeting.State.PENDING and of_the_living.claimed_by == "host-alive"
    assert len(graph.meetings) == 1
