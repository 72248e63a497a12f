"""Sent when a meeting's links are known or changed (inside the transaction that records it), so that a
higher app (messaging) can send what waited for the meeting. kwargs: meeting, appointment_ids."""

from django.dispatch import Signal

meeting_ready = Signal()
