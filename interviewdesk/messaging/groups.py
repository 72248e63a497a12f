"""Which appointments a staff member holds as one calendar event (a connection-test slot).

Messaging sits below the portal, which owns the slots: the portal registers a `GroupFinder` in its
AppConfig.ready, as it registers the personal links (links.link_keeper_register). Without one (or for
an appointment in no group) every appointment is its own event, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from interviewdesk.scheduling.models import Appointment


@dataclass(frozen=True)
class GroupFinder:
    # The group of an appointment ("test_slot:<id>"), or None: an event of its own.
    group_of: Callable[[Appointment], str | None]
    # Whether another appointment of the group, still active and already sent, has `email` as its staff.
    others_sent: Callable[[str, Appointment, str], bool]


_finder: GroupFinder | None = None


def group_finder_register(finder: GroupFinder) -> None:
    global _finder
    _finder = finder


def group_finder() -> GroupFinder | None:
    return _finder
