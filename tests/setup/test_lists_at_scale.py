"""Issue 13 §4: staff lists that hold at 3,000 candidates. Timings come from `make bench`
(bench/staff_lists.py); these tests guard the shape of the SQL and the paging."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from interviewdesk.procedures.models import Role
from tests.factories import AppointmentFactory, CandidateFactory, ProcedureFactory, member

pytestmark = pytest.mark.django_db


def test_the_dashboard_counts_candidates_and_appointments_without_joining_them(client):
    """Joining candidates and appointments in one GROUP BY made rows = candidates × appointments
    (2.9 s for one statement at 3,000 candidates on PostgreSQL). Each count is its own subquery."""
    procedure = ProcedureFactory()
    officer = member(procedure, Role.SELECTION_OFFICER)
    for _ in range(3):
        candidate = CandidateFactory(procedure=procedure)
        start = timezone.now() + dt.timedelta(days=2, hours=candidate.pk)
        AppointmentFactory(procedure=procedure, candidate=candidate, starts_at=start,
                           ends_at=start + dt.timedelta(hours=1))
    client.force_login(officer)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    row = next(p for p in response.context["procedures"] if p.pk == procedure.pk)
    assert (row.candidate_count, row.upcoming_count) == (3, 3)
    counting = [query["sql"] for query in ctx.captured_queries if "COUNT(" in query["sql"].upper()]
    assert counting
    for sql in counting:
        # (Other widgets may fetch appointments with their candidate: a row-for-row join is fine;
        # what grew quadratically was counting over both joins at once.)
        joins = re.findall(r'JOIN "(\w+)"', sql)
        assert not ("procedures_candidate" in joins and "scheduling_appointment" in joins), sql


def test_readiness_pages_and_searches_by_name_email_or_number(client, settings):
    procedure = ProcedureFactory()
    officer = member(procedure, Role.SELECTION_OFFICER)
    people = [CandidateFactory(procedure=procedure, last_name=f"Zz{i:03d}") for i in range(55)]
    special = CandidateFactory(procedure=procedure, first_name="Ingrid", last_name="Vandamme")
    client.force_login(officer)
    url = f"/procedures/{procedure.pk}/readiness/"
    first = client.get(url)
    assert len(first.context["rows"]) == 50 and first.context["page"].paginator.count == 56
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(url, {"page": 2})
    assert len(second.context["rows"]) == 6
    for query in ("vandamme", "ingrid VAND", special.email, f"#{special.pk}"):
        rows = client.get(url, {"q": query}).context["rows"]
        assert [row.candidate for row in rows] == [special], query
    not_ready = client.get(url, {"filter": "not_ready", "q": "Zz00"})
    assert {row.candidate for row in not_ready.context["rows"]} == set(people[:10])


def test_interviews_to_assess_and_results_page_search_and_filter(client):
    from interviewdesk.assessment.models import Result
    from interviewdesk.scheduling.models import Appointment

    procedure = ProcedureFactory()
    officer = member(procedure, Role.SELECTION_OFFICER)
    start = timezone.now() - dt.timedelta(days=3)
    interviews = []
    for i in range(53):
        when = start + dt.timedelta(hours=i)
        interviews.append(AppointmentFactory(procedure=procedure, starts_at=when, ends_at=when + dt.timedelta(hours=1),
                                             status=Appointment.Status.DONE if i % 2 else Appointment.Status.NO_SHOW,
                                             candidate=CandidateFactory(procedure=procedure, last_name=f"Name{i:02d}")))
    for a in interviews[:5]:
        Result.objects.create(appointment=a, status=Result.Status.SIGNED_OFF, final_pct=70, passed=True)
    client.force_login(officer)
    url = f"/procedures/{procedure.pk}/assessment/"
    response = client.get(url)
    assert len(response.context["rows"]) == 50
    assert len(client.get(url, {"page": 2}).context["rows"]) == 3
    assert [a.pk for a in client.get(url, {"q": "name07"}).context["rows"]] == [interviews[7].pk]
    assert len(client.get(url, {"status": "no_show"}).context["rows"]) == 27
    results = client.get(f"/procedures/{procedure.pk}/assessment/results/", {"q": "Name03"}).context["results"]
    assert [r.appointment_id for r in results] == [interviews[3].pk]


def test_mail_log_and_connection_tests_search(client):
    from interviewdesk.messaging.models import Message

    procedure = ProcedureFactory()
    officer = member(procedure, Role.SELECTION_OFFICER)
    for name in ("Ann Smets", "Bart Peeters"):
        Message.objects.create(kind="invitation", procedure=procedure, recipient_name=name,
                               recipient_email=f"{name.split()[0].lower()}@example.net", language="nl", subject="s",
                               body_text="b")
    client.force_login(officer)
    page = client.get(f"/procedures/{procedure.pk}/mail/", {"q": "smets"}).context["page"]
    assert [m.recipient_name for m in page] == ["Ann Smets"]
    response = client.get(f"/procedures/{procedure.pk}/connection-tests/", {"q": "nobody", "status": "passed"})
    assert response.status_code == 200 and "No slot matches this search." in response.content.decode()


def test_the_candidate_list_searches_and_the_appointment_list_filters_by_status(client):
    from interviewdesk.scheduling.models import Appointment

    procedure = ProcedureFactory()
    officer = member(procedure, Role.SELECTION_OFFICER)
    wanted = CandidateFactory(procedure=procedure, last_name="Goossens")
    CandidateFactory(procedure=procedure, last_name="Other")
    start = timezone.now() + dt.timedelta(days=1)
    AppointmentFactory(procedure=procedure, candidate=wanted, starts_at=start, ends_at=start + dt.timedelta(hours=1),
                       status=Appointment.Status.INVITED)
    client.force_login(officer)
    response = client.get(f"/procedures/{procedure.pk}/", {"q": "gooss"})
    assert list(response.context["candidates"]) == [wanted]
    assert client.get(f"/procedures/{procedure.pk}/", {"astatus": "invited"}).context["appointments"].paginator.count == 1
    assert client.get(f"/procedures/{procedure.pk}/", {"astatus": "planned"}).context["appointments"].paginator.count == 0


SELF_SEMI_JOIN = re.compile(r'IN \(SELECT [^()]*FROM "procedures_candidate"')
LISTING_CANDIDATES = re.compile(r'FROM "procedures_candidate" (WHERE|LEFT|INNER)')  # the main table, not a subquery


@pytest.mark.parametrize("path", ["/procedures/{pk}/", "/procedures/{pk}/readiness/"])
@pytest.mark.parametrize("role", [Role.SELECTION_OFFICER, Role.PROCTOR])
def test_the_candidate_lists_filter_by_visibility_without_joining_candidates_to_themselves(client, path, role):
    """`candidate.pk IN (SELECT id FROM candidate WHERE procedure …)` made PostgreSQL, before it had
    statistics on a freshly filled table, plan a nested loop of candidates × candidates: 116 ms for the
    COUNT of one page at 3,000 candidates (2 ms on SQLite). Need-to-know is a condition on the rows
    themselves: nothing for an officer, an EXISTS over the appointments for the others."""
    procedure = ProcedureFactory()
    user = member(procedure, role)
    start = timezone.now() + dt.timedelta(days=1)
    own = CandidateFactory(procedure=procedure, last_name="Own")
    AppointmentFactory(procedure=procedure, candidate=own, kind="connection_test", proctor=user, starts_at=start,
                       ends_at=start + dt.timedelta(minutes=30))
    other = CandidateFactory(procedure=procedure, last_name="Other")
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path.format(pk=procedure.pk))
    assert response.status_code == 200
    listed = response.context["candidates"] if "candidates" in response.context else [
        row.candidate for row in response.context["rows"]]
    expected = [other, own] if role == Role.SELECTION_OFFICER else [own]
    assert list(listed) == expected
    reading_candidates = [q["sql"] for q in ctx.captured_queries if LISTING_CANDIDATES.search(q["sql"])]
    assert reading_candidates
    for sql in reading_candidates:
        assert not SELF_SEMI_JOIN.search(sql), sql
