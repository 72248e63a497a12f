"""Set-up for the meetings' killed-worker test, run as a subprocess against a file database.

    python tests/meetings/worker_script.py setup N ORGANIZER   a Teams procedure with N interviews
                                                               (each its own meeting, waiting for the worker)
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interviewdesk.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.utils import timezone  # noqa: E402

from interviewdesk.meetings.models import Provider, Scope  # noqa: E402
from interviewdesk.meetings.services import meeting_settings_save  # noqa: E402
from interviewdesk.procedures.models import Candidate, Jury, JuryMember, Membership, Procedure, Role  # noqa: E402
from interviewdesk.procedures.scales import ensure_default_scale  # noqa: E402
from interviewdesk.scheduling.models import Appointment  # noqa: E402
from interviewdesk.scheduling.services import appointment_plan  # noqa: E402


def staff(procedure: Procedure, username: str, role: str):
    user = get_user_model().objects.create_user(username=username, email=f"{username}@contoso.example",
                                                first_name=username.title(), last_name="Staff")
    Membership.objects.create(procedure=procedure, user=user, role=role)
    return user


def setup(n: int, organizer: str) -> None:
    procedure = Procedure.objects.create(reference="KILLM1", title="Analyst", language="nl", contact_name="An",
                                         contact_email="an@example.org", scale=ensure_default_scale(),
                                         status=Procedure.Status.OPEN)
    meeting_settings_save(procedure=procedure, actor=None, provider=Provider.TEAMS, scope=Scope.APPOINTMENT,
                          teams_organizer=organizer)
    jury = Jury.objects.create(procedure=procedure, name="Jury A", languages=["nl"])
    JuryMember.objects.create(jury=jury, user=staff(procedure, "chair", Role.JURY_CHAIR), role=JuryMember.Role.CHAIR)
    JuryMember.objects.create(jury=jury, user=staff(procedure, "assessor", Role.ASSESSOR),
                              role=JuryMember.Role.ASSESSOR)
    proctor = staff(procedure, "proctor", Role.PROCTOR)
    start = timezone.now() + dt.timedelta(days=5)
    for i in range(n):
        candidate = Candidate.objects.create(procedure=procedure, first_name=f"C{i}", last_name="Test",
                                             email=f"c{i}@example.net", phone="+32470123456", language="nl")
        appointment_plan(actor=None, appointment=Appointment(
            procedure=procedure, candidate=candidate, kind=Appointment.Kind.INTERVIEW, jury=jury, proctor=proctor,
            starts_at=start + dt.timedelta(minutes=50 * i), ends_at=start + dt.timedelta(minutes=50 * i + 45)))


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(int(sys.argv[2]), sys.argv[3])
