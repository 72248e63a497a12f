"""The extra time a selection officer approves in the portal reaches the live session's clock."""

import pytest

from interviewdesk.live import services
from interviewdesk.portal.models import AdjustmentRequest
from interviewdesk.portal.services.adjustments import adjustment_decide
from tests.live.conftest import make_setup

pytestmark = pytest.mark.django_db


def test_the_first_attempt_starts_with_the_extra_time_approved_for_this_step():
    s = make_setup(pre_stage="case", pre_stage_minutes=30)
    request = AdjustmentRequest.objects.create(candidate=s.appointment.candidate, kinds=["extra_time"])
    adjustment_decide(actor=s.officer, request=request, appointment=s.appointment, approved=True, extra_minutes=15)
    assert services.session_current(s.appointment).extra_minutes == 15


def test_a_refused_request_adds_no_time():
    s = make_setup(pre_stage="case", pre_stage_minutes=30)
    request = AdjustmentRequest.objects.create(candidate=s.appointment.candidate, kinds=["extra_time"])
    adjustment_decide(actor=s.officer, request=request, appointment=s.appointment, approved=False)
    assert services.session_current(s.appointment).extra_minutes == 0
