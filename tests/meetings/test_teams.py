"""Teams meetings through Microsoft Graph, against the local fake Graph server (tests/meetings/fake_graph.py):
what the product sends, idempotent retries, moves, cancellations, throttling and failures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from interviewdesk.meetings.models import Meeting, Scope
from interviewdesk.meetings.selectors import failed_meetings, links_for, meeting_counts, waiting_appointments
from interviewdesk.meetings.services import meeting_work, meetings_retry, meetings_work_due
from interviewdesk.messaging.models import Message
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.scheduling.services import appointment_cancel, appointment_plan, appointment_update
from tests.factories import AppointmentFactory, CandidateFactory, ProcedureFactory
from tests.meetings.conftest import use_teams
from tests.meetings.fake_graph import ORGANIZER
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db

SETTINGS = {
    "lobbyBypassSettings": {"scope": "organizer", "isDialInBypassEnabled": False},
    "allowedPresenters": "organizer",
    "recordAutomatically": False,
    "allowRecording": False,
    "allowTranscription": False,
    "isEntryExitAnnounced": True,
}


def graph_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


@pytest.fixture
def teams_interview(graph, working_day_morning):
    procedure = ProcedureFactory()
    use_teams(procedure)
    return planned_interview(procedure=procedure)


def meeting_of(appointment) -> Meeting:
    appointment.refresh_from_db()
    return Meeting.objects.get(links__appointment=appointment)


def same_jury_later(first, hours: int = 1):
    """Another candidate's interview with the same jury and proctor, right after `first`."""
    start = first.starts_at + dt.timedelta(hours=hours)
    appointment = AppointmentFactory.build(procedure=first.procedure, jury=first.jury, proctor=first.proctor,
                                           candidate=CandidateFactory(procedure=first.procedure),
                                           starts_at=start, ends_at=start + dt.timedelta(hours=1))
    return appointment_plan(actor=None, appointment=appointment)


def unfolded(ics: str) -> str:
    """The calendar file with its folded lines joined (RFC 5545 §3.1)."""
    return ics.replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";")


def candidate_mail(appointment) -> Message:
    return Message.objects.filter(appointment=appointment, recipient_email=appointment.candidate.email).latest("id")


def test_the_meeting_is_made_once_with_the_lobby_on_and_recording_off_and_the_invitation_waits_for_it(
        graph, teams_interview):
    appointment = teams_interview
    meeting = meeting_of(appointment)
    assert meeting.state == Meeting.State.PENDING and graph.requests == []  # the worker makes it, not the request
    with pytest.raises(ValidationError, match="meeting is not made yet"):
        invitation_send(appointment=appointment)

    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.READY
    create, = graph.graph_calls("POST")
    assert create.path == f"/v1.0/users/{ORGANIZER}/onlineMeetings/createOrGet"
    assert create.body["externalId"] == meeting.external_id
    assert {k: create.body[k] for k in SETTINGS} == SETTINGS
    assert create.body["startDateTime"] == graph_time(appointment.starts_at)
    assert create.body["endDateTime"] == graph_time(appointment.ends_at)
    assert appointment.candidate.last_name not in create.body["subject"]
    assert appointment.candidate.first_name not in create.body["subject"]
    staff = sorted([m.user.email.lower() for m in appointment.jury.members.all()] + [appointment.proctor.email.lower()])
    assert sorted(a["upn"] for a in create.body["participants"]["attendees"]) == staff
    assert {a["role"] for a in create.body["participants"]["attendees"]} == {"coOrganizer"}
    # createOrGet hands back an existing meeting as it is: the settings go again as a PATCH.
    patch, = graph.graph_calls("PATCH")
    assert {k: patch.body[k] for k in SETTINGS} == SETTINGS
    assert len(graph.token_calls()) == 1 and create.headers["authorization"].startswith("Bearer ")

    meeting.refresh_from_db()
    join = graph.meetings[meeting.provider_id]["joinWebUrl"]
    assert meeting.join_url == join
    invitation_send(appointment=appointment)
    assert join in candidate_mail(appointment).body_text
    assert join in unfolded(candidate_mail(appointment).ics)


def test_a_retry_after_an_answer_that_was_never_recorded_makes_no_second_meeting(graph, teams_interview):
    meeting = meeting_of(teams_interview)
    meeting_work(meeting_id=meeting.pk)
    # As if the worker died after Graph's answer: the row never learnt the meeting's id.
    Meeting.objects.filter(pk=meeting.pk).update(state=Meeting.State.PENDING, provider_id="", join_url="",
                                                 done_version=0)
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.READY
    creates = graph.graph_calls("POST")
    assert len(creates) == 2 and creates[0].body["externalId"] == creates[1].body["externalId"]
    assert len(graph.meetings) == 1
    meeting.refresh_from_db()
    assert meeting.provider_id == next(iter(graph.meetings))


def test_a_move_updates_the_same_meeting_and_keeps_the_link_and_a_cancellation_deletes_it(graph, teams_interview):
    appointment = teams_interview
    meeting = meeting_of(appointment)
    meeting_work(meeting_id=meeting.pk)
    invitation_send(appointment=appointment)
    meeting.refresh_from_db()
    join = meeting.join_url

    later = appointment.starts_at + dt.timedelta(hours=2)
    moved = appointment_update(actor=None, appointment=appointment, starts_at=later,
                               ends_at=later + dt.timedelta(hours=1))
    update = candidate_mail(moved)  # not held: the link stays the same
    assert update.kind == "update" and join in update.body_text and update.ics_sequence == moved.sequence
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.READY
    patch = graph.graph_calls("PATCH")[-1]
    assert patch.path.endswith(f"/onlineMeetings/{meeting.provider_id}")
    assert patch.body["startDateTime"] == graph_time(later)
    assert {k: patch.body[k] for k in SETTINGS} == SETTINGS
    assert len(graph.graph_calls("POST")) == 1
    meeting.refresh_from_db()
    assert meeting.join_url == join

    appointment_cancel(actor=None, appointment=moved)
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.DELETED
    delete, = graph.graph_calls("DELETE")
    assert delete.path.endswith(f"/onlineMeetings/{meeting.provider_id}")
    assert graph.meetings == {}


def test_throttling_waits_for_retry_after_and_then_succeeds(graph, teams_interview):
    meeting = meeting_of(teams_interview)
    graph.script.append((429, {"Retry-After": "1"}, {"error": {"code": "TooManyRequests", "message": "slow down"}}))
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.READY
    first, second = graph.graph_calls("POST")
    assert second.at - first.at >= 1.0


def test_a_long_retry_after_puts_the_meeting_back_until_then(graph, teams_interview, time_machine):
    meeting = meeting_of(teams_interview)
    graph.script.append((429, {"Retry-After": "120"}, {"error": {"code": "TooManyRequests", "message": "later"}}))
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.PENDING
    meeting.refresh_from_db()
    assert meeting.next_try_at >= timezone.now() + dt.timedelta(seconds=120)
    assert "429" in meeting.last_error and meeting.claimed_at is None
    assert meetings_work_due() == 0  # not due yet
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=3), tick=False)
    assert meetings_work_due() == 1
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.READY and meeting.last_error == ""


def test_server_errors_are_retried_a_bounded_number_of_times_then_the_meeting_fails(graph, teams_interview,
                                                                                   settings, time_machine):
    settings.MEETINGS_MAX_ATTEMPTS = 2
    meeting = meeting_of(teams_interview)
    busy = (503, {"Retry-After": "0"}, {"error": {"code": "ServiceUnavailable", "message": "busy"}})
    graph.script.extend([busy] * 8)
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.PENDING
    assert len(graph.graph_calls("POST")) == 4  # one call: the first try and three more
    time_machine.move_to(timezone.now() + dt.timedelta(hours=1), tick=False)
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.FAILED
    assert len(graph.graph_calls("POST")) == 8
    meeting.refresh_from_db()
    assert "503" in meeting.last_error


def test_an_expired_token_is_renewed_once(graph, teams_interview):
    appointment = teams_interview
    meeting = meeting_of(appointment)
    meeting_work(meeting_id=meeting.pk)
    graph.expire_tokens()
    later = appointment.starts_at + dt.timedelta(hours=1)
    appointment_update(actor=None, appointment=appointment, starts_at=later, ends_at=later + dt.timedelta(hours=1))
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.READY
    refused, accepted = graph.graph_calls("PATCH")[-2:]
    assert refused.headers["authorization"] != accepted.headers["authorization"]
    assert len(graph.token_calls()) == 2


def test_a_token_refused_twice_fails_the_meeting(graph, teams_interview):
    meeting = meeting_of(teams_interview)
    unauthorized = (401, {}, {"error": {"code": "InvalidAuthenticationToken", "message": "expired"}})
    graph.script.extend([unauthorized, unauthorized])
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.FAILED
    meeting.refresh_from_db()
    assert "refused the application's token twice" in meeting.last_error


def test_without_an_application_access_policy_the_meeting_fails_with_the_reason_and_a_retry_makes_it(
        graph, teams_interview):
    appointment = teams_interview
    graph.policies.clear()
    meeting = meeting_of(appointment)
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.FAILED
    meeting.refresh_from_db()
    assert "application access policy" in meeting.last_error
    assert meeting_counts(appointment.procedure) == {"ready": 0, "pending": 0, "failed": 1, "total": 1}
    assert [m.pk for m in failed_meetings(appointment.procedure)] == [meeting.pk]
    assert [link.appointment_id for link in waiting_appointments([appointment.procedure_id])] == [appointment.pk]
    assert links_for(appointment).waiting
    with pytest.raises(ValidationError):
        invitation_send(appointment=appointment)

    graph.policies.add(ORGANIZER)  # the administrator granted the policy
    assert meetings_retry(procedure=appointment.procedure, actor=None) == 1
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.READY
    invitation_send(appointment=appointment)


def test_a_wrong_client_secret_fails_the_meeting_with_the_reason(graph, teams_interview, settings):
    settings.MEETINGS_TEAMS_CLIENT_SECRET = "not-the-secret"
    meeting = meeting_of(teams_interview)
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.FAILED
    meeting.refresh_from_db()
    assert "invalid_client" in meeting.last_error and "not-the-secret" not in meeting.last_error


def test_a_conflict_is_tried_again_later(graph, teams_interview, time_machine):
    meeting = meeting_of(teams_interview)
    graph.script.append((409, {}, {"error": {"code": "Conflict", "message": "being created"}}))
    assert meeting_work(meeting_id=meeting.pk) == Meeting.State.PENDING
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=5), tick=False)
    assert meetings_work_due() == 1
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.READY and len(graph.meetings) == 1


def test_a_move_to_another_day_of_a_jury_day_meeting_holds_the_update_until_the_new_meeting_exists(
        graph, working_day_morning):
    procedure = ProcedureFactory()
    use_teams(procedure, scope=Scope.JURY_DAY)
    first = planned_interview(procedure=procedure)
    second = same_jury_later(first)
    day_meeting = meeting_of(first)
    assert meeting_of(second) == day_meeting  # one standing meeting for the jury's day
    meeting_work(meeting_id=day_meeting.pk)
    create = graph.graph_calls("POST")[0]
    assert create.body["startDateTime"] == graph_time(first.starts_at)
    assert create.body["endDateTime"] == graph_time(second.ends_at)
    invitation_send(appointment=second)
    day_meeting.refresh_from_db()
    sent = candidate_mail(second)
    assert day_meeting.join_url in sent.body_text

    next_day = second.starts_at + dt.timedelta(days=1)
    moved = appointment_update(actor=None, appointment=second, starts_at=next_day,
                               ends_at=next_day + dt.timedelta(hours=1))
    assert candidate_mail(moved).pk == sent.pk  # held: the new day's meeting does not exist yet
    new_meeting = meeting_of(moved)
    assert new_meeting.pk != day_meeting.pk
    assert meeting_work(meeting_id=new_meeting.pk) == Meeting.State.READY
    update = candidate_mail(moved)
    new_meeting.refresh_from_db()
    assert update.kind == "update" and new_meeting.join_url in update.body_text
    assert day_meeting.join_url not in update.body_text
    assert update.ics_sequence == sent.ics_sequence + 1
    # The first day's meeting now spans the one interview left.
    assert meeting_work(meeting_id=day_meeting.pk) == Meeting.State.READY
    assert graph.graph_calls("PATCH")[-1].body["endDateTime"] == graph_time(first.ends_at)
