"""Staff pages: permissions per role and procedure, query-count guards, safe HTML, .ics downloads, sending."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from interviewdesk.messaging.links import REDACTED, fill_ics
from interviewdesk.messaging.models import BulkSend, Message
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.procedures.models import Role
from interviewdesk.scheduling.models import Appointment
from tests.factories import CandidateFactory, ProcedureFactory, member
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    appointment = planned_interview()
    invitation_send(appointment=appointment)
    procedure = appointment.procedure
    message = Message.objects.get(kind="invitation")
    return {
        "procedure": procedure, "appointment": appointment, "message": message,
        "officer": member(procedure, Role.SELECTION_OFFICER),
        "assessor": member(procedure, Role.ASSESSOR),
        "stranger": member(ProcedureFactory(), Role.SELECTION_OFFICER),
    }


def urls(w) -> dict[str, str]:
    p, a, m = w["procedure"].pk, w["appointment"], w["message"]
    return {
        "procedure": reverse("messaging:procedure", args=[p]),
        "candidate": reverse("messaging:candidate", args=[p, a.candidate_id]),
        "message": reverse("messaging:message", args=[p, m.pk]),
        "message_ics": reverse("messaging:message_ics", args=[p, m.pk]),
        "appointment_ics": reverse("messaging:appointment_ics", args=[p, a.pk]),
        "bulk": reverse("messaging:bulk", args=[p]),
        "at_risk": reverse("messaging:at_risk", args=[p]),
    }


@pytest.mark.parametrize("name", ["procedure", "candidate", "message", "message_ics", "appointment_ics", "bulk",
                                  "at_risk"])
def test_the_selection_officer_sees_every_mail_page(client, world, name):
    client.force_login(world["officer"])
    assert client.get(urls(world)[name]).status_code == 200


@pytest.mark.parametrize("name", ["procedure", "candidate", "message", "message_ics", "appointment_ics", "bulk",
                                  "at_risk"])
def test_a_jury_member_and_someone_of_another_procedure_get_404(client, world, name):
    for user in (world["assessor"], world["stranger"]):
        client.force_login(user)
        assert client.get(urls(world)[name]).status_code == 404


@pytest.mark.parametrize("name", ["procedure", "candidate", "message", "bulk", "at_risk"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, world, name):
    response = client.get(urls(world)[name])
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_message_of_another_procedure_is_404_under_this_one(client, world):
    other = planned_interview()
    invitation_send(appointment=other)
    foreign = Message.objects.filter(procedure=other.procedure).first()
    client.force_login(world["officer"])
    url = reverse("messaging:message", args=[world["procedure"].pk, foreign.pk])
    assert client.get(url).status_code == 404


def test_the_message_page_shows_the_html_only_inside_a_sandboxed_frame(client, world):
    Message.objects.filter(pk=world["message"].pk).update(body_html='<p>Hi</p><script>alert(1)</script>')
    client.force_login(world["officer"])
    html = client.get(urls(world)["message"]).content.decode()
    assert '<iframe class="mail-html" sandbox=""' in html
    assert "<script>alert(1)" not in html
    assert 'srcdoc="&lt;p&gt;Hi&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert world["message"].message_id in html or "Message-ID" in html


def test_the_message_ics_downloads_as_a_calendar_request(client, world):
    client.force_login(world["officer"])
    response = client.get(urls(world)["message_ics"])
    assert response["Content-Type"] == "text/calendar; method=REQUEST; charset=utf-8"
    # The file as stored, except that the placeholder of a personal link would be said in words.
    assert response.content.decode() == fill_ics(world["message"].ics, REDACTED)
    assert "[[personal-link]]" not in response.content.decode().replace("\r\n ", "")


def test_the_appointment_ics_of_a_cancelled_appointment_is_a_cancel(client, world):
    Appointment.objects.filter(pk=world["appointment"].pk).update(status="cancelled", sequence=1)
    client.force_login(world["officer"])
    response = client.get(urls(world)["appointment_ics"])
    assert b"METHOD:CANCEL" in response.content
    assert b"SEQUENCE:1" in response.content


def test_the_procedure_log_query_count_does_not_grow_with_rows(client, world, django_assert_num_queries,
                                                               django_assert_max_num_queries):
    client.force_login(world["officer"])
    url = urls(world)["procedure"]
    client.get(url)
    with django_assert_max_num_queries(10) as one:
        client.get(url)
    for _ in range(4):
        invitation_send(appointment=planned_interview(procedure=world["procedure"],
                                                      candidate=CandidateFactory(procedure=world["procedure"])))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_the_candidate_log_and_at_risk_query_counts_do_not_grow_with_rows(client, world, django_assert_num_queries,
                                                                         django_assert_max_num_queries, time_machine):
    # 12 hours before the interview, so it and the connection test added below (4 hours before it)
    # are both in the at-risk page's next 24 hours, whatever the clock says.
    time_machine.move_to(world["appointment"].starts_at - dt.timedelta(hours=12), tick=False)
    client.force_login(world["officer"])
    procedure, candidate = world["procedure"], world["appointment"].candidate
    pages = [urls(world)["candidate"], urls(world)["at_risk"]]
    counts = []
    for url in pages:
        client.get(url)
        with django_assert_max_num_queries(15) as captured:
            client.get(url)
        counts.append(len(captured.captured_queries))
    test = Appointment.objects.create(procedure=procedure, candidate=candidate, kind="connection_test",
                                      starts_at=world["appointment"].starts_at - dt.timedelta(hours=4),
                                      ends_at=world["appointment"].starts_at - dt.timedelta(hours=3, minutes=45))
    invitation_send(appointment=test)
    planned_interview(procedure=procedure, candidate=CandidateFactory(procedure=procedure))
    for url, expected in zip(pages, counts, strict=True):
        with django_assert_num_queries(expected):
            client.get(url)


def test_sending_one_appointment_from_the_candidate_page(client, world):
    appointment = planned_interview(procedure=world["procedure"], candidate=CandidateFactory(procedure=world["procedure"]))
    client.force_login(world["officer"])
    response = client.post(reverse("messaging:send", args=[world["procedure"].pk, appointment.pk]))
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.INVITED
    response = client.post(reverse("messaging:send", args=[world["procedure"].pk, appointment.pk]), follow=True)
    assert "Only a planned appointment can be sent; this one is invited." in response.content.decode()


def test_a_get_never_sends(client, world):
    appointment = planned_interview(procedure=world["procedure"], candidate=CandidateFactory(procedure=world["procedure"]))
    client.force_login(world["officer"])
    assert client.get(reverse("messaging:send", args=[world["procedure"].pk, appointment.pk])).status_code == 405
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.PLANNED


def test_only_the_selection_officer_may_send(client, world):
    client.force_login(world["assessor"])
    assert client.post(urls(world)["bulk"]).status_code == 404
    assert not BulkSend.objects.exists()


def test_clicking_send_all_twice_starts_one_run_and_the_progress_polls_until_finished(client, world):
    from interviewdesk.messaging.services.bulk import bulk_send_run

    for _ in range(2):
        planned_interview(procedure=world["procedure"], candidate=CandidateFactory(procedure=world["procedure"]))
    client.force_login(world["officer"])
    client.post(urls(world)["bulk"])
    response = client.post(urls(world)["bulk"], follow=True)
    assert "A send is already running" in response.content.decode()
    run = BulkSend.objects.get()
    progress_url = reverse("messaging:bulk_progress", args=[world["procedure"].pk, run.pk])
    assert f'hx-get="{progress_url}"' in response.content.decode()

    bulk_send_run(run_id=run.pk)
    Message.objects.update(state="sent")
    html = client.get(progress_url).content.decode()
    assert "hx-get" not in html
    assert '<progress id="bulk-bar" max="2" value="2">' in html
    assert Message.objects.filter(kind="invitation", bulk_send=run).count() == 2
