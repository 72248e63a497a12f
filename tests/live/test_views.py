import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from interviewdesk.live import services
from interviewdesk.live.models import FollowUp, IdentityCheck, Incident, LiveSession, State
from interviewdesk.procedures.models import Role
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, CandidateFactory, ProcedureFactory, member, tomorrow_at
from tests.live.conftest import bring_to, make_setup
from tests.portal.conftest import log_in

pytestmark = pytest.mark.django_db


def session_url(s, name="live:session", **kw):
    return reverse(name, kwargs={"appointment_id": s.appointment.pk, **kw})


def test_the_console_lists_todays_sessions_with_state_jury_link_and_alerts(client, setup):
    client.force_login(setup.proctor)
    bring_to(setup, State.CANDIDATE_WAITING)
    response = client.get(reverse("live:console"))
    assert response.status_code == 200
    html = response.content.decode()
    assert setup.appointment.candidate.full_name in html
    assert "candidate waiting in the lobby" in html
    assert f"{setup.chair} (chair)" in html
    assert 'href="https://teams.example.org/l/meetup-join/abc"' in html
    assert "Conflict-of-interest declarations incomplete" in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_console_shows_the_countdown_and_the_candidates_phone_when_the_connection_is_lost(client, setup):
    client.force_login(setup.proctor)
    session = bring_to(setup, State.PART_1)
    with time_machine.travel(timezone.now(), tick=False):  # the countdown is read when the loss is logged
        services.incident_log(actor=setup.proctor, session=session, category="connection_lost",
                              description="Frozen")
        html = client.get(reverse("live:console")).content.decode()
    deadline = session.disconnections.get().deadline
    assert f'data-deadline="{int(deadline.timestamp() * 1000)}"' in html
    assert 'href="tel:+32470123456"' in html
    assert "Call +32 470 12 34 56" in html
    assert ">10:00<" in html
    services.disconnection_call_log(actor=setup.proctor, session=session, outcome="no_answer")
    html = client.get(reverse("live:console")).content.decode()
    assert "Calls: " in html
    assert " no answer</span>" in html


def test_the_console_poll_answers_204_while_nothing_changed_and_the_rows_after_a_change(client, setup):
    client.force_login(setup.proctor)
    first = client.get(reverse("live:console_rows"))
    assert first.status_code == 200
    version = first.context["version"]
    assert client.get(reverse("live:console_rows"), {"v": version}).status_code == 204
    services.session_checkin(actor=setup.chair, session=setup.session)
    changed = client.get(reverse("live:console_rows"), {"v": version})
    assert changed.status_code == 200
    assert "candidate waiting in the lobby" in changed.content.decode()


def test_an_unchanged_poll_costs_one_query_beyond_the_login(client, setup, django_assert_num_queries):
    client.force_login(setup.proctor)
    version = client.get(reverse("live:console_rows")).context["version"]
    # the web session, the user, and one aggregate (the procedures are a subquery of it)
    with django_assert_num_queries(3):
        assert client.get(reverse("live:console_rows"), {"v": version}).status_code == 204


def test_the_console_needs_the_same_number_of_queries_for_one_or_many_sessions(client, django_assert_num_queries):
    # Four sessions an hour apart, all today (the console shows today's; see _at_ten_today).
    s = make_setup()
    client.force_login(s.proctor)
    bring_to(s, State.PART_1)
    client.get(reverse("live:console_rows"))
    with django_assert_num_queries(12) as one:  # (one of them reads the session, one counts for the pager)
        client.get(reverse("live:console_rows"))
    for hour in range(3):
        extra = AppointmentFactory(procedure=s.procedure, jury=s.appointment.jury, starts_at=s.appointment.starts_at
                                   + dt.timedelta(hours=hour + 1), status=Appointment.Status.INVITED)
        services.session_checkin(actor=s.proctor, session=services.session_current(extra))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("live:console_rows"))
    assert len(response.context["rows"]) == 4


def test_the_console_of_a_procedure_is_404_for_a_proctor_of_another_procedure(client, setup):
    outsider = member(ProcedureFactory(), Role.PROCTOR)
    client.force_login(outsider)
    assert client.get(reverse("live:procedure_console", args=[setup.procedure.pk])).status_code == 404
    assert client.get(reverse("live:procedure_console_rows", args=[setup.procedure.pk])).status_code == 404
    assert client.get(session_url(setup)).status_code == 404
    assert setup.appointment.candidate.full_name not in client.get(reverse("live:console")).content.decode()


def test_an_assessor_has_no_console_but_sees_the_session(client, setup):
    client.force_login(setup.assessors[0])
    assert client.get(reverse("live:procedure_console", args=[setup.procedure.pk])).status_code == 404
    assert client.get(session_url(setup)).status_code == 200


@pytest.mark.parametrize("name", ["live:console", "live:console_rows"])
def test_anonymous_visitors_and_candidates_are_sent_to_the_login_page(client, setup, name):
    log_in(client, setup.appointment.candidate)
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    response = client.get(session_url(setup))
    assert response["Location"].startswith("/accounts/login/")


def test_the_proctor_runs_the_session_through_the_pages(client, setup):
    client.force_login(setup.proctor)
    response = client.post(session_url(setup, "live:session_action", action="checkin"), follow=True)
    assert "The session is now “candidate waiting in the lobby”." in response.content.decode()
    page = client.get(session_url(setup)).content.decode()
    assert "born 17 May 1990" in page
    client.post(session_url(setup, "live:session_identity"), {"document_type": "passport", "result": "match",
                                                             "note": "Covered the number"})
    assert IdentityCheck.objects.get().document_type == "passport"
    client.post(session_url(setup, "live:session_rules"), {"rules_reminded": "on", "camera_microphone_on": "on"})
    assert setup.session.state == State.RULES_CONFIRMED
    response = client.post(session_url(setup, "live:session_action", action="part_1"), follow=True)
    assert "Part 1 cannot start" in response.content.decode()
    assert setup.session.state == State.RULES_CONFIRMED


def test_an_invalid_identity_form_shows_its_errors(client, setup):
    client.force_login(setup.proctor)
    bring_to(setup, State.CANDIDATE_WAITING)
    response = client.post(session_url(setup, "live:session_identity"), {"document_type": "passport"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_an_assessor_logs_an_incident_but_cannot_move_or_stop_the_session(client, setup):
    bring_to(setup, State.PART_1)
    client.force_login(setup.assessors[0])
    client.post(session_url(setup, "live:session_incident"), {"category": "camera_off", "description": "Dark",
                                                             "decision": "noted"})
    assert Incident.objects.get().reported_by == setup.assessors[0]
    assert client.post(session_url(setup, "live:session_action", action="part_2")).status_code == 404
    assert client.post(session_url(setup, "live:session_stop"), {"reason": "x"}).status_code == 404
    assert setup.session.state == State.PART_1


def test_the_disconnection_panel_logs_calls_and_reconnects(client, setup):
    client.force_login(setup.proctor)
    bring_to(setup, State.PART_1)
    client.post(session_url(setup, "live:session_incident"), {"category": "connection_lost",
                                                             "description": "Gone", "decision": "noted"})
    page = client.get(session_url(setup)).content.decode()
    assert "Call the candidate: +32 470 12 34 56" in page
    client.post(session_url(setup, "live:session_call"), {"outcome": "busy"})
    response = client.post(session_url(setup, "live:session_reconnect"), follow=True)
    assert "Reconnected: the phase resumes" in response.content.decode()
    assert "Phone call to the candidate: busy" in response.content.decode()


def test_the_session_status_poll_answers_204_until_something_changes(client, setup):
    client.force_login(setup.chair)
    first = client.get(session_url(setup, "live:session_status"))
    version = first.context["version"]
    assert client.get(session_url(setup, "live:session_status"), {"v": version}).status_code == 204
    services.session_checkin(actor=setup.proctor, session=setup.session)
    changed = client.get(session_url(setup, "live:session_status"), {"v": version, "s": "scheduled"})
    assert "The session has moved on" in changed.content.decode()


def test_declarations_and_decisions_through_the_page(client, setup):
    client.force_login(setup.assessors[0])
    client.post(session_url(setup, "live:declaration_submit"), {"has_link": "yes", "link_description": "Old friend"})
    declaration = setup.appointment.conflict_declarations.get()
    client.force_login(setup.chair)
    assert "Record the decision" in client.get(session_url(setup)).content.decode()
    client.post(reverse("live:declaration_decide", args=[declaration.pk]), {"stays": "withdraws",
                                                                           "reason": "Close friendship"})
    declaration.refresh_from_db()
    assert (declaration.decision, declaration.decided_by) == ("withdraws", setup.chair)


def test_the_officer_reschedules_a_stopped_session_and_conflicts_are_shown(client, setup):
    session = bring_to(setup, State.PART_1)
    services.session_stop(actor=setup.chair, session=session, reason="Disconnected for good")
    services.session_request_new_appointment(actor=setup.officer, session=session)
    client.force_login(setup.officer)
    follow_ups = client.get(reverse("live:follow_ups", args=[setup.procedure.pk])).content.decode()
    assert "Disconnected for good" in follow_ups
    busy = AppointmentFactory(procedure=setup.procedure, jury=setup.appointment.jury,
                              candidate=CandidateFactory(procedure=setup.procedure), starts_at=tomorrow_at(10))
    response = client.post(session_url(setup, "live:reschedule"), {"starts_at": "x"})
    assert response.status_code == 400
    conflict = tomorrow_at(10, 30).strftime("%Y-%m-%dT%H:%M")
    response = client.post(session_url(setup, "live:reschedule"), {"starts_at": conflict})
    assert response.status_code == 400
    assert "already has interview" in response.content.decode()
    new = tomorrow_at(15).strftime("%Y-%m-%dT%H:%M")
    response = client.post(session_url(setup, "live:reschedule"), {"starts_at": new})
    assert response.status_code == 302
    setup.appointment.refresh_from_db()
    assert (setup.appointment.starts_at, setup.appointment.sequence) == (tomorrow_at(15), 1)
    assert FollowUp.objects.get().done_at is not None
    assert busy.starts_at == tomorrow_at(10)


def test_only_the_selection_officer_reschedules(client, setup):
    client.force_login(setup.proctor)
    assert client.get(session_url(setup, "live:reschedule")).status_code == 404
    assert client.get(reverse("live:follow_ups", args=[setup.procedure.pk])).status_code == 404


def test_the_candidate_reports_a_problem_from_their_page(client):
    s = make_setup(pre_stage="case", pre_stage_minutes=30)
    session = bring_to(s, State.RULES_CONFIRMED)
    services.session_preparation_start(actor=s.proctor, session=session)
    log_in(client, s.appointment.candidate)  # through the personal link, as the candidate does
    response = client.post(reverse("portal:candidate_problem"), {"text": "Het bestand opent niet"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert "Uw bericht is bij de toezichter aangekomen" in response.content.decode()
    assert session.problem_reports.get().text == "Het bestand opent niet"
    client.force_login(s.proctor)
    assert "Problem reported by the candidate" in client.get(reverse("live:console")).content.decode()


def test_the_problem_report_needs_a_candidate_session_and_a_running_session(client, setup):
    assert client.post(reverse("portal:candidate_problem"), {"text": "Help"}).status_code == 403  # no portal session
    log_in(client, setup.appointment.candidate)
    response = client.post(reverse("portal:candidate_problem"), {"text": "Help"})
    assert response.status_code == 400
    assert LiveSession.objects.filter(problem_reports__isnull=False).count() == 0


def test_a_late_candidate_shows_an_alert_on_the_console(client, setup):
    client.force_login(setup.proctor)
    with time_machine.travel(setup.appointment.starts_at + dt.timedelta(minutes=16), tick=False):
        html = client.get(reverse("live:console")).content.decode()
    assert "Candidate not seen 15 minutes after the start" in html
    assert timezone.now() < setup.appointment.starts_at


def test_the_problem_snippet_renders_inside_another_page_with_only_the_request(rf, setup):
    from django.contrib.sessions.backends.db import SessionStore
    from django.template.loader import render_to_string
    from django.utils import translation

    request = rf.get("/me/")
    request.session = SessionStore()
    with translation.override("fr"):
        html = render_to_string("portal/includes/session_problem_form.html", request=request)
    assert 'action="/me/session/problem/"' in html
    assert 'name="next" value="/me/"' in html
    assert "Signaler un problème au surveillant" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_a_change_committed_while_the_rows_are_drawn_is_never_hidden_by_a_204(client, setup, monkeypatch):
    from interviewdesk.live import selectors

    client.force_login(setup.proctor)
    drawn = selectors.console_rows

    def rows_after_a_concurrent_change(*args, **kwargs):
        services.session_checkin(actor=setup.chair, session=setup.session)  # another request commits now
        return drawn(*args, **kwargs)

    monkeypatch.setattr(selectors, "console_rows", rows_after_a_concurrent_change)
    version = client.get(reverse("live:console_rows")).context["version"]
    monkeypatch.setattr(selectors, "console_rows", drawn)
    assert client.get(reverse("live:console_rows"), {"v": version}).status_code == 200


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("kind", [Appointment.Kind.INTERVIEW, Appointment.Kind.PREPARATION])
def test_the_session_page_renders_in_every_state_for_every_role(client, setup, state, kind):
    Appointment.objects.filter(pk=setup.appointment.pk).update(kind=kind)
    setup.appointment.refresh_from_db()
    LiveSession.objects.filter(pk=setup.session.pk).update(state=state)
    for user in (setup.proctor, setup.chair, setup.assessors[0], setup.officer):
        client.force_login(user)
        response = client.get(session_url(setup))
        assert response.status_code == 200
        assert f'data-state="{state}"' in response.content.decode()


def test_one_click_starts_the_reconnection_clock(client, setup):
    bring_to(setup, State.PART_2)
    client.force_login(setup.chair)
    page = client.get(session_url(setup)).content.decode()
    assert "Connection lost: start the reconnection clock" in page
    client.post(session_url(setup, "live:session_incident"), {
        "category": "connection_lost", "decision": "noted", "description": "The connection with the candidate was lost."})
    assert setup.session.disconnections.filter(resolved_at__isnull=True).count() == 1
    assert "Connection lost: start the reconnection clock" not in client.get(session_url(setup)).content.decode()


def test_the_console_says_when_the_preparation_time_is_up(client):
    s = make_setup(pre_stage="case", pre_stage_minutes=30)
    session = bring_to(s, State.RULES_CONFIRMED)
    services.session_preparation_start(actor=s.proctor, session=session)
    client.force_login(s.proctor)
    assert "Preparation time is up" not in client.get(reverse("live:console")).content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31)):
        assert "Preparation time is up" in client.get(reverse("live:console")).content.decode()


@pytest.mark.parametrize(("language", "expected"), [("nl", "Console van de toezichter"), ("fr", "Console du surveillant"),
                                                    ("de", "Konsole der Aufsichtsperson")])
def test_the_staff_pages_speak_dutch_french_and_german(client, setup, language, expected):
    from django.conf import settings

    session = bring_to(setup, State.PART_1)
    services.incident_log(actor=setup.proctor, session=session, category="connection_lost", description="x")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(setup.proctor)
    assert expected in client.get(reverse("live:console")).content.decode()
    page = client.get(session_url(setup))
    assert page.status_code == 200
    assert "Connection lost" not in page.content.decode()


def test_the_admin_lists_live_sessions_read_only(client, setup):
    from interviewdesk.core.models import User

    bring_to(setup, State.PART_1)
    admin = User.objects.create_superuser("root", "root@example.org", "correct horse battery")
    client.force_login(admin)
    response = client.get("/admin/live/livesession/")
    assert response.status_code == 200
    assert "part 1: CV and motivation" in response.content.decode()
    assert client.get(f"/admin/live/livesession/{setup.session.pk}/delete/").status_code == 403


def test_the_problem_report_reads_the_portals_session_and_refuses_a_revoked_link(client):
    from interviewdesk.portal.services.access import access_link_revoke

    s = make_setup(pre_stage="case", pre_stage_minutes=30)
    session = bring_to(s, State.RULES_CONFIRMED)
    services.session_preparation_start(actor=s.proctor, session=session)
    log_in(client, s.appointment.candidate)
    assert client.post(reverse("portal:candidate_problem"), {"text": "Geen geluid"}).status_code == 200
    access_link_revoke(candidate=s.appointment.candidate)
    # The portal re-checks the link on every request: a revoked link ends the candidate's session.
    assert client.post(reverse("portal:candidate_problem"), {"text": "Geen geluid"}).status_code == 403
    assert session.problem_reports.count() == 1


def test_the_problem_form_posted_from_a_no_referrer_page_passes_the_csrf_check_but_a_forged_one_does_not():
    from django.test import Client

    s = make_setup(pre_stage="case", pre_stage_minutes=30)
    session = bring_to(s, State.RULES_CONFIRMED)
    services.session_preparation_start(actor=s.proctor, session=session)
    signed_in = Client()
    log_in(signed_in, s.appointment.candidate)
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = signed_in.cookies  # the candidate's session, now with CSRF checks enforced
    page = browser.get(reverse("portal:candidate_problem"))
    token = page.context["csrf_token"]
    url = reverse("portal:candidate_problem")
    # A plain form POST from a no-referrer page: Origin "null", no Referer.
    assert browser.post(url, {"text": "Geen beeld", "csrfmiddlewaretoken": str(token)},
                        headers={"Origin": "null"}).status_code == 200
    assert browser.post(url, {"text": "Vervalst"}, headers={"Origin": "null"}).status_code == 403
    assert browser.post(url, {"text": "Vervalst", "csrfmiddlewaretoken": str(token)},
                        headers={"Origin": "https://evil.example"}).status_code == 403
    assert list(session.problem_reports.values_list("text", flat=True)) == ["Geen beeld"]
