"""Bulk send (idempotent, resumable, with progress), reminders, the at-risk list, the command."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command

from interviewdesk.messaging.models import BulkSend, Invitation, Message
from interviewdesk.messaging.selectors import at_risk
from interviewdesk.messaging.services import bulk
from interviewdesk.messaging.services.delivery import deliver_due, message_deliver
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.messaging.services.reminders import reminders_queue
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_cancel, appointment_set_status, appointment_update
from tests.factories import CandidateFactory, ProcedureFactory
from tests.messaging.conftest import planned_interview
from tests.portal.test_link_lifetime import delivered_links

pytestmark = pytest.mark.django_db


def procedure_with(n: int):
    procedure = ProcedureFactory()
    appointments = [planned_interview(procedure=procedure, candidate=CandidateFactory(procedure=procedure))
                    for _ in range(n)]
    return procedure, appointments


def test_a_bulk_send_invites_every_pending_candidate_once_and_a_second_click_sends_nothing(smtp):
    procedure, appointments = procedure_with(3)
    run, created = bulk.bulk_send_start(procedure=procedure)
    again, created_again = bulk.bulk_send_start(procedure=procedure)
    assert (created, created_again, again.pk) == (True, False, run.pk)
    assert run.total == 3

    bulk.bulk_send_run(run_id=run.pk)
    second, _ = bulk.bulk_send_start(procedure=procedure)
    bulk.bulk_send_run(run_id=second.pk)
    assert second.total == 0
    deliver_due()

    candidates = sorted(a.candidate.email for a in appointments)
    received = sorted(rcpt[0] for rcpt, mail in smtp.received if mail["Subject"].startswith("Uitnodiging"))
    assert received == candidates
    run.refresh_from_db()
    assert bulk.bulk_progress(run) == {"queued": 0, "sent": 3, "failed": 0, "total": 3, "done": 3,
                                       "finished": True, "percent": 100}


def test_a_bulk_send_that_stopped_half_way_resumes_with_the_rest():
    procedure, _appointments = procedure_with(4)
    run, _ = bulk.bulk_send_start(procedure=procedure)
    assert bulk.bulk_send_step(run=run, limit=2) == 2  # then the worker died
    assert bulk.bulk_progress(run)["queued"] == 2

    bulk.bulk_send_run(run_id=run.pk)
    assert Message.objects.filter(kind="invitation").count() == 4
    assert set(Appointment.objects.values_list("status", flat=True)) == {"invited"}
    run.refresh_from_db()
    assert run.finished_at is not None


def test_a_candidate_with_two_appointments_gets_one_personal_link_for_both(smtp):
    procedure, [interview] = procedure_with(1)
    test = Appointment.objects.create(procedure=procedure, candidate=interview.candidate,
                                      kind=Appointment.Kind.CONNECTION_TEST,
                                      starts_at=interview.starts_at - dt.timedelta(hours=3),
                                      ends_at=interview.starts_at - dt.timedelta(hours=2, minutes=45))
    run, _ = bulk.bulk_send_start(procedure=procedure)
    bulk.bulk_send_run(run_id=run.pk)
    deliver_due()
    links = delivered_links(smtp, interview.candidate.email)
    assert len(links) == 2 and len(set(links)) == 1
    assert test.candidate.access_tokens.filter(revoked_at__isnull=True).count() == 1


def group_tasks(run) -> list[list[int]]:
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(task_path="interviewdesk.messaging.tasks.run_bulk_group")
    return [row.args_kwargs["args"][1] for row in rows if row.args_kwargs["args"][0] == run.pk]


def test_the_run_is_split_into_group_tasks_that_any_worker_can_take_and_the_last_group_finishes_it(monkeypatch):
    monkeypatch.setattr(bulk, "GROUP_SIZE", 2)
    procedure, appointments = procedure_with(5)
    run, _ = bulk.bulk_send_start(procedure=procedure)
    assert bulk.bulk_send_split(run_id=run.pk) == 3
    groups = group_tasks(run)
    assert sorted(len(g) for g in groups) == [1, 2, 2]
    assert sorted(c for g in groups for c in g) == sorted(a.candidate_id for a in appointments)

    for group in reversed(groups):  # workers finish groups in any order
        run.refresh_from_db()
        assert run.finished_at is None
        assert bulk.bulk_send_group(run_id=run.pk, candidate_ids=group) == len(group)
    run.refresh_from_db()
    assert run.finished_at is not None
    assert bulk.bulk_send_group(run_id=run.pk, candidate_ids=groups[0]) == 0  # a group task run twice
    per_candidate = Counter(Message.objects.filter(kind="invitation").values_list("candidate_id", flat=True))
    assert sorted(per_candidate) == sorted(a.candidate_id for a in appointments)
    assert set(per_candidate.values()) == {1}
    assert bulk.bulk_progress(run)["total"] == 5


def test_a_run_with_nothing_pending_is_finished_by_its_split():
    procedure = ProcedureFactory()
    run, _ = bulk.bulk_send_start(procedure=procedure)
    assert bulk.bulk_send_split(run_id=run.pk) == 0
    run.refresh_from_db()
    assert run.finished_at is not None


def test_a_bulk_step_costs_the_same_number_of_queries_whatever_the_size_of_the_group(django_assert_max_num_queries):
    """A group's new rows (links, invitations, messages, audit entries) are written with one INSERT
    per table, and its appointments become "invited" with one UPDATE."""
    counts = {}
    for n in (1, 2, 6):  # (the first one warms the room-deadline cache)
        procedure, _appointments = procedure_with(n)
        run, _ = bulk.bulk_send_start(procedure=procedure)
        with django_assert_max_num_queries(100) as captured:
            assert bulk.bulk_send_step(run=run) == n
        counts[n] = len(captured.captured_queries)
    assert counts[6] == counts[2]


def test_a_bulk_send_audits_each_link_status_and_invitation_with_the_ids_of_the_new_rows(django_user_model):
    from interviewdesk.core.models import AuditEntry

    officer = django_user_model.objects.create_user("officer-bulk", password="x" * 12)
    procedure, appointments = procedure_with(2)
    run, _ = bulk.bulk_send_start(procedure=procedure, actor=officer)
    bulk.bulk_send_run(run_id=run.pk)
    entries = AuditEntry.objects.filter(procedure_id=procedure.pk, actor=officer)
    tokens = {str(pk) for a in appointments for pk in a.candidate.access_tokens.values_list("pk", flat=True)}
    assert set(entries.filter(action="access_link.issued").values_list("object_id", flat=True)) == tokens
    assert len(tokens) == 2
    for action in ("appointment.status", "invitation.sent"):
        assert sorted(entries.filter(action=action).values_list("object_id", flat=True)) == sorted(
            str(a.pk) for a in appointments)
    assert set(entries.filter(action="appointment.status").values_list("to_state", flat=True)) == {"invited"}


def invited_at(days_before: int):
    appointment = planned_interview()
    invitation_send(appointment=appointment)
    sent = appointment.starts_at - dt.timedelta(days=days_before)
    Invitation.objects.filter(appointment=appointment).update(created_at=sent, version_sent_at=sent)
    return appointment


def test_reminders_go_out_three_days_and_one_day_before_once_each():
    appointment = invited_at(10)
    start = appointment.starts_at
    assert reminders_queue(now=start - dt.timedelta(days=4)) == []
    assert len(reminders_queue(now=start - dt.timedelta(days=2, hours=23))) == 1
    assert reminders_queue(now=start - dt.timedelta(days=2)) == []
    assert len(reminders_queue(now=start - dt.timedelta(hours=23))) == 1
    assert reminders_queue(now=start - dt.timedelta(hours=1)) == []
    keys = sorted(Message.objects.filter(kind="reminder").values_list("dedupe_key", flat=True))
    assert keys == [f"reminder:{appointment.pk}:1:0", f"reminder:{appointment.pk}:3:0"]


def test_no_reminder_for_a_cancelled_appointment():
    appointment = invited_at(10)
    appointment_cancel(actor=None, appointment=appointment)
    assert reminders_queue(now=appointment.starts_at - dt.timedelta(hours=23)) == []


def test_a_reminder_queued_before_a_move_is_not_sent(smtp):
    appointment = invited_at(10)
    [reminder] = reminders_queue(now=appointment.starts_at - dt.timedelta(hours=23))
    new_start = appointment.starts_at + dt.timedelta(hours=2)
    appointment_update(actor=None, appointment=appointment, starts_at=new_start,
                       ends_at=new_start + dt.timedelta(hours=1))

    assert message_deliver(message_id=reminder.pk) == "failed"
    reminder.refresh_from_db()
    assert reminder.last_error == "not sent: the appointment was cancelled or moved"
    assert not any(m["Subject"].startswith("Herinnering") for _r, m in smtp.received)


def test_reminder_days_are_configurable(settings):
    settings.REMINDER_DAYS_BEFORE = [5]
    appointment = invited_at(10)
    assert len(reminders_queue(now=appointment.starts_at - dt.timedelta(days=4, hours=23))) == 1
    assert reminders_queue(now=appointment.starts_at - dt.timedelta(hours=23)) == []


def test_the_at_risk_list_names_what_is_wrong_from_24_hours_before():
    procedure = ProcedureFactory()
    not_sent = planned_interview(procedure=procedure, candidate=CandidateFactory(procedure=procedure))
    not_accepted = planned_interview(procedure=procedure, candidate=CandidateFactory(procedure=procedure,
                                                                                     phone="12"))
    invitation_send(appointment=not_accepted)
    failed = planned_interview(procedure=procedure, candidate=CandidateFactory(procedure=procedure))
    invitation_send(appointment=failed)
    Message.objects.filter(appointment=failed, kind="invitation").update(state="failed", last_error="550 no user")
    fine = planned_interview(procedure=procedure, candidate=CandidateFactory(procedure=procedure))
    invitation_send(appointment=fine)
    Message.objects.filter(appointment=fine).update(state="sent")
    appointment_set_status(actor=None, appointment=fine, to=Appointment.Status.CONFIRMED)

    now = not_sent.starts_at - dt.timedelta(hours=23)
    rows = {row.appointment.pk: row.reasons for row in at_risk(procedure, now=now)}
    assert rows == {
        not_sent.pk: ["invitation not sent"],
        not_accepted.pk: ["invitation not delivered yet", "not accepted", "no valid phone number"],
        failed.pk: ["invitation failed: 550 no user", "not accepted"],
    }
    assert at_risk(procedure, now=not_sent.starts_at - dt.timedelta(hours=25)) == []


def test_the_command_queues_the_pending_invitations_of_a_procedure(settings):
    settings.EMAIL_HOST = ""
    procedure, _appointments = procedure_with(2)
    call_command("send_pending_invitations", "--procedure", procedure.reference, "--deliver", stdout=io.StringIO())
    assert Message.objects.filter(kind="invitation", state="sent").count() == 2
    assert len(list(settings.MAIL_DIR.glob("*-invitation.eml"))) == 2
    assert BulkSend.objects.get().finished_at is not None


def test_the_sweep_continues_only_a_bulk_send_that_stopped_moving(time_machine):
    from django.utils import timezone

    from interviewdesk.messaging.tasks import bulk_sweep

    time_machine.move_to(timezone.now())
    procedure, _appointments = procedure_with(3)
    run, _ = bulk.bulk_send_start(procedure=procedure)
    bulk.bulk_send_step(run=run, limit=1)
    assert bulk_sweep() == 0  # its worker is still busy with it
    time_machine.shift(dt.timedelta(minutes=3))
    assert bulk_sweep() == 1
    run.refresh_from_db()
    assert run.finished_at is not None
    assert Message.objects.filter(kind="invitation").count() == 3
