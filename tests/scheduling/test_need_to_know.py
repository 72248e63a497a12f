"""Need-to-know per jury and role (issue 12): the permission matrix per jury and per session.

Two juries of one procedure, each with its own proctor, interview one candidate each today. A
jury member or proctor reaches only the candidate of their own session (another candidate of the
same procedure answers 404, like another procedure's), and of them only what their role needs;
the officer sees everything, and every read of a medical reason is audited.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from interviewdesk.core.models import AuditEntry
from interviewdesk.live import services as live_services
from interviewdesk.live.models import ProblemReport as SessionProblem
from interviewdesk.portal.models import AdjustmentRequest, ProblemReport, RoomRequest
from interviewdesk.procedures.models import JuryMember, Role
from interviewdesk.scheduling import visibility
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, CandidateFactory, ProcedureFactory, jury_with_members, member

pytestmark = pytest.mark.django_db


def _side(procedure, name: str, start: dt.datetime) -> SimpleNamespace:
    jury = jury_with_members(procedure)
    proctor = member(procedure, Role.PROCTOR)
    candidate = CandidateFactory(procedure=procedure, first_name=name, last_name="Secret" + name,
                                 email=f"{name.lower()}@example.net", phone="+3247000000" + str(len(name) % 10),
                                 date_of_birth=dt.date(1991, 2, 3), cv_text=f"CV of {name}",
                                 motivation=f"Motivation of {name}")
    interview = AppointmentFactory(procedure=procedure, candidate=candidate, jury=jury, proctor=proctor,
                                   starts_at=start, ends_at=start + dt.timedelta(hours=1),
                                   status=Appointment.Status.INVITED)
    assessor = jury.members.filter(role=JuryMember.Role.ASSESSOR).order_by("id").first().user
    return SimpleNamespace(jury=jury, chair=jury.chair, assessor=assessor, proctor=proctor, candidate=candidate,
                           interview=interview)


@pytest.fixture
def world(today_at_ten):
    procedure = ProcedureFactory()
    a = _side(procedure, "Anna", today_at_ten + dt.timedelta(hours=1))
    b = _side(procedure, "Bert", today_at_ten + dt.timedelta(hours=4))
    for side in (a, b):
        ProblemReport.objects.create(candidate=side.candidate, text=f"Problem of {side.candidate.first_name}")
        RoomRequest.objects.create(candidate=side.candidate, reason=f"Room reason of {side.candidate.first_name}")
        AdjustmentRequest.objects.create(candidate=side.candidate, kinds=["extra_time"],
                                         details=f"Medical reason of {side.candidate.first_name}")
    declaration = live_services.declaration_submit(actor=b.assessor, appointment=b.interview, has_link=True,
                                                   link_description="Bert's neighbour")
    return SimpleNamespace(procedure=procedure, a=a, b=b, officer=member(procedure, Role.SELECTION_OFFICER),
                           declaration=declaration)


def _candidate_url(world, side) -> str:
    return reverse("candidate_detail", args=[world.procedure.pk, side.candidate.pk])


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


# --- candidate-level URLs: own candidate 200, the other jury's (or session's) 404 ----------------------------

CANDIDATE_LEVEL = {
    "candidate page": lambda w, s: _candidate_url(w, s),
    "session page": lambda w, s: reverse("live:session", args=[s.interview.pk]),
    "session status": lambda w, s: reverse("live:session_status", args=[s.interview.pk]),
}


@pytest.mark.parametrize("page", sorted(CANDIDATE_LEVEL))
@pytest.mark.parametrize("who", ["assessor", "chair", "proctor"])
def test_a_jury_member_or_proctor_reaches_their_own_candidate_and_not_the_other(client, world, page, who):
    user = getattr(world.a, who)
    assert _get(client, user, CANDIDATE_LEVEL[page](world, world.a)).status_code == 200
    assert _get(client, user, CANDIDATE_LEVEL[page](world, world.b)).status_code == 404


@pytest.mark.parametrize("page", sorted(CANDIDATE_LEVEL))
def test_the_officer_reaches_every_candidate(client, world, page):
    for side in (world.a, world.b):
        assert _get(client, world.officer, CANDIDATE_LEVEL[page](world, side)).status_code == 200


@pytest.mark.parametrize("who", ["assessor", "chair"])
def test_the_scoring_pages_of_another_jury_answer_404(client, world, who):
    user = getattr(world.a, who)
    pk, other = world.procedure.pk, world.b.interview.pk
    for name in ("assessment:sheet", "assessment:all_sheets", "assessment:feedback_pdf", "assessment:jury_pdf"):
        assert _get(client, user, reverse(name, args=[pk, other])).status_code == 404, name


def test_a_conflict_declaration_of_another_jury_cannot_be_decided_or_read(client, world):
    client.force_login(world.a.chair)
    response = client.post(reverse("live:declaration_decide", args=[world.declaration.pk]),
                           {"stays": "yes", "reason": "fine"})
    assert response.status_code == 404
    world.declaration.refresh_from_db()
    assert world.declaration.decision == "pending"
    assert "Bert's neighbour" not in _get(client, world.a.chair, reverse("live:session", args=[world.a.interview.pk])
                                          ).content.decode()
    # The chair of Bert's jury reads it on Bert's session.
    assert "Bert&#x27;s neighbour" in _get(client, world.b.chair, reverse("live:session", args=[world.b.interview.pk])
                                           ).content.decode()


def test_a_proctor_cannot_acknowledge_a_problem_of_a_session_not_theirs(client, world):
    live_services.session_checkin(actor=world.b.proctor, session=live_services.session_current(world.b.interview))
    problem = SessionProblem.objects.create(session=live_services.session_current(world.b.interview),
                                            at=timezone.now(), text="No sound")
    client.force_login(world.a.proctor)
    assert client.post(reverse("live:problem_acknowledge", args=[problem.pk])).status_code == 404
    client.force_login(world.b.proctor)
    assert client.post(reverse("live:problem_acknowledge", args=[problem.pk])).status_code == 302


# --- what each role reads of its own candidate ---------------------------------------------------------------

def test_the_jury_reads_name_cv_and_motivation_not_contact_birth_date_or_requests(client, world):
    for user in (world.a.assessor, world.a.chair):
        page = _get(client, user, _candidate_url(world, world.a)).content.decode()
        assert "CV of Anna" in page and "Motivation of Anna" in page
        for secret in ("anna@example.net", world.a.candidate.phone, "1991", "Problem of Anna", "Room reason",
                       "Medical reason"):
            assert secret not in page, secret
        session = _get(client, user, reverse("live:session", args=[world.a.interview.pk])).content.decode()
        assert "SecretAnna" in session
        assert "1991" not in session and world.a.candidate.phone not in session


def test_the_proctor_reads_name_phone_and_birth_date_not_cv_e_mail_or_medical_reason(client, world):
    page = _get(client, world.a.proctor, _candidate_url(world, world.a)).content.decode()
    assert "SecretAnna" in page and "1991" in page
    assert "+32 470" in page  # the phone, as displayed
    for secret in ("CV of Anna", "Motivation of Anna", "anna@example.net", "Medical reason", "Room reason"):
        assert secret not in page, secret
    session = _get(client, world.a.proctor, reverse("live:session", args=[world.a.interview.pk])).content.decode()
    assert "1991" in session


def test_the_officer_reads_everything(client, world):
    page = _get(client, world.officer, _candidate_url(world, world.a)).content.decode()
    for fact in ("CV of Anna", "anna@example.net", "1991", "+32 470"):
        assert fact in page


# --- staff-wide lists, filtered per role -------------------------------------------------------------------

def test_the_procedure_page_lists_only_the_jury_members_own_candidates(client, world):
    page = _get(client, world.a.assessor, reverse("procedure_detail", args=[world.procedure.pk])).content.decode()
    assert "SecretAnna" in page and "SecretBert" not in page
    page = _get(client, world.officer, reverse("procedure_detail", args=[world.procedure.pk])).content.decode()
    assert "SecretAnna" in page and "SecretBert" in page


def test_readiness_and_its_export_hold_only_the_users_own_candidates(client, world):
    pk = world.procedure.pk
    for user in (world.a.assessor, world.a.proctor):
        page = _get(client, user, reverse("portal:readiness", args=[pk])).content.decode()
        assert "SecretAnna" in page and "SecretBert" not in page
        book = load_workbook(BytesIO(_get(client, user, reverse("portal:readiness_xlsx", args=[pk])).content))
        assert [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)] == ["SecretAnna"]
    book = load_workbook(BytesIO(_get(client, world.officer, reverse("portal:readiness_xlsx", args=[pk])).content))
    assert [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)] == ["SecretAnna", "SecretBert"]


def test_problem_reports_show_to_the_officer_and_the_proctor_of_the_session_never_to_the_jury(client, world):
    pk = world.procedure.pk
    for url in (reverse("portal:readiness", args=[pk]), reverse("dashboard")):
        assert "Problem of Anna" not in _get(client, world.a.assessor, url).content.decode()
        page = _get(client, world.a.proctor, url).content.decode()
        assert "Problem of Anna" in page and "Problem of Bert" not in page
        page = _get(client, world.officer, url).content.decode()
        assert "Problem of Anna" in page and "Problem of Bert" in page


def test_room_request_reasons_are_the_officers(client, world):
    url = reverse("portal:room_requests", args=[world.procedure.pk])
    for user in (world.a.assessor, world.a.proctor, world.a.chair):
        assert "Room reason" not in _get(client, user, url).content.decode()
    assert "Room reason of Bert" in _get(client, world.officer, url).content.decode()


def test_the_dashboard_and_the_console_list_only_the_users_own_sessions_of_the_day(client, world):
    for user, own, other in ((world.a.assessor, "SecretAnna", "SecretBert"),
                             (world.b.proctor, "SecretBert", "SecretAnna")):
        page = _get(client, user, reverse("dashboard")).content.decode()
        assert own in page and other not in page
    page = _get(client, world.b.proctor, reverse("live:procedure_console", args=[world.procedure.pk])).content.decode()
    assert "SecretBert" in page and "SecretAnna" not in page
    page = _get(client, world.a.chair, reverse("live:console")).content.decode()
    assert "SecretAnna" in page and "SecretBert" not in page
    page = _get(client, world.officer, reverse("live:console")).content.decode()
    assert "SecretAnna" in page and "SecretBert" in page


def test_the_mail_log_adjustments_and_certificates_stay_with_the_officer(client, world):
    pk = world.procedure.pk
    for user in (world.a.assessor, world.a.chair, world.a.proctor):
        for name in ("messaging:procedure", "portal:adjustments_staff"):
            assert _get(client, user, reverse(name, args=[pk])).status_code == 404, (user, name)
        assert _get(client, user, reverse("messaging:candidate", args=[pk, world.a.candidate.pk])).status_code == 404


def test_every_read_of_a_medical_reason_is_audited_with_who_and_from_where(client, world):
    page = _get(client, world.officer, reverse("portal:adjustments_staff", args=[world.procedure.pk]))
    assert "Medical reason of Anna" in page.content.decode()
    reads = AuditEntry.objects.filter(action="adjustment.read", actor=world.officer)
    assert sorted(int(e.object_id) for e in reads) == sorted(
        AdjustmentRequest.objects.values_list("pk", flat=True))
    assert {e.client_address for e in reads} == {"127.0.0.1"}
    assert {e.procedure_id for e in reads} == {world.procedure.pk}


# --- the rule itself -----------------------------------------------------------------------------------------

def test_a_session_without_a_proctor_is_open_to_every_proctor_of_the_procedure(world):
    other_proctor = member(world.procedure, Role.PROCTOR)
    assert list(visibility.candidates_visible_to(other_proctor, world.procedure)) == []
    Appointment.objects.filter(pk=world.b.interview.pk).update(proctor=None)
    assert list(visibility.candidates_visible_to(other_proctor, world.procedure)) == [world.b.candidate]
    assert visibility.candidate_needs(other_proctor, world.b.candidate) == visibility.PROCTOR_NEEDS


def test_a_jury_member_removed_from_the_jury_no_longer_sees_its_candidates(world):
    assert visibility.candidate_needs(world.a.assessor, world.a.candidate) == visibility.JURY_NEEDS
    JuryMember.objects.filter(jury=world.a.jury, user=world.a.assessor).delete()
    assert visibility.candidate_needs(world.a.assessor, world.a.candidate) == frozenset()
    assert list(visibility.candidates_visible_to(world.a.assessor, world.procedure)) == []


def test_someone_who_is_proctor_of_one_session_and_assessor_of_another_gets_each_roles_needs(world):
    both = world.a.assessor
    member_row = world.procedure.memberships.create(user=both, role=Role.PROCTOR)
    assert member_row.pk
    Appointment.objects.filter(pk=world.b.interview.pk).update(proctor=both)
    both._roles_cache = None
    assert visibility.candidate_needs(both, world.a.candidate) == visibility.JURY_NEEDS
    assert visibility.candidate_needs(both, world.b.candidate) == visibility.PROCTOR_NEEDS


def test_during_a_lost_connection_the_chair_reads_the_phone_and_the_assessor_does_not(client, world):
    session = live_services.session_current(world.a.interview)
    live_services.session_checkin(actor=world.a.proctor, session=session)
    live_services.incident_log(actor=world.a.proctor, session=session, category="connection_lost",
                               description="Video froze")
    url = reverse("live:session", args=[world.a.interview.pk])
    assert "Call the candidate" in _get(client, world.a.chair, url).content.decode()
    assert "Call the candidate" in _get(client, world.a.proctor, url).content.decode()
    page = _get(client, world.a.assessor, url).content.decode()
    assert "Connection lost" in page and "Call the candidate" not in page


def test_the_identity_check_note_is_read_by_the_proctor_and_the_officer_not_by_the_jury(client, world):
    session = live_services.session_current(world.a.interview)
    live_services.session_checkin(actor=world.a.proctor, session=session)
    live_services.session_identity_record(actor=world.a.proctor, session=session, document_type="belgian_eid",
                                          result="match", note="Photo is old, QUASTNOTE")
    url = reverse("live:session", args=[world.a.interview.pk])
    for user in (world.a.proctor, world.officer):
        assert "QUASTNOTE" in _get(client, user, url).content.decode()
    for user in (world.a.chair, world.a.assessor):
        page = _get(client, user, url).content.decode()
        assert "Identity check" in page and "QUASTNOTE" not in page
