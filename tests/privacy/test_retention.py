"""Retention per procedure: at the moment the period ends, the sweep erases candidates' personal data
and keeps the skeleton and the levels; a dry run lists what it would do and changes nothing."""

import datetime as dt
import io
import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from interviewdesk.assessment.models import Result, SheetRating
from interviewdesk.core.models import AuditEntry
from interviewdesk.core.periodic import registered_sweeps
from interviewdesk.portal.models import AccessToken, AdjustmentRequest
from interviewdesk.privacy import tasks  # noqa: F401  (registers the sweep, as the worker does)
from interviewdesk.privacy.models import CandidateErasure, RetentionPolicy
from interviewdesk.privacy.services.retention import (
    add_months,
    retention_plan,
    retention_state,
    retention_sweep,
)
from interviewdesk.procedures.models import Procedure, Role
from interviewdesk.procedures.services import procedure_set_status
from tests.clock import local
from tests.factories import CandidateFactory, ProcedureFactory, member

from .scenario import PERSONAL, TEXTS, held_candidate

pytestmark = pytest.mark.django_db

CLOSED_AT = local(dt.date(2027, 1, 15), 10, 0)  # a Friday morning, CET
ERASE_AT = local(dt.date(2027, 4, 15), 10, 0)  # three months later, CEST


def dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", "procedures", "scheduling", "messaging", "portal", "live", "assessment", "planning",
                 "core.auditentry", stdout=out)
    return out.getvalue()


@pytest.fixture
def closed(time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(CLOSED_AT - dt.timedelta(days=20), tick=False)
    procedure = ProcedureFactory()
    officer = member(procedure, Role.SELECTION_OFFICER)
    candidate, appointment, _link = held_candidate(procedure, officer)
    other_candidate = CandidateFactory(cv_text="Still open")  # another procedure, still open: never touched
    RetentionPolicy.objects.create(procedure=procedure, months=3)
    time_machine.move_to(CLOSED_AT, tick=False)
    procedure = procedure_set_status(actor=officer, procedure=procedure, to=Procedure.Status.CLOSED)
    return procedure, candidate, appointment, other_candidate


def test_months_are_added_on_the_brussels_calendar():
    assert add_months(CLOSED_AT, 3) == ERASE_AT
    assert add_months(local(dt.date(2027, 1, 31), 9, 0), 1) == local(dt.date(2027, 2, 28), 9, 0)
    assert add_months(local(dt.date(2027, 11, 30), 9, 0), 3) == local(dt.date(2028, 2, 29), 9, 0)


def test_a_minute_before_the_period_ends_nothing_is_due_and_the_sweep_changes_nothing(closed, time_machine):
    procedure, _candidate, _appointment, _other = closed
    assert retention_state(procedure).erase_at == ERASE_AT
    time_machine.move_to(ERASE_AT - dt.timedelta(minutes=1), tick=False)
    before = dump()
    assert retention_plan() == []
    assert retention_sweep() == []
    assert dump() == before


def test_the_dry_run_lists_counts_and_writes_nothing(closed, time_machine):
    procedure, _candidate, _appointment, _other = closed
    time_machine.move_to(ERASE_AT + dt.timedelta(minutes=1), tick=False)
    before = dump()
    out = io.StringIO()
    call_command("retention_sweep", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"procedure #{procedure.pk} {procedure.reference}" in text and "1 candidate(s) would be erased" in text
    assert "candidates:" in text and "files:" in text and "audit_values:" in text and "Dry run" in text
    assert dump() == before
    [(state, count, counts)] = retention_plan()
    assert state.procedure == procedure and count == 1 and counts["files"] == 1 and counts["links"] == 1


def test_a_minute_after_the_period_ends_the_sweep_erases_personal_data_and_keeps_the_levels(closed, time_machine,
                                                                                            django_capture_on_commit_callbacks):
    procedure, candidate, appointment, other_candidate = closed
    certificate = AdjustmentRequest.objects.get(candidate=candidate).certificate.path
    other_email = other_candidate.email
    levels_before = sorted(SheetRating.objects.filter(sheet__appointment=appointment).values_list("level_id", flat=True))
    result_before = Result.objects.values("final_pct", "passed", "status").get(appointment=appointment)
    assert PERSONAL["email"] in dump() and os.path.exists(certificate)

    time_machine.move_to(ERASE_AT + dt.timedelta(minutes=1), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        [(swept, erased, _counts)] = retention_sweep()
    assert swept == procedure and erased == 1

    candidate.refresh_from_db()
    assert (candidate.first_name, candidate.last_name, candidate.phone, candidate.cv_text, candidate.motivation,
            candidate.date_of_birth) == ("", f"#{candidate.pk}", "", "", "", None)
    assert candidate.email.endswith("@erased.invalid")
    other_candidate.refresh_from_db()  # the open procedure's candidate is untouched
    assert (other_candidate.email, other_candidate.cv_text) == (other_email, "Still open")
    assert not os.path.exists(certificate)
    assert not AccessToken.objects.filter(candidate=candidate).exists()
    assert not SheetRating.objects.filter(sheet__appointment=appointment).exclude(situation="").exists()
    assert sorted(SheetRating.objects.filter(sheet__appointment=appointment)
                  .values_list("level_id", flat=True)) == levels_before
    assert Result.objects.values("final_pct", "passed", "status").get(appointment=appointment) == result_before
    # The audit trail keeps who did what, without the values: the e-mail change is still there.
    change = AuditEntry.objects.get(action="candidate.updated", object_id=str(candidate.pk))
    assert change.actor is not None and change.changes == {"email": [None, None]}
    swept_entry = AuditEntry.objects.get(action="procedure.retention_erase")
    assert swept_entry.actor_label == "worker" and swept_entry.changes["candidates"] == [None, 1]
    assert CandidateErasure.objects.get(candidate=candidate).cause == "retention"
    # Idempotent: nothing more to do.
    assert retention_sweep() == []


def test_no_personal_value_of_the_erased_candidate_is_left_anywhere(closed, time_machine):
    _procedure, _candidate, _appointment, _other_candidate = closed
    time_machine.move_to(ERASE_AT + dt.timedelta(minutes=1), tick=False)
    retention_sweep()
    rows = dump()
    for value in [*PERSONAL.values(), *TEXTS, "first.address@example.net", "Beste Wilhelmina", "Chrome 131"]:
        assert value not in rows, value


def test_a_reopened_procedure_is_not_due_and_counts_again_from_its_new_closure(closed, time_machine):
    procedure, _candidate, _appointment, _other = closed
    officer = procedure.memberships.get(role=Role.SELECTION_OFFICER).user
    time_machine.move_to(CLOSED_AT + dt.timedelta(days=30), tick=False)
    procedure = procedure_set_status(actor=officer, procedure=procedure, to=Procedure.Status.OPEN,
                                     reason="appeal upheld")
    time_machine.move_to(ERASE_AT + dt.timedelta(days=1), tick=False)
    assert retention_sweep() == []
    procedure = procedure_set_status(actor=officer, procedure=procedure, to=Procedure.Status.CLOSED)
    assert retention_state(procedure).erase_at == add_months(timezone.now(), 3)
    assert retention_plan() == []


def test_the_worker_runs_the_sweep(closed, time_machine):
    _procedure, candidate, _appointment, _other = closed
    [sweep] = [s for s in registered_sweeps() if s.name.endswith("retention_erase_sweep")]
    time_machine.move_to(ERASE_AT + dt.timedelta(hours=1), tick=False)
    sweep.func()
    assert CandidateErasure.objects.filter(candidate=candidate).exists()


def test_the_real_run_of_the_command_is_audited(closed, time_machine):
    _procedure, _candidate, _appointment, _other = closed
    time_machine.move_to(ERASE_AT + dt.timedelta(minutes=1), tick=False)
    out = io.StringIO()
    call_command("retention_sweep", stdout=out)
    assert "1 candidate(s) erased" in out.getvalue()
    assert AuditEntry.objects.get(action="procedure.retention_erase").actor_label == "command"
