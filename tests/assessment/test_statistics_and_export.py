from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from interviewdesk.assessment import selectors
from interviewdesk.assessment.statistics import procedure_statistics
from interviewdesk.procedures.models import Competency, Dimension
from tests.factories import AppointmentFactory, CandidateFactory, jury_with_members

from .conftest import complete

pytestmark = pytest.mark.django_db


def another_interview(world, hour, jury=None, **candidate):
    return AppointmentFactory(procedure=world.procedure, jury=jury or world.jury,
                              candidate=CandidateFactory(procedure=world.procedure, **candidate),
                              starts_at=world.appointment.starts_at.replace(hour=hour))


def test_one_panel_for_all_candidates_reports_icc_2(world):
    levels = [[(4, 4, 5), (5, 5, 6)], [(2, 3, 2), (3, 3, 4)], [(6, 5, 6), (5, 6, 6)]]
    appointments = [world.appointment, another_interview(world, 13), another_interview(world, 15)]
    for appointment, per_comp in zip(appointments, levels, strict=True):
        by_user = {u: [per_comp[0][i], per_comp[1][i]] for i, u in enumerate(world.panel)}
        complete(appointment, world.panel, by_user, [per_comp[0][0], per_comp[1][0]])
    data = procedure_statistics(world.procedure, world.officer)
    overall = data["agreement"][0]
    assert (overall["n"], overall["k"], overall["excluded"]) == (6, 3, 0)
    assert [name for name, _v in overall["values"]] == ["ICC(2,1)", "ICC(2,3)"]
    assert all(v > 0.7 for _n, v in overall["values"])
    assert [a["label"] for a in data["agreement"][1:]] == ["Analysing", "Cooperating"]


def test_different_panels_report_icc_1_and_member_tendencies(world):
    second = jury_with_members(world.procedure)
    panel2 = [second.chair, *[m.user for m in second.members.filter(role="assessor").order_by("id")]]
    other = another_interview(world, 13, jury=second)
    complete(world.appointment, world.panel, {world.chair: [6, 6], world.a1: [5, 5], world.a2: [5, 6]}, [6, 6])
    complete(other, panel2, {panel2[0]: [2, 2], panel2[1]: [2, 3], panel2[2]: [1, 2]}, [2, 2])
    data = procedure_statistics(world.procedure, world.officer)
    assert [name for name, _v in data["agreement"][0]["values"]] == ["ICC(1,1)", "ICC(1,3)"]
    tendencies = {m["member"]: m["tendency"] for m in data["members"]}
    assert tendencies[world.chair] == "lenient" and tendencies[panel2[2]] == "harsh"
    assert sum(count for _l, _h, count in data["distribution"]) == 2


def test_pass_rates_per_language_with_the_four_fifths_flag(world):
    fr1, fr2 = another_interview(world, 13, language="fr"), another_interview(world, 15, language="fr")
    same = {u: [5, 5] for u in world.panel}
    complete(world.appointment, world.panel, same, [5, 5])  # nl passes
    complete(fr1, world.panel, same, [5, 5])  # fr passes
    complete(fr2, world.panel, {u: [2, 2] for u in world.panel}, [2, 2])  # fr fails
    by_language = procedure_statistics(world.procedure, world.officer)["pass_rates"][0]
    rows = {r["group"]: (r["candidates"], r["passed"], r["ratio"], r["adverse"]) for r in by_language["groups"]}
    assert rows == {"Dutch": (1, 1, 1.0, False), "French": (2, 1, 0.5, True)}


def test_the_statistics_page_draws_svg_charts_without_script_or_style(client, world):
    complete(world.appointment, world.panel, {u: [4, 5] for u in world.panel}, [4, 5])
    client.force_login(world.officer)
    page = client.get(reverse("assessment:statistics", kwargs={"pk": world.procedure.pk})).content.decode()
    assert page.count('<svg class="chart"') == 2
    assert "style=" not in page and "<script>" not in page
    assert "below four-fifths" not in page


def test_the_export_has_results_and_every_independent_level(client, world):
    complete(world.appointment, world.panel, {world.chair: [4, 5], world.a1: [4, 4], world.a2: [3, 5]}, [4, 5])
    client.force_login(world.officer)
    response = client.get(reverse("assessment:export", kwargs={"pk": world.procedure.pk}))
    assert response["Content-Disposition"] == f'attachment; filename="results-{world.procedure.pk}.xlsx"'
    book = load_workbook(BytesIO(response.content))
    results = list(book["Results"].iter_rows(values_only=True))
    candidate = world.appointment.candidate
    assert results[1] == (world.appointment.pk, candidate.full_name, "nl", "signed off", 73.75, "yes")
    levels = list(book["Independent levels"].iter_rows(min_row=2, values_only=True))
    assert len(levels) == 6
    assert sorted(r[3] for r in levels) == [3, 4, 4, 4, 5, 5]


def test_the_guide_page_shows_definition_dimensions_and_indicators(client, world):
    competency = Competency.objects.get(code="analysing")
    competency.definition = {"en": "Breaks problems into parts"}
    competency.save()
    Dimension.objects.create(competency=competency, name={"en": "Structure"}).indicators.create(text={"en": "Lists causes"})
    client.force_login(world.a1)
    page = client.get(reverse("assessment:guide", kwargs={"pk": world.procedure.pk})).content.decode()
    assert "No guide yet." in page
    client.force_login(world.officer)
    # The officer saves the guide (opening the editor writes nothing).
    client.post(reverse("assessment:guide_edit", kwargs={"pk": world.procedure.pk}),
                {"aggregation": "midpoint_mean", "part1_questions": ""})
    client.force_login(world.a1)
    page = client.get(reverse("assessment:guide", kwargs={"pk": world.procedure.pk})).content.decode()
    assert "Breaks problems into parts" in page and "Structure" in page and "Lists causes" in page
    assert "6 — very good" in page


def test_the_candidates_page_finds_only_a_published_result(world):
    from interviewdesk.assessment import services
    result = complete(world.appointment, world.panel, {u: [4, 5] for u in world.panel}, [4, 5])
    assert selectors.published_result(world.appointment.candidate) is None
    services.result_notify(result=result)
    assert selectors.published_result(world.appointment.candidate) == result
