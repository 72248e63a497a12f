"""Sign-off from the consensus form: what the chair typed is saved with it, never lost."""

import pytest
from django.urls import reverse

from interviewdesk.assessment import services
from interviewdesk.assessment.models import Result

from .conftest import level_id, submit_sheet

pytestmark = pytest.mark.django_db


def iv(name, world):
    return reverse(f"assessment:{name}", kwargs={"pk": world.procedure.pk, "appointment_id": world.appointment.pk})


@pytest.fixture
def open_consensus(world, client):
    for user in world.panel:
        submit_sheet(world.appointment, user, [4, 5])
    client.force_login(world.chair)
    return services.result_open(appointment=world.appointment, actor=world.chair)  # (opening the page creates nothing)


def consensus_data(world, result, orders, strengths="Concrete examples", to_develop="Delegation"):
    data = {}
    for rl, order in zip(result.levels.order_by("guide_competency__order"), orders, strict=True):
        gc = rl.guide_competency_id
        data |= {f"l{gc}_level": level_id(world.procedure, order) if order else "",
                 f"l{gc}_strengths": strengths, f"l{gc}_to_develop": to_develop}
    return data


def test_the_sign_off_button_submits_the_consensus_form_itself(client, world, open_consensus):
    page = client.get(iv("consensus", world)).content.decode()
    assert page.count(f'formaction="{iv("sign_off", world)}"') == 1
    assert f' action="{iv("sign_off", world)}"' not in page  # no separate sign-off form
    assert "Signing off saves what you entered, computes the final score and locks the result." in page


def test_signing_off_straight_after_typing_saves_the_levels_and_justifications(client, world, open_consensus):
    confirmation = client.post(iv("sign_off", world), consensus_data(world, open_consensus, [4, 5]))
    assert "73.75 %" in confirmation.content.decode()  # the confirmation step shows the outcome
    response = client.post(iv("sign_off", world), {"confirmed": "yes"}, follow=True)
    assert "Result signed off and locked." in response.content.decode()
    result = Result.objects.get()
    assert (result.status, str(result.final_pct), result.passed) == (Result.Status.SIGNED_OFF, "73.75", True)
    assert [(rl.level.order, rl.strengths, rl.to_develop) for rl in result.levels.order_by("guide_competency__order")] \
        == [(4, "Concrete examples", "Delegation"), (5, "Concrete examples", "Delegation")]


def test_a_refused_sign_off_still_keeps_what_the_chair_typed(client, world, open_consensus):
    data = consensus_data(world, open_consensus, [4, 5], strengths="", to_develop="")
    response = client.post(iv("sign_off", world), data, follow=True)
    assert "Write a justification (strengths or points to develop) for every competency." \
        in response.content.decode()
    result = Result.objects.get()
    assert result.status == Result.Status.OPEN
    assert [rl.level.order for rl in result.levels.order_by("guide_competency__order")] == [4, 5]


def test_a_level_off_the_scale_is_refused_and_nothing_is_saved_or_locked(client, world, open_consensus):
    services.result_save(result=open_consensus, actor=world.chair,
                         levels=_levels(world, open_consensus, [3, 3]))
    data = consensus_data(world, open_consensus, [4, 5])
    data[next(k for k in data if k.endswith("_level"))] = "999999"
    response = client.post(iv("sign_off", world), data, follow=True)
    assert "Some values are not valid." in response.content.decode()
    result = Result.objects.get()
    assert result.status == Result.Status.OPEN
    assert [rl.level.order for rl in result.levels.order_by("guide_competency__order")] == [3, 3]


def test_a_sign_off_post_without_the_form_fields_keeps_the_saved_consensus(client, world, open_consensus):
    services.result_save(result=open_consensus, actor=world.chair, levels=_levels(world, open_consensus, [4, 5]))
    assert client.post(iv("sign_off", world)).status_code == 200  # the confirmation step
    response = client.post(iv("sign_off", world), {"confirmed": "yes"}, follow=True)
    assert "Result signed off and locked." in response.content.decode()
    assert str(Result.objects.get().final_pct) == "73.75"


def _levels(world, result, orders):
    return {rl.guide_competency_id: {"level": level_id(world.procedure, o), "strengths": "Saved", "to_develop": ""}
            for rl, o in zip(result.levels.order_by("guide_competency__order"), orders, strict=True)}
