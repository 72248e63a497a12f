"""A jury member who has not submitted sees nothing of the others' scoring: pages, downloads, ordering."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from interviewdesk.assessment import selectors
from interviewdesk.procedures.models import Membership, Role
from tests.factories import AppointmentFactory

from .conftest import complete, submit_sheet

pytestmark = pytest.mark.django_db


def iv(name, world, appointment=None):
    return reverse(f"assessment:{name}", kwargs={"pk": world.procedure.pk,
                                                 "appointment_id": (appointment or world.appointment).pk})


def test_other_sheets_stay_hidden_until_the_own_sheet_is_submitted(client, world):
    submit_sheet(world.appointment, world.chair, [6, 6])
    client.force_login(world.a1)
    assert client.get(iv("all_sheets", world)).status_code == 404
    submit_sheet(world.appointment, world.a1, [3, 3])
    page = client.get(iv("all_sheets", world))
    assert page.status_code == 200
    assert [s.member for s in page.context["sheets"]] == [world.chair, world.a1]


def test_the_own_sheet_page_shows_no_level_of_another_member(client, world):
    submit_sheet(world.appointment, world.chair, [6, 6])
    client.force_login(world.a1)
    page = client.get(reverse("assessment:sheet", kwargs={"pk": world.procedure.pk,
                                                          "appointment_id": world.appointment.pk})).content.decode()
    assert "checked" not in page
    assert str(world.chair) not in page.replace(f"Log out ({world.a1})", "")
    assert "See every submitted sheet" not in page


def test_the_chair_who_has_not_submitted_sees_no_consensus_data(client, world):
    submit_sheet(world.appointment, world.a1, [2, 2])
    submit_sheet(world.appointment, world.a2, [6, 6])
    client.force_login(world.chair)
    response = client.get(iv("consensus", world))
    assert response.templates[0].name == "assessment/consensus_wait.html"
    assert "Submit your own score sheet first." in response.content.decode()
    assert "very good" not in response.content.decode()


def test_the_interview_list_ignores_orderings_outside_the_fixed_list(client, world):
    later = AppointmentFactory(procedure=world.procedure, jury=world.jury,
                               starts_at=world.appointment.starts_at.replace(hour=15))
    submit_sheet(later, world.chair, [6, 6])
    client.force_login(world.a1)
    base = reverse("assessment:interviews", kwargs={"pk": world.procedure.pk})
    for order in ("-score_sheets__ratings__level__order", "score_sheets__ratings__level", "-assessment_result__final_pct"):
        response = client.get(base, {"order": order})
        assert response.context["order"] == "time"
        assert [a.pk for a in response.context["rows"]] == [world.appointment.pk, later.pk]


def test_a_jury_member_sees_only_their_own_sheet_status_in_the_list(client, world):
    submit_sheet(world.appointment, world.chair, [6, 6])
    client.force_login(world.a1)
    row = client.get(reverse("assessment:interviews", kwargs={"pk": world.procedure.pk})).context["rows"][0]
    assert row.own_sheets == []


@pytest.fixture
def officer_on_the_jury(world):
    """The selection officer also sits as an assessor: blind to that interview until they submit."""
    Membership.objects.create(procedure=world.procedure, user=world.a2, role=Role.SELECTION_OFFICER)
    other = AppointmentFactory(procedure=world.procedure, jury=world.jury,
                               starts_at=world.appointment.starts_at.replace(hour=15))
    complete(other, world.panel, {u: [5, 5] for u in world.panel}, [5, 5])
    submit_sheet(world.appointment, world.chair, [1, 1])
    submit_sheet(world.appointment, world.a1, [1, 1])
    return other


def test_statistics_leave_out_interviews_the_viewer_is_blind_to(client, world, officer_on_the_jury):
    client.force_login(world.a2)
    context = client.get(reverse("assessment:statistics", kwargs={"pk": world.procedure.pk})).context
    assert {m["member"]: m["ratings"] for m in context["members"]} == {world.chair: 2, world.a1: 2, world.a2: 2}
    assert context["overall_mean"] == 5


def test_the_export_leaves_out_interviews_the_viewer_is_blind_to(client, world, officer_on_the_jury):
    client.force_login(world.a2)
    response = client.get(reverse("assessment:export", kwargs={"pk": world.procedure.pk}))
    book = load_workbook(BytesIO(response.content))
    rows = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in rows} == {officer_on_the_jury.pk}
    assert [r[3] for r in rows] == [5] * 6


def test_reports_are_not_downloadable_by_a_member_blind_to_the_interview(client, world):
    complete(world.appointment, world.panel, {u: [4, 4] for u in world.panel}, [4, 4])
    later = AppointmentFactory(procedure=world.procedure, jury=world.jury,
                               starts_at=world.appointment.starts_at.replace(hour=15))
    client.force_login(world.a1)
    assert client.get(iv("jury_pdf", world, later)).status_code == 404
    assert client.get(iv("feedback_pdf", world, later)).status_code == 404


def test_blinded_ids_lists_exactly_the_unsubmitted_interviews_of_the_members_jury(world):
    assert selectors.blinded_ids(world.a1, world.procedure) == {world.appointment.pk}
    submit_sheet(world.appointment, world.a1, [3, 3])
    assert selectors.blinded_ids(world.a1, world.procedure) == set()
    assert selectors.blinded_ids(world.officer, world.procedure) == set()
