"""Independence holds per live attempt: a sheet submitted in a stopped attempt opens nothing of the next one.

The scenario users met: assessor A submits in attempt 1, the proctor stops the session, the officer
reschedules, assessor B submits in attempt 2, and A — who has not submitted in attempt 2 — must
see nothing of B's scoring (pages, PDFs, statistics, export), and a corrected result keeps the rule.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from interviewdesk.assessment import selectors, services
from interviewdesk.live import services as live
from interviewdesk.live.models import State
from interviewdesk.procedures.models import Membership, Role
from tests.assessment.conftest import complete, level_id, submit_sheet
from tests.assessment.test_wiring_stopped_session import run_again
from tests.factories import AppointmentFactory, with_profile
from tests.live.conftest import bring_to, make_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    setup = make_setup()
    with_profile(setup.procedure)
    jury = setup.appointment.jury
    setup.panel = [jury.chair, *[m.user for m in jury.members.filter(role="assessor").order_by("id")]]
    return setup


def stopped_and_rescheduled(s):
    """A submits in attempt 1; stop; reschedule; attempt 2 runs and B submits with distinctive notes."""
    _chair, a, b = s.panel
    bring_to(s, State.PART_1)
    submit_sheet(s.appointment, a, [3, 3])
    live.session_stop(actor=s.proctor, session=s.session, reason="Third person in the room")
    live.session_reschedule(actor=s.officer, session=s.session,
                            starts_at=s.appointment.starts_at + dt.timedelta(days=1))
    run_again(s, close=True)
    return a, b, submit_sheet(s.appointment, b, [6, 1])


def url(s, name):
    return reverse(f"assessment:{name}", kwargs={"pk": s.procedure.pk, "appointment_id": s.appointment.pk})


def test_a_sheet_of_a_stopped_attempt_does_not_open_the_others_sheets_of_the_new_one(client, s):
    a, b, _sheet = stopped_and_rescheduled(s)
    assert s.appointment.pk in selectors.blinded_ids(a, s.procedure)
    assert s.appointment.pk not in selectors.blinded_ids(b, s.procedure)
    client.force_login(a)
    assert client.get(url(s, "all_sheets")).status_code == 404
    own = client.get(url(s, "sheet"))
    assert own.status_code == 200  # A can still fill in A's own attempt-2 sheet ...
    assert own.context["sheet"].attempt == 2 and not own.context["sheet"].is_submitted
    assert own.context["others_visible"] is False  # ... without having seen B's levels
    assert str(b) not in own.content.decode().replace(f"Log out ({a})", "")


def test_statistics_and_export_ignore_a_stopped_attempt_and_the_viewers_blind_attempt(client, s):
    a, b, _sheet = stopped_and_rescheduled(s)
    Membership.objects.create(procedure=s.procedure, user=a, role=Role.SELECTION_OFFICER)
    client.force_login(a)
    response = client.get(reverse("assessment:export", kwargs={"pk": s.procedure.pk}))
    levels = list(load_workbook(BytesIO(response.content)).worksheets[1].iter_rows(min_row=2, values_only=True))
    assert levels == []
    stats = client.get(reverse("assessment:statistics", kwargs={"pk": s.procedure.pk})).context
    assert [m["ratings"] for m in stats["members"] if m["member"] == b] in ([], [0])
    # B, who submitted in attempt 2, sees attempt 2's levels only: A's sheet of the stopped attempt never counts.
    assert {r[2] for r in selectors.submitted_ratings(s.procedure, b)} == {b.pk}


def test_a_corrected_result_elsewhere_shows_while_the_blind_interview_stays_out(client, s):
    chair, a, b = s.panel
    other = AppointmentFactory(procedure=s.procedure, jury=s.appointment.jury,
                               starts_at=s.appointment.starts_at - dt.timedelta(days=1))
    result = complete(other, s.panel, {u: [4, 4] for u in s.panel}, [4, 4])
    result = services.result_correct(result=result, actor=s.officer, reason="Typing error", levels={
        rl.guide_competency_id: {"level": level_id(s.procedure, 6), "strengths": "Corrected", "to_develop": ""}
        for rl in result.levels.all()})
    stopped_and_rescheduled(s)
    submit_sheet(s.appointment, chair, [5, 5])
    Membership.objects.create(procedure=s.procedure, user=a, role=Role.SELECTION_OFFICER)
    client.force_login(a)
    book = load_workbook(BytesIO(client.get(reverse("assessment:export", kwargs={"pk": s.procedure.pk})).content))
    assert [r[0] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)] == [other.pk]
    assert [r[4] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)] == [float(result.final_pct)]
    assert result.final_pct > 80  # the corrected value, not the signed-off one
    assert {r[0] for r in book.worksheets[1].iter_rows(min_row=2, values_only=True)} == {other.pk}
    stats = client.get(reverse("assessment:statistics", kwargs={"pk": s.procedure.pk})).context
    assert {m["member"]: m["ratings"] for m in stats["members"]} == {chair: 2, a: 2, b: 2}
    assert client.get(url(s, "jury_pdf")).status_code == 404
    assert client.get(url(s, "consensus")).status_code == 404
