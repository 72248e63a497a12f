import json

import pytest
from django.urls import reverse

from interviewdesk.assessment import services
from interviewdesk.assessment.models import Result, ScoreSheet
from interviewdesk.core.models import AuditEntry
from interviewdesk.procedures.models import Role
from tests.factories import AppointmentFactory, ProcedureFactory, UserFactory, member, with_profile

from .conftest import complete, level_id, submit_sheet

pytestmark = pytest.mark.django_db


def url(name, world, **kw):
    return reverse(f"assessment:{name}", kwargs={"pk": world.procedure.pk, **kw})


def iv(name, world):
    return url(name, world, appointment_id=world.appointment.pk)


def outsider_of_another_procedure():
    other = with_profile(ProcedureFactory())
    return member(other, Role.SELECTION_OFFICER)


# --- permissions matrix: allowed, wrong role, other procedure, anonymous ---------------------

@pytest.mark.parametrize("name", ["interviews", "guide", "guide_edit", "results", "statistics", "export"])
def test_procedure_pages_answer_the_officer_and_hide_from_others(client, world, name):
    client.force_login(world.officer)
    assert client.get(url(name, world)).status_code == 200
    client.force_login(outsider_of_another_procedure())
    assert client.get(url(name, world)).status_code == 404
    client.logout()
    response = client.get(url(name, world))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["guide_edit", "results", "statistics", "export"])
def test_officer_pages_are_404_for_jury_members_and_proctors(client, world, name):
    proctor = member(world.procedure, Role.PROCTOR)
    for user in (world.chair, world.a1, proctor):
        client.force_login(user)
        assert client.get(url(name, world)).status_code == 404


def test_the_sheet_is_only_for_members_of_that_interviews_jury(client, world):
    other_jury_assessor = member(world.procedure, Role.ASSESSOR)
    client.force_login(world.a1)
    assert client.get(iv("sheet", world)).status_code == 200
    client.force_login(other_jury_assessor)
    assert client.get(iv("sheet", world)).status_code == 404
    client.force_login(world.officer)
    assert client.get(iv("sheet", world)).status_code == 404
    client.force_login(outsider_of_another_procedure())
    assert client.get(iv("sheet", world)).status_code == 404
    client.logout()
    assert client.get(iv("sheet", world)).status_code == 302


def test_an_interview_of_another_procedure_is_404_even_for_its_own_jury(client, world):
    other = AppointmentFactory(procedure=with_profile(ProcedureFactory()), jury=None)
    client.force_login(world.a1)
    assert client.get(url("sheet", world, appointment_id=other.pk)).status_code == 404


def test_consensus_is_for_the_chair_of_that_jury_only(client, world):
    for user in world.panel:
        submit_sheet(world.appointment, user, [4, 5])
    client.force_login(world.chair)
    assert client.get(iv("consensus", world)).status_code == 200
    for user in (world.a1, world.officer, outsider_of_another_procedure()):
        client.force_login(user)
        assert client.get(iv("consensus", world)).status_code == 404
    client.logout()
    assert client.get(iv("consensus", world)).status_code == 302


def test_correction_is_for_the_officer_only(client, world):
    complete(world.appointment, world.panel, {u: [4, 5] for u in world.panel}, [4, 5])
    client.force_login(world.officer)
    assert client.get(iv("correct", world)).status_code == 200
    for user in (world.chair, world.a1, outsider_of_another_procedure()):
        client.force_login(user)
        assert client.get(iv("correct", world)).status_code == 404


def test_the_correction_page_warns_that_a_published_result_mails_the_candidate(client, world):
    result = complete(world.appointment, world.panel, {u: [4, 5] for u in world.panel}, [4, 5])
    client.force_login(world.officer)
    warning = "krijgt de kandidaat een e-mail met het verbeterde resultaat"
    assert warning not in client.get(iv("correct", world), headers={"accept-language": "nl"}).content.decode()
    services.result_notify(result=result)
    assert warning in client.get(iv("correct", world), headers={"accept-language": "nl"}).content.decode()


# --- score sheet: drafts, autosave, submit -----------------------------------------------------

def sheet_post(world, user, orders, notes="typed"):
    sheet = services.sheet_open(appointment=world.appointment, member=user)
    data = {"part1_notes": notes}
    for r, o in zip(sheet.ratings.order_by("guide_competency__order"), orders, strict=True):
        gc = r.guide_competency_id
        data |= {f"r{gc}_situation": "sit", f"r{gc}_task": "task", f"r{gc}_action": "act", f"r{gc}_result": "res",
                 f"r{gc}_level": str(level_id(world.procedure, o)) if o else ""}
    return data


def test_autosave_stores_the_draft_and_answers_with_the_time(client, world):
    client.force_login(world.a1)
    response = client.post(iv("sheet_autosave", world), sheet_post(world, world.a1, [3, None]))
    assert response.status_code == 200
    assert json.loads(response.content)["saved"].startswith("Draft saved at ")
    sheet = ScoreSheet.objects.get(member=world.a1)
    assert sheet.part1_notes == "typed"
    assert [r.level.order if r.level else None for r in sheet.ratings.order_by("guide_competency__order")] == [3, None]


def test_autosave_on_a_submitted_sheet_is_refused_with_409(client, world):
    submit_sheet(world.appointment, world.a1, [4, 4])
    client.force_login(world.a1)
    response = client.post(iv("sheet_autosave", world), sheet_post(world, world.a1, [1, 1], notes="changed"))
    assert response.status_code == 409
    assert ScoreSheet.objects.get(member=world.a1).part1_notes == "notes"


def test_submit_from_the_page_saves_then_locks(client, world):
    client.force_login(world.a1)
    response = client.post(iv("sheet_submit", world), sheet_post(world, world.a1, [5, 6]))
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(member=world.a1)
    assert sheet.status == ScoreSheet.Status.SUBMITTED
    page = client.get(iv("sheet", world)).content.decode()
    assert "It is locked." in page
    assert 'id="score-sheet"' not in page


def test_submit_without_every_level_keeps_the_draft_and_says_why(client, world):
    client.force_login(world.a1)
    response = client.post(iv("sheet_submit", world), sheet_post(world, world.a1, [5, None]), follow=True)
    assert "Give a level for every competency before you submit." in response.content.decode()
    assert ScoreSheet.objects.get(member=world.a1).status == ScoreSheet.Status.DRAFT


def test_the_sheet_page_shows_anchors_and_loads_the_autosave_script(client, world):
    guide = services.guide_ensure(procedure=world.procedure)
    cid = guide.competencies.first().competency_id
    services.guide_update(procedure=world.procedure, actor=world.officer, part1_questions="",
                          competencies={cid: {"anchors": {5: "Gives two concrete examples"}}})
    client.force_login(world.a1)
    page = client.get(iv("sheet", world)).content.decode()
    assert "5 — good (77-92 %): Gives two concrete examples" in page
    assert "assessment/sheet.js" in page
    assert "<script>" not in page


# --- guide, consensus, results pages -------------------------------------------------------------

def test_the_officer_edits_the_guide_through_the_page(client, world):
    guide = services.guide_ensure(procedure=world.procedure)
    cid = guide.competencies.first().competency_id
    client.force_login(world.officer)
    response = client.post(url("guide_edit", world), {"part1_questions": "Why this post?", "aggregation": "linear_mean",
                                                      f"c{cid}_main_question": "A time you analysed data?"})
    assert response.status_code == 302
    page = client.get(url("guide", world)).content.decode()
    assert "Why this post?" in page and "A time you analysed data?" in page
    assert "Final score: weighted mean level mapped linearly onto 0-100 %" in page
    assert AuditEntry.objects.get(action="assessment.aggregation_set").changes == {
        "aggregation": ["midpoint_mean", "linear_mean"]}


def test_the_chair_saves_and_signs_off_through_the_pages(client, world):
    for user in world.panel:
        submit_sheet(world.appointment, user, [4, 6])
    client.force_login(world.chair)
    assert client.get(iv("consensus", world)).status_code == 200  # (the page shows it; the first save creates it)
    result = services.result_open(appointment=world.appointment, actor=world.chair)
    data = {}
    for rl, order in zip(result.levels.order_by("guide_competency__order"), [4, 6], strict=True):
        gc = rl.guide_competency_id
        data |= {f"l{gc}_level": level_id(world.procedure, order), f"l{gc}_strengths": "Good", f"l{gc}_to_develop": "x"}
    assert client.post(iv("consensus", world), data).status_code == 302
    assert client.post(iv("sign_off", world)).status_code == 200  # the confirmation step
    assert client.post(iv("sign_off", world), {"confirmed": "yes"}).status_code == 302
    result.refresh_from_db()
    assert (result.status, str(result.final_pct)) == (Result.Status.SIGNED_OFF, "79.75")


def test_consensus_flags_levels_two_or_more_apart(client, world):
    submit_sheet(world.appointment, world.chair, [4, 4])
    submit_sheet(world.appointment, world.a1, [2, 4])
    submit_sheet(world.appointment, world.a2, [4, 5])
    client.force_login(world.chair)
    page = client.get(iv("consensus", world)).content.decode()
    assert page.count("levels differ by 2") == 1


def test_results_rank_passed_candidates_and_flag_ties(client, world):
    others = [AppointmentFactory(procedure=world.procedure, jury=world.jury,
                                 starts_at=world.appointment.starts_at.replace(hour=h)) for h in (13, 15)]
    complete(world.appointment, world.panel, {u: [5, 5] for u in world.panel}, [5, 5])
    complete(others[0], world.panel, {u: [5, 5] for u in world.panel}, [5, 5])
    complete(others[1], world.panel, {u: [2, 2] for u in world.panel}, [2, 2])
    client.force_login(world.officer)
    response = client.get(url("results", world))
    ranking = response.context["ranking_rows"]
    assert [(r["rank"], r["tie"]) for r in ranking] == [(1, True), (1, True)]
    assert {r["result"].appointment_id for r in ranking} == {world.appointment.pk, others[0].pk}


def test_publish_from_the_results_page(client, world):
    complete(world.appointment, world.panel, {u: [4, 5] for u in world.panel}, [4, 5])
    client.force_login(world.officer)
    client.post(url("publish", world), {"confirmed": "yes"})
    assert Result.objects.get().status == Result.Status.PUBLISHED


# --- query-count guards ----------------------------------------------------------------------------

def test_interview_list_query_count_does_not_grow_with_rows(client, world, django_assert_num_queries):
    client.force_login(world.a1)
    client.get(url("interviews", world))  # warm the session
    with django_assert_num_queries(7) as one:  # (one reads the session, one counts for the pages)
        client.get(url("interviews", world))
    for hour in (13, 15):
        AppointmentFactory(procedure=world.procedure, jury=world.jury, starts_at=world.appointment.starts_at.replace(hour=hour))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url("interviews", world))


def test_results_list_query_count_does_not_grow_with_rows(client, world, django_assert_num_queries):
    complete(world.appointment, world.panel, {u: [4, 5] for u in world.panel}, [4, 5])
    client.force_login(world.officer)
    client.get(url("results", world))
    with django_assert_num_queries(11) as one:  # (one reads the session, two count for the pages)
        client.get(url("results", world))
    for hour in (13, 15):
        a = AppointmentFactory(procedure=world.procedure, jury=world.jury, starts_at=world.appointment.starts_at.replace(hour=hour))
        complete(a, world.panel, {u: [4, 5] for u in world.panel}, [4, 5])
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url("results", world))


def test_a_superuser_sees_the_officer_pages(client, world):
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(url("results", world)).status_code == 200


def test_the_list_links_each_user_only_to_what_they_may_open(client, world):
    base = url("interviews", world)
    sheet_link, consensus_link = iv("sheet", world), iv("consensus", world)
    client.force_login(world.chair)
    page = client.get(base).content.decode()
    assert sheet_link in page and consensus_link in page
    client.force_login(world.a1)
    page = client.get(base).content.decode()
    assert sheet_link in page and consensus_link not in page
    client.force_login(world.officer)
    page = client.get(base).content.decode()
    assert sheet_link not in page and consensus_link not in page
    assert world.appointment.candidate.full_name in page


def test_sheet_endpoints_refuse_others_and_anonymous_and_get(client, world):
    data = sheet_post(world, world.a1, [3, 3])
    client.force_login(world.officer)
    assert client.post(iv("sheet_autosave", world), data).status_code == 404
    assert client.post(iv("sheet_submit", world), data).status_code == 404
    client.force_login(world.a1)
    assert client.get(iv("sheet_autosave", world)).status_code == 405
    client.logout()
    assert client.post(iv("sheet_autosave", world), data).status_code == 302
    assert ScoreSheet.objects.get(member=world.a1).part1_notes == ""


def test_only_the_chair_can_sign_off_through_the_page(client, world):
    for user in world.panel:
        submit_sheet(world.appointment, user, [4, 5])
    services.result_open(appointment=world.appointment, actor=world.chair)
    for user in (world.a1, world.officer):
        client.force_login(user)
        assert client.post(iv("sign_off", world)).status_code == 404
    client.force_login(world.chair)
    response = client.post(iv("sign_off", world), follow=True)
    assert "Set a consensus level for every competency." in response.content.decode()
    assert Result.objects.get().status == Result.Status.OPEN


def test_after_sign_off_the_consensus_page_is_read_only_with_the_reports(client, world):
    complete(world.appointment, world.panel, {u: [4, 5] for u in world.panel}, [4, 5])
    client.force_login(world.chair)
    page = client.get(iv("consensus", world)).content.decode()
    assert f"Signed off by {world.chair} on " in page
    assert iv("feedback_pdf", world) in page and iv("jury_pdf", world) in page
    assert "<textarea" not in page and ">Sign off</button>" not in page
    assert "final score 73.75 % (pass mark 60.00 %)" in page


def test_the_sheet_page_query_count_does_not_grow_with_competencies(client, world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from interviewdesk.procedures.models import ProfileCompetency
    from tests.factories import competency

    client.force_login(world.a1)
    client.get(iv("sheet", world))
    other = AppointmentFactory(procedure=world.procedure, jury=world.jury,
                               starts_at=world.appointment.starts_at.replace(hour=15))
    with CaptureQueriesContext(connection) as two:
        client.get(iv("sheet", world))
    count = len(two.captured_queries)  # read now: the next request resets the query log
    for order, code in enumerate(("planning", "deciding", "leading"), start=5):
        ProfileCompetency.objects.create(procedure=world.procedure, competency=competency(code), order=order)
    client.get(url("sheet", world, appointment_id=other.pk))  # a fresh sheet on the grown guide
    with django_assert_max_num_queries(count):
        client.get(url("sheet", world, appointment_id=other.pk))
