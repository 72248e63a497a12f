"""The jury report carries the live session's timeline: identity check and incidents as logged."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from interviewdesk.live import services as live
from interviewdesk.live.models import IdentityCheck, Incident, State
from tests.assessment.conftest import complete
from tests.assessment.test_reports import pdf_text
from tests.factories import with_profile
from tests.live.conftest import bring_to, make_setup

pytestmark = pytest.mark.django_db


def test_an_incident_and_the_identity_check_logged_live_appear_in_the_jury_report(client, tmp_path):
    s = make_setup()
    with_profile(s.procedure)
    session = bring_to(s, State.CANDIDATE_WAITING)
    live.session_identity_record(actor=s.proctor, session=session, document_type="passport", result="match",
                                 note="Photo checked against the camera image")
    session = bring_to(s, State.PART_1)
    live.incident_log(actor=s.proctor, session=session, category="third_person",
                      description="A voice was heard behind the candidate")
    bring_to(s, State.CLOSED)
    jury = s.appointment.jury
    panel = [jury.chair, *[m.user for m in jury.members.filter(role="assessor").order_by("id")]]
    complete(s.appointment, panel, {user: [3, 3] for user in panel}, [3, 3])

    client.force_login(s.officer)
    response = client.get(reverse("assessment:jury_pdf", kwargs={"pk": s.procedure.pk,
                                                                  "appointment_id": s.appointment.pk}))
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    with translation.override("nl"):  # the candidate's language, in which the report is written
        identity = translation.gettext("Identity check: %(document)s, %(result)s") % {
            "document": IdentityCheck.Document.PASSPORT.label, "result": IdentityCheck.Result.MATCH.label}
        incident = translation.gettext("Incident: %(category)s (%(decision)s)") % {
            "category": Incident.Category.THIRD_PERSON.label, "decision": Incident.Decision.NOTED.label}
    # Table cells wrap and pdftotext interleaves neighbouring cells: look for each cell's first line.
    for expected in (identity.split(",")[0], "Photo checked against the", incident.split(" (")[0],
                     "A voice was heard behind"):
        assert expected in text
    assert (identity.split(",")[0], incident.split(" (")[0]) == ("Identiteitscontrole: paspoort",
                                                               "Incident: derde persoon aanwezig")
    assert "Er werden geen gebeurtenissen van de sessie vastgelegd." not in text
