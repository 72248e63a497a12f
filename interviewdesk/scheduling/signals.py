"""Sent inside the scheduling transaction so that other apps (messaging: invitations,
updates, cancellations) write their rows atomically with the change."""

from django.dispatch import Signal

# kwargs: appointment, change ("planned" | "updated" | "cancelled" | "status"), actor, fields (changed field names)
appointment_changed = Signal()
