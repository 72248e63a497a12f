"""A candidate with something of every kind the service keeps, for the retention and erasure tests."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from interviewdesk.live.models import IdentityCheck, Incident, LiveSession
from interviewdesk.messaging.models import Message
from interviewdesk.portal import models as portal
from interviewdesk.portal.services.access import access_link_issue
from interviewdesk.procedures.models import CandidateUnavailability
from interviewdesk.procedures.services import candidate_update
from interviewdesk.scheduling.models import Appointment
from tests.assessment.conftest import complete
from tests.factories import AppointmentFactory, CandidateFactory, jury_with_members, with_profile

PERSONAL = {
    "first_name": "Wilhelmina", "last_name": "Vandersteen-Quast", "email": "wilhelmina.quast@example.net",
    "phone": "+32470998877", "cv_text": "Worked at Zwanenberg Logistics", "motivation": "I love Quastian puzzles",
}
TEXTS = ["Rugpijn sinds 2019 (attest)", "Needs a lift to the third floor", "My webcam froze at Quastville",
         "Saw the Quast family portrait", "Jury note on Quastian CV", "Stop: neighbour Quastmann walked in"]


def held_candidate(procedure, officer, *, language="nl"):
    """A candidate whose interview took place, with a full file; returns (candidate, appointment, link)."""
    with_profile(procedure) if not procedure.profile.exists() else None
    candidate = CandidateFactory(procedure=procedure, language=language, **{
        key: value for key, value in PERSONAL.items() if key != "email"}, email="first.address@example.net")
    candidate = candidate_update(actor=officer, candidate=candidate, email=PERSONAL["email"])  # audited old/new
    jury = procedure.juries.first() or jury_with_members(procedure)
    panel = [jury.chair, *[m.user for m in jury.members.filter(role="assessor").order_by("id")]]
    start = timezone.now() - dt.timedelta(days=2)
    appointment = AppointmentFactory(procedure=procedure, candidate=candidate, jury=jury, starts_at=start,
                                     ends_at=start + dt.timedelta(hours=1))
    link = access_link_issue(candidate=candidate)
    CandidateUnavailability.objects.create(candidate=candidate, date=start.date(), part="am", reason="work")
    portal.Readiness.objects.create(candidate=candidate, equipment={"webcam": True}, phone_confirmed_at=start)
    portal.DeviceCheck.objects.create(candidate=candidate, verdict="ok", browser="Chrome 131", latency_ms=20)
    portal.RoomRequest.objects.create(candidate=candidate, reason=TEXTS[1], needs="a desk")
    request = portal.AdjustmentRequest(candidate=candidate, kinds=["extra_time"], details=TEXTS[0],
                                       certificate_type="application/pdf")
    request.certificate.save("attest.pdf", ContentFile(b"%PDF-1.4 certificate"), save=False)
    request.save()
    portal.ProblemReport.objects.create(candidate=candidate, text=TEXTS[2])
    session = LiveSession.objects.create(appointment=appointment, planned_start=start, stop_reason=TEXTS[5])
    IdentityCheck.objects.create(session=session, document_type="belgian_eid", result="match", note=TEXTS[3],
                                 checked_by=panel[0], checked_at=start)
    Incident.objects.create(session=session, category="other", description=TEXTS[5], phase="part_1",
                            reported_by=panel[0], at=start)
    Message.objects.create(kind="invitation", procedure=procedure, candidate=candidate, appointment=appointment,
                           recipient_name=candidate.full_name, recipient_email=candidate.email, language=language,
                           subject=f"Uitnodiging {candidate.full_name}", body_text=f"Beste {candidate.first_name}",
                           state=Message.State.SENT, sent_at=start)
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.DONE)
    appointment.refresh_from_db()
    complete(appointment, panel, {user: [4, 5] for user in panel}, consensus=[4, 5])
    return candidate, appointment, link
