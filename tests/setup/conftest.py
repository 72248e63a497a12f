"""A staffed procedure with a planning window, and a person allowed to create procedures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from interviewdesk.procedures.permissions import officer_group
from tests.factories import UserFactory, staffed_procedure


def next_monday(after: dt.date) -> dt.date:
    return after + dt.timedelta(days=7 - after.weekday())


@pytest.fixture
def staff(db):
    """staffed_procedure() with a planning window of two weeks starting a week from now."""
    first = next_monday(timezone.localdate() + dt.timedelta(days=7))
    return staffed_procedure(first_interview_day=first, last_interview_day=first + dt.timedelta(days=11),
                             unavailability_deadline=first - dt.timedelta(days=3))


@pytest.fixture
def creator(db):
    """A member of the "Selection officers" group, without any procedure yet."""
    user = UserFactory(username="new-officer")
    user.groups.add(officer_group())
    return user
