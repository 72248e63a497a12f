"""The moves staff make with one button on the session page, owned by the machine's side.

Which of them a user may take now is asked of the machine (`transition_refusal`, the same checks
as the move itself), so the page never offers a move that would be refused, and says why one
waits. The page only adds the words on the buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from interviewdesk.procedures.permissions import can

from ..models import LiveSession, State
from .followup import session_request_new_appointment
from .machine import (
    NOT_NOW,
    IllegalTransition,
    session_checkin,
    session_close,
    session_mark_no_show,
    session_part_1_start,
    session_part_2_start,
    session_preparation_start,
    transition_refusal,
)


@dataclass(frozen=True)
class ButtonMove:
    to: str  # the state the session moves to
    capability: str  # what the user needs in the procedure
    service: Callable


BUTTON_MOVES: dict[str, ButtonMove] = {
    "checkin": ButtonMove(State.CANDIDATE_WAITING, "session.run", session_checkin),
    "no_show": ButtonMove(State.NO_SHOW, "session.run", session_mark_no_show),
    "preparation": ButtonMove(State.PREPARATION, "session.run", session_preparation_start),
    "part_1": ButtonMove(State.PART_1, "session.run", session_part_1_start),
    "part_2": ButtonMove(State.PART_2, "session.run", session_part_2_start),
    "close": ButtonMove(State.CLOSED, "session.run", session_close),
    "new_appointment_needed": ButtonMove(State.NEEDS_NEW_APPOINTMENT, "appointment.manage",
                                         session_request_new_appointment),
}


def session_moves_now(user, session: LiveSession, procedure) -> tuple[list[str], list[tuple[str, IllegalTransition]]]:
    """(the moves the user may make now, [(a move that waits, the machine's reason)]). Moves the
    user has no right to, or that the session can never make from its state, are left out."""
    offered, waiting = [], []
    for name, move in BUTTON_MOVES.items():
        if not can(user, move.capability, procedure):
            continue
        refusal = transition_refusal(session, move.to)
        if refusal is None:
            offered.append(name)
        elif refusal.code == NOT_NOW:
            waiting.append((name, refusal))
    return offered, waiting


def session_move(*, actor, session: LiveSession, name: str):
    """Make the button move `name` (KeyError for an unknown one)."""
    return BUTTON_MOVES[name].service(actor=actor, session=session)
