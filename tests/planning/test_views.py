"""The officer's planning pages: who may open them, and what they do."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from interviewdesk.planning import services, tasks
from interviewdesk.planning.models import PlanningRun
from interviewdesk.scheduling.models import Appointment

from .helpers import chair_busy_at_the_last_item, planning_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready():
    s = planning_procedure(candidates=2)
    s.run = services.planning_run_start(actor=s.officer, procedure=s.procedure, time_limit=5)
    services.planning_run_execute(run_id=s.run.pk)
    s.run.refresh_from_db()
    s.item = s.run.items.first()
    return s


def _urls(s):
    p, r, i = s.procedure.pk, s.run.pk, s.item.pk
    return [
        ("get", reverse("planning:home", args=[p])),
        ("get", reverse("planning:run", args=[p, r])),
        ("get", reverse("planning:run", args=[p, r]) + "?view=grid"),
        ("get", reverse("planning:progress", args=[p, r])),
        ("get", reverse("planning:progress", args=[p, r]) + "?of=apply"),
        ("get", reverse("planning:apply", args=[p, r])),
        ("get", reverse("planning:item_move", args=[p, r, i])),
        ("post", reverse("planning:item", args=[p, r, i])),
        ("post", reverse("planning:rerun", args=[p, r])),
        ("post", reverse("planning:apply", args=[p, r])),
        ("post", reverse("planning:put_back", args=[p, r])),
    ]


def test_the_officer_opens_every_planning_page(client, ready):
    client.force_login(ready.officer)
    for method, url in _urls(ready):
        if method == "get":
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["proctor", "assessor", "chair", "outsider"])
def test_other_roles_and_other_procedures_officers_get_404(client, ready, who):
    client.force_login(getattr(ready, who))
    for method, url in _urls(ready):
        assert getattr(client, method)(url).status_code == 404, url
    assert ready.run.items.filter(pinned=True).count() == 0
    assert PlanningRun.objects.count() == 1
    assert PlanningRun.objects.get().status == PlanningRun.Status.DONE


def test_anonymous_visitors_are_sent_to_the_login_page(client, ready):
    for method, url in _urls(ready):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_a_run_of_another_procedure_is_404_even_for_an_officer(client, ready):
    other = planning_procedure(candidates=1)
    client.force_login(other.officer)
    url = reverse("planning:run", args=[other.procedure.pk, ready.run.pk])
    assert client.get(url).status_code == 404


def test_starting_the_planner_queues_a_run_and_shows_its_progress(client, ready):
    client.force_login(ready.officer)
    data = {"time_limit": "30", **{f"objective_{i}": key for i, key in enumerate(
        ["jury_days", "finish_early", "idle", "preferences", "even_load"])}}
    response = client.post(reverse("planning:home", args=[ready.procedure.pk]), data)
    run = PlanningRun.objects.latest("id")
    assert response.status_code == 302 and response.url == reverse("planning:run", args=[ready.procedure.pk, run.pk])
    assert run.status == PlanningRun.Status.QUEUED
    assert run.objective_order == ["jury_days", "finish_early", "idle", "preferences", "even_load"]
    page = client.get(response.url).content.decode()
    assert f'hx-get="{reverse("planning:progress", args=[ready.procedure.pk, run.pk])}"' in page
    assert "<progress" in page


def test_the_same_goal_twice_is_refused_with_a_message(client, ready):
    client.force_login(ready.officer)
    data = {"time_limit": "30", **{f"objective_{i}": "idle" for i in range(5)}}
    response = client.post(reverse("planning:home", args=[ready.procedure.pk]), data)
    assert response.status_code == 200
    assert "Choose each goal once." in response.content.decode()
    assert PlanningRun.objects.count() == 1


def test_the_proposal_lists_each_candidate_with_the_reason_for_the_slot(client, ready):
    client.force_login(ready.officer)
    page = client.get(reverse("planning:run", args=[ready.procedure.pk, ready.run.pk])).content.decode()
    for c in ready.candidates:
        assert f"{c.last_name}, {c.first_name}" in page
    assert "the earliest day they and a Dutch jury can take part" in page
    assert "2 of 2 candidates (at most 2 can be planned)" in page


def test_pinning_from_the_list_pins_the_item(client, ready):
    client.force_login(ready.officer)
    url = reverse("planning:item", args=[ready.procedure.pk, ready.run.pk, ready.item.pk])
    response = client.post(url, {"action": "pin"})
    assert response.status_code == 302
    ready.item.refresh_from_db()
    assert ready.item.pinned


def test_moving_an_item_pins_it_at_the_new_time(client, ready):
    client.force_login(ready.officer)
    url = reverse("planning:item_move", args=[ready.procedure.pk, ready.run.pk, ready.item.pk])
    day = ready.days[-1]
    response = client.post(url, {"jury": ready.jury.pk, "day": day.isoformat(), "start": "15:00"})
    assert response.status_code == 302
    ready.item.refresh_from_db()
    assert ready.item.pinned
    assert timezone.localtime(ready.item.starts_at).strftime("%Y-%m-%d %H:%M") == f"{day.isoformat()} 15:00"


def test_apply_shows_what_will_change_then_creates_the_appointments_and_offers_the_invitations(client, ready):
    client.force_login(ready.officer)
    url = reverse("planning:apply", args=[ready.procedure.pk, ready.run.pk])
    page = client.get(url).content.decode()
    assert "2 candidates get new appointments." in page
    assert "0 existing interviews move" in page
    response = client.post(url)
    assert response.status_code == 302
    # The worker applies; the page says so and asks every 2 s whether it is done.
    assert not Appointment.objects.filter(procedure=ready.procedure).exists()
    page = client.get(response.url).content.decode()
    progress = reverse("planning:progress", args=[ready.procedure.pk, ready.run.pk]) + "?of=apply"
    assert "Applying" in page and f'hx-get="{progress}"' in page
    assert "Applying" in client.get(progress).content.decode()

    assert tasks.apply_proposal.call(ready.run.pk, ready.officer.pk) == PlanningRun.Status.APPLIED
    assert Appointment.objects.filter(procedure=ready.procedure, kind=Appointment.Kind.INTERVIEW).count() == 2
    assert client.get(progress).headers["HX-Refresh"] == "true"
    page = client.get(response.url).content.decode()
    assert reverse("messaging:bulk", args=[ready.procedure.pk]) in page


def test_a_refused_apply_says_who_and_why_and_offers_apply_again(client, ready):
    client.force_login(ready.officer)
    item = chair_busy_at_the_last_item(ready, ready.run)
    client.post(reverse("planning:apply", args=[ready.procedure.pk, ready.run.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    assert tasks.apply_proposal.call(ready.run.pk, ready.officer.pk) == PlanningRun.Status.DONE
    page = client.get(reverse("planning:run", args=[ready.procedure.pk, ready.run.pk]),
                      HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Rien n’a été appliqué." in page
    assert item.candidate.full_name in page
    assert reverse("planning:apply", args=[ready.procedure.pk, ready.run.pk]) in page
    assert not Appointment.objects.filter(procedure=ready.procedure).exists()


def test_the_planning_page_is_translated_for_dutch_speaking_officers(client, ready):
    client.force_login(ready.officer)
    page = client.get(reverse("planning:home", args=[ready.procedure.pk]), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Start de planner" in page
