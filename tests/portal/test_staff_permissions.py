"""Who may use the portal's staff actions: anonymous → login, other procedure → 404, wrong role → 404."""

import datetime as dt

import pytest
from django.utils import timezone

from interviewdesk.portal.models import AdjustmentRequest, ConnectionTestSlot, ProblemReport
from interviewdesk.portal.services.connection_tests import connection_test_book
from interviewdesk.procedures.models import Role
from tests.factories import AppointmentFactory, CandidateFactory, ProcedureFactory, member

pytestmark = pytest.mark.django_db


def _setup():
    procedure = ProcedureFactory()
    candidate = CandidateFactory(procedure=procedure)
    start = timezone.now() + dt.timedelta(days=3)
    slot = ConnectionTestSlot.objects.create(procedure=procedure, proctor=member(procedure, Role.PROCTOR),
                                             starts_at=start, ends_at=start + dt.timedelta(minutes=15))
    booking = connection_test_book(candidate=candidate, slot=slot, interview=None)
    preparation = AppointmentFactory(candidate=candidate, procedure=procedure, kind="preparation",
                                     starts_at=start + dt.timedelta(days=2), ends_at=start + dt.timedelta(days=2, hours=1))
    adjustment = AdjustmentRequest.objects.create(candidate=candidate, kinds=["extra_time"])
    report = ProblemReport.objects.create(candidate=candidate, text="help")
    base = f"/procedures/{procedure.pk}"
    return procedure, {
        "resolve": (f"{base}/problems/{report.pk}/resolve/", {}),
        "link": (f"{base}/candidates/{candidate.pk}/link/", {"action": "revoke", "confirmed": "yes"}),
        "outcome": (f"{base}/connection-tests/bookings/{booking.pk}/outcome/", {"outcome": "passed"}),
        "decide": (f"{base}/adjustments/{adjustment.pk}/decide/",
                   {"appointment": preparation.pk, "approved": "yes", "extra_minutes": 5}),
    }


@pytest.mark.parametrize(("action", "allowed", "refused"), [
    ("resolve", Role.SELECTION_OFFICER, Role.PROCTOR),
    ("link", Role.SELECTION_OFFICER, Role.JURY_CHAIR),
    ("outcome", Role.PROCTOR, Role.ASSESSOR),
    ("decide", Role.SELECTION_OFFICER, Role.PROCTOR),
])
def test_staff_actions_follow_the_permission_matrix(client, action, allowed, refused):
    procedure, actions = _setup()
    url, data = actions[action]
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(member(ProcedureFactory(), allowed))
    assert client.post(url, data).status_code == 404
    client.force_login(member(procedure, refused))
    assert client.post(url, data).status_code == 404
    client.force_login(member(procedure, allowed))
    response = client.post(url, data)
    assert response.status_code == 302 and not response["Location"].startswith("/accounts/login/")
