"""Sent inside the procedures transaction so that other apps (messaging: invitations to a
corrected e-mail address; meetings: the co-organizers of a jury's meetings) write their rows
atomically with the change."""

from django.dispatch import Signal

# kwargs: candidate, actor, fields (the names of the fields that changed)
candidate_changed = Signal()

# kwargs: jury, actor. A jury's members changed (one replaced, added or removed; set-up).
jury_changed = Signal()
