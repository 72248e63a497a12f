"""Reactions to scheduling changes, inside the scheduling transaction."""

from __future__ import annotations

from .services import appointment_meeting_sync


def on_appointment_changed(sender, *, appointment, change: str, actor=None, fields=(), **kwargs) -> None:
    appointment_meeting_sync(appointment=appointment, change=change, fields=fields, actor=actor)
