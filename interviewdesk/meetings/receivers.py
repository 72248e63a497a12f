"""Reactions to scheduling changes (and to a jury's members changing), inside the transaction that
makes them."""

from __future__ import annotations

from .services import appointment_meeting_sync, meetings_jury_changed


def on_appointment_changed(sender, *, appointment, change: str, actor=None, fields=(), **kwargs) -> None:
    appointment_meeting_sync(appointment=appointment, change=change, fields=fields, actor=actor)


def on_jury_changed(sender, *, jury, actor=None, **kwargs) -> None:
    meetings_jury_changed(jury=jury, actor=actor)
