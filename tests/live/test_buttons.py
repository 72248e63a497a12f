"""The session page's buttons come from the machine's side (live/services/buttons.py): the page
adds only their words, so a move the machine refuses is never offered."""

from __future__ import annotations

import pytest

from interviewdesk.live.services import buttons
from interviewdesk.live.views.session import BUTTONS

pytestmark = pytest.mark.django_db


def test_every_button_move_has_words_and_no_words_lack_a_move():
    assert set(BUTTONS) == set(buttons.BUTTON_MOVES)


def test_a_move_the_machine_refuses_is_not_offered(setup):
    session = setup.session
    offered, _waiting = buttons.session_moves_now(setup.proctor, session, setup.appointment.procedure)
    assert "checkin" in offered
    refusal = buttons.transition_refusal(session, buttons.BUTTON_MOVES["part_2"].to)
    assert refusal is not None and "part_2" not in offered
    offered_to_assessor, _waiting = buttons.session_moves_now(setup.assessors[0], session, setup.appointment.procedure)
    assert "new_appointment_needed" not in offered_to_assessor  # the officer's decision, never an assessor's
