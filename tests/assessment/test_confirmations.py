"""The chair's sign-off and the officer's publication each take a confirmation step that says what
will happen and to whom; a POST without it changes nothing."""

from __future__ import annotations

import html

import pytest

from interviewdesk.assessment import services
from interviewdesk.assessment.models import Result
from interviewdesk.messaging.models import Message
from tests.factories import AppointmentFactory, CandidateFactory

from .conftest import complete, level_id, submit_sheet
from .test_views import iv, outsider_of_another_procedure, url

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def consensus_data(result, procedure, orders):
    data = {}
    for rl, order in zip(result.levels.order_by("guide_competency__order"), orders, strict=True):
        gc = rl.guide_competency_id
        data |= {f"l{gc}_level": level_id(procedure, order), f"l{gc}_strengths": "Good", f"l{gc}_to_develop": "x"}
    return data


def test_sign_off_shows_the_outcome_and_asks_before_locking(client, world):
    for user in world.panel:
        submit_sheet(world.appointment, user, [4, 6])
    client.force_login(world.chair)
    result = services.result_open(appointment=world.appointment, actor=world.chair)  # (opening the page creates nothing)
    page = client.post(iv("sign_off", world), consensus_data(result, world.procedure, [4, 6]))
    assert page.status_code == 200
    body = text(page)
    assert "79.75 %" in body and "locked" in body and world.appointment.candidate.full_name in body
    result.refresh_from_db()
    assert result.status == Result.Status.OPEN  # what was typed is saved, nothing is signed yet
    assert result.levels.filter(level__isnull=True).count() == 0
    client.post(iv("sign_off", world), {"confirmed": "yes"})
    result.refresh_from_db()
    assert result.status == Result.Status.SIGNED_OFF


def test_sign_off_with_a_missing_level_says_so_instead_of_asking(client, world):
    for user in world.panel:
        submit_sheet(world.appointment, user, [4, 5])
    services.result_open(appointment=world.appointment, actor=world.chair)
    client.force_login(world.chair)
    response = client.post(iv("sign_off", world), follow=True)
    assert "Set a consensus level for every competency." in text(response)
    assert Result.objects.get().status == Result.Status.OPEN


def test_publishing_names_who_will_be_told_and_waits_for_the_confirmation(client, world):
    complete(world.appointment, world.panel, {u: [4, 5] for u in world.panel}, [4, 5])
    other = AppointmentFactory(procedure=world.procedure, jury=world.jury,
                               candidate=CandidateFactory(procedure=world.procedure, last_name="Wouters"),
                               starts_at=world.appointment.starts_at.replace(hour=15))
    complete(other, world.panel, {u: [2, 2] for u in world.panel}, [2, 2])
    client.force_login(world.officer)
    results_page = text(client.get(url("results", world)))
    assert f'href="{url("publish", world)}"' in results_page
    confirmation = client.get(url("publish", world))
    body = text(confirmation)
    assert "2 candidates" in body and "Wouters" in body and world.appointment.candidate.full_name in body
    assert client.post(url("publish", world)).status_code == 200  # no confirmation: nothing published
    assert not Result.objects.filter(status=Result.Status.PUBLISHED).exists()
    assert not Message.objects.filter(kind__startswith="result").exists()
    client.post(url("publish", world), {"confirmed": "yes"})
    assert Result.objects.filter(status=Result.Status.PUBLISHED).count() == 2


@pytest.mark.parametrize("who", ["chair", "a1", "outsider"])
def test_only_the_officer_reaches_the_publication_confirmation(client, world, who):
    user = outsider_of_another_procedure() if who == "outsider" else getattr(world, who)
    client.force_login(user)
    assert client.get(url("publish", world)).status_code == 404


def test_anonymous_is_sent_to_log_in_from_the_publication_confirmation(client, world):
    assert client.get(url("publish", world))["Location"].startswith("/accounts/login/")
