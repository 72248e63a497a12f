from __future__ import annotations

from interviewdesk.messaging.models import Invitation

from .services import overview_touch


def on_invitation_answered(sender, *, invitation: Invitation, **kwargs) -> None:
    if invitation.role == Invitation.Role.CANDIDATE:
        overview_touch(invitation.appointment.candidate_id)  # (the personal page shows the answer)
