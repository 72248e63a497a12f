"""Who reaches which live-session page: allowed role, wrong role, another procedure, anonymous."""

import datetime as dt
from dataclasses import replace

import pytest
from django.urls import reverse

from interviewdesk.live import services
from interviewdesk.live.models import State
from interviewdesk.procedures.models import Role
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, ProcedureFactory, member
from tests.live.conftest import bring_to

pytestmark = pytest.mark.django_db

# (url name, extra kwargs, method, data, allowed role attribute, a wrong role attribute)
SESSION_ENDPOINTS = [
    ("live:session", {}, "get", {}, "assessor", None),
    ("live:session_status", {}, "get", {}, "proctor", None),
    ("live:session_action", {"action": "part_2"}, "post", {}, "chair", "assessor"),
    ("live:session_identity", {}, "post", {"document_type": "passport", "result": "match"}, "proctor", "assessor"),
    ("live:session_rules", {}, "post", {"rules_reminded": "on", "camera_microphone_on": "on"}, "proctor",
     "assessor"),
    ("live:session_stop", {}, "post", {"reason": "Rule violation"}, "chair", "assessor"),
    ("live:session_incident", {}, "post", {"category": "other", "description": "x", "decision": "noted"},
     "assessor", None),
    ("live:session_call", {}, "post", {"outcome": "busy"}, "proctor", "assessor"),
    ("live:session_reconnect", {}, "post", {}, "proctor", "assessor"),
    ("live:session_extra_time", {}, "post", {"minutes": "10"}, "officer", "proctor"),
    ("live:declaration_submit", {}, "post", {"has_link": "no"}, "assessor", "proctor"),
    ("live:reschedule", {}, "get", {}, "officer", "chair"),
]


def actor(setup, role):
    return {"proctor": setup.proctor, "chair": setup.chair, "assessor": setup.assessors[0],
            "officer": setup.officer}[role]


def call(client, name, kwargs, method, data, appointment):
    url = reverse(name, kwargs={"appointment_id": appointment.pk, **kwargs})
    return getattr(client, method)(url, data)


@pytest.mark.parametrize(("name", "kwargs", "method", "data", "allowed", "wrong"), SESSION_ENDPOINTS)
def test_session_endpoints_answer_each_role_as_they_should(client, setup, name, kwargs, method, data, allowed,
                                                           wrong):
    session = bring_to(setup, State.PART_1)
    if name == "live:reschedule":
        services.session_stop(actor=setup.chair, session=session, reason="Stopped")
    anonymous = call(client, name, kwargs, method, data, setup.appointment)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    client.force_login(member(ProcedureFactory(), Role.PROCTOR))
    assert call(client, name, kwargs, method, data, setup.appointment).status_code == 404
    client.force_login(member(ProcedureFactory(), Role.SELECTION_OFFICER))
    assert call(client, name, kwargs, method, data, setup.appointment).status_code == 404
    if wrong:
        client.force_login(actor(setup, wrong))
        assert call(client, name, kwargs, method, data, setup.appointment).status_code == 404
    client.force_login(actor(setup, allowed))
    assert call(client, name, kwargs, method, data, setup.appointment).status_code in (200, 302)


def test_deciding_a_declaration_and_acknowledging_a_problem_are_404_outside_the_procedure(client, setup):
    declaration = services.declaration_submit(actor=setup.assessors[0], appointment=setup.appointment,
                                              has_link=True, link_description="Neighbour")
    client.force_login(member(ProcedureFactory(), Role.JURY_CHAIR))
    url = reverse("live:declaration_decide", args=[declaration.pk])
    assert client.post(url, {"stays": "stays", "reason": "x"}).status_code == 404
    client.logout()
    assert client.post(url, {"stays": "stays", "reason": "x"})["Location"].startswith("/accounts/login/")
    client.force_login(setup.chair)
    assert client.post(url, {"stays": "stays", "reason": "Distant"}).status_code == 302
    declaration.refresh_from_db()
    assert declaration.decision == "stays"


def test_acknowledging_a_problem_needs_a_session_runner_of_the_procedure(client):
    from tests.live.conftest import make_setup

    s = make_setup(pre_stage="case", pre_stage_minutes=20)
    session = bring_to(s, State.RULES_CONFIRMED)
    services.session_preparation_start(actor=s.proctor, session=session)
    report = services.candidate_problem_report(appointment=s.appointment, text="No sound")
    url = reverse("live:problem_acknowledge", args=[report.pk])
    client.force_login(s.assessors[0])
    assert client.post(url).status_code == 404
    client.force_login(member(ProcedureFactory(), Role.PROCTOR))
    assert client.post(url).status_code == 404
    client.force_login(s.proctor)
    assert client.post(url).status_code == 302
    report.refresh_from_db()
    assert report.acknowledged_by == s.proctor


def test_an_unknown_action_is_404(client, setup):
    client.force_login(setup.proctor)
    url = reverse("live:session_action", kwargs={"appointment_id": setup.appointment.pk, "action": "explode"})
    assert client.post(url).status_code == 404


def test_actions_only_accept_post(client, setup):
    client.force_login(setup.proctor)
    url = reverse("live:session_action", kwargs={"appointment_id": setup.appointment.pk, "action": "checkin"})
    assert client.get(url).status_code == 405


def test_the_follow_up_list_costs_the_same_queries_for_one_or_many(client, django_assert_num_queries):
    from tests.live.conftest import make_setup

    s = make_setup()
    client.force_login(s.officer)
    url = reverse("live:follow_ups", args=[s.procedure.pk])

    def stop_one(setup):
        session = bring_to(setup, State.PART_1)
        services.session_stop(actor=setup.chair, session=session, reason="Stopped")
        services.session_request_new_appointment(actor=setup.officer, session=session)

    stop_one(s)
    client.get(url)
    with django_assert_num_queries(5) as one:  # (one of them reads the session)
        assert client.get(url).content.decode().count("Pick a new appointment for") == 1
    for hour in (2, 3):
        extra = AppointmentFactory(procedure=s.procedure, jury=s.appointment.jury, proctor=s.proctor,
                                   starts_at=s.appointment.starts_at + dt.timedelta(hours=hour),
                                   status=Appointment.Status.INVITED)
        stop_one(replace(s, appointment=extra))
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).content.decode().count("Pick a new appointment for") == 3


def test_the_follow_up_list_is_for_the_procedures_selection_officer_only(client, setup):
    url = reverse("live:follow_ups", args=[setup.procedure.pk])
    assert client.get(url)["Location"].startswith("/accounts/login/")
    client.force_login(member(ProcedureFactory(), Role.SELECTION_OFFICER))
    assert client.get(url).status_code == 404
    client.force_login(setup.chair)
    assert client.get(url).status_code == 404
    client.force_login(setup.officer)
    assert client.get(url).status_code == 200
