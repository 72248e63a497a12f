"""Meetings in erasure and in the candidate's own data (issue 12): the link to the candidate's own
meeting (made by the product, or typed by staff) goes with the erasure, a meeting shared with other
candidates still to be interviewed stays; the export names each appointment's meeting platform and
the candidate's link."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from interviewdesk.core.audit import audit_record
from interviewdesk.core.models import AuditEntry
from interviewdesk.meetings.models import AppointmentMeeting, Meeting, Provider, Scope
from interviewdesk.privacy.services.erasure import candidates_erase, erasure_plan
from interviewdesk.procedures.models import Role
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, CandidateFactory, ProcedureFactory, member

from .scenario import held_candidate

pytestmark = pytest.mark.django_db

OWN_URL = "https://teams.example.org/l/meetup-join/19%3ameeting_QUASTOWN"
SHARED_URL = "https://teams.example.org/l/meetup-join/19%3ameeting_SHAREDDAY"
TYPED_URL = "https://meet.example.org/quast-typed-room"
ERROR = "Graph refused the meeting of the interview with QUASTERROR"


def _meeting(procedure, appointment, url, scope=Scope.APPOINTMENT, **fields):
    meeting = Meeting.objects.create(procedure=procedure, provider=Provider.TEAMS, scope=scope,
                                     starts_at=appointment.starts_at, ends_at=appointment.ends_at,
                                     state=Meeting.State.READY, join_url=url, provider_id="graph-id-1",
                                     organizer="organizer@example.org", **fields)
    AppointmentMeeting.objects.create(appointment=appointment, meeting=meeting)
    return meeting


@pytest.fixture
def held(django_capture_on_commit_callbacks):
    procedure = ProcedureFactory()
    officer = member(procedure, Role.SELECTION_OFFICER)
    candidate, interview, link = held_candidate(procedure, officer)
    own = _meeting(procedure, interview, OWN_URL, last_error=ERROR)
    # A preparation on a jury-day meeting that another candidate (still to come) shares.
    preparation = AppointmentFactory(procedure=procedure, candidate=candidate, kind=Appointment.Kind.PREPARATION,
                                     starts_at=interview.starts_at - dt.timedelta(hours=1), ends_at=interview.starts_at,
                                     status=Appointment.Status.DONE)
    shared = _meeting(procedure, preparation, SHARED_URL, scope=Scope.JURY_DAY, jury=interview.jury,
                      day=interview.starts_at.date())
    other = AppointmentFactory(procedure=procedure, candidate=CandidateFactory(procedure=procedure),
                               jury=interview.jury, starts_at=interview.starts_at + dt.timedelta(hours=2),
                               ends_at=interview.starts_at + dt.timedelta(hours=3))
    AppointmentMeeting.objects.create(appointment=other, meeting=shared)
    # The made meetings replace the typed link (the factory types one on every appointment).
    Appointment.objects.filter(pk__in=[interview.pk, preparation.pk, other.pk]).update(join_url="")
    typed = AppointmentFactory(procedure=procedure, candidate=candidate, kind=Appointment.Kind.CONNECTION_TEST,
                               starts_at=interview.starts_at - dt.timedelta(days=3),
                               ends_at=interview.starts_at - dt.timedelta(days=3, minutes=-15),
                               status=Appointment.Status.DONE, platform=Appointment.Platform.JITSI,
                               join_url=TYPED_URL)
    return procedure, officer, candidate, link, own, shared, typed


def _meetings_dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", "meetings", "scheduling", "core.auditentry", stdout=out)
    return out.getvalue()


def test_erasure_removes_the_candidates_own_meeting_link_and_keeps_a_shared_one(held):
    _procedure, _officer, candidate, _link, own, shared, typed = held
    audit_record(action="meeting.failed", obj=own, procedure_id=own.procedure_id, reason=ERROR, actor_label="worker")
    plan = erasure_plan(candidate_ids=[candidate.pk])
    assert plan["meetings"] == 1 and plan["typed_meeting_links"] == 1
    counts = candidates_erase(candidate_ids=[candidate.pk], cause="request")
    assert counts["meetings"] == 1 and counts["typed_meeting_links"] == 1
    rows = _meetings_dump()
    for value in ("QUASTOWN", "QUASTERROR", "quast-typed-room"):
        assert value not in rows, value
    own.refresh_from_db()
    shared.refresh_from_db()
    typed.refresh_from_db()
    assert (own.join_url, own.last_error) == ("", "")
    assert own.state == Meeting.State.READY and own.provider_id  # the provider's id stays: it names nobody
    assert shared.join_url == SHARED_URL  # the other candidate still needs it
    assert typed.join_url == ""
    assert AuditEntry.objects.get(action="meeting.failed").reason == ""


def test_a_jury_day_meeting_whose_candidates_are_all_erased_loses_its_link_too(held):
    _procedure, _officer, candidate, _link, _own, shared, _typed = held
    other_id = shared.links.exclude(appointment__candidate=candidate).get().appointment.candidate_id
    candidates_erase(candidate_ids=[candidate.pk, other_id], cause="retention")
    shared.refresh_from_db()
    assert shared.join_url == ""


def test_the_candidates_export_names_each_appointments_meeting_and_link(client, held):
    _procedure, officer, candidate, link, _own, _shared, _typed = held
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert client.post(path).status_code == 302
    data = json.loads(client.get("/portal/my-data/all.json").content)
    by_kind = {row["kind"]: row for row in data["appointments"]}
    interview = by_kind["interview"]
    assert interview["meeting_platform"] == "Microsoft Teams" and interview["meeting_link"] == OWN_URL
    assert by_kind["verbindingstest"]["meeting_link"] == TYPED_URL
    page = client.get("/portal/my-data/all/").content.decode()
    assert OWN_URL.replace("&", "&amp;") in page
    client.force_login(officer)
    data = json.loads(client.get(f"/procedures/{candidate.procedure_id}/candidates/{candidate.pk}/data.json").content)
    assert OWN_URL in [row["meeting_link"] for row in data["appointments"]]
