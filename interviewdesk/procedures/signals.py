"""Sent inside the procedures transaction so that other apps (messaging: invitations to a
corrected e-mail address) write their rows atomically with the change."""

from django.dispatch import Signal

# kwargs: candidate, actor, fields (the names of the fields that changed)
candidate_changed = Signal()
