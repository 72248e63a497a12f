"""Browser journey (issue 11, "the candidate knows what will happen"): the officer writes the French
house rules on the set-up page; a French candidate reads how the interview runs and the house rules,
accepts them with the session rules, and the page says so. Checked with axe-core at 320 px."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interviewdesk.portal.models import Readiness
from interviewdesk.portal.services.access import access_link_issue
from interviewdesk.procedures.models import Procedure, Role
from interviewdesk.scheduling.models import Appointment
from tests.browser import assert_accessible, assert_fits_width, login
from tests.factories import AppointmentFactory, CandidateFactory, ProcedureFactory, jury_with_members, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
NNBSP = "\u202f"


def test_the_officer_sets_house_rules_and_the_candidate_reads_and_accepts_them(page):
    procedure = ProcedureFactory(language="fr", pre_stage="case", pre_stage_minutes=30)
    officer = member(procedure, Role.SELECTION_OFFICER)
    candidate = CandidateFactory(procedure=procedure, language="fr")
    start = timezone.now() + dt.timedelta(days=10)
    AppointmentFactory(procedure=procedure, candidate=candidate, status=Appointment.Status.INVITED,
                       starts_at=start, ends_at=start + dt.timedelta(minutes=75), jury=jury_with_members(procedure))

    page.set_viewport_size({"width": 320, "height": 640})
    login(page, officer.username)
    page.goto(f"/procedures/{procedure.pk}/setup/")
    page.get_by_role("link", name="House rules").first.click()
    assert_accessible(page)
    assert_fits_width(page)
    french = page.get_by_label("House rules in French")
    value = french.input_value()
    assert value.startswith("Gardez votre caméra et votre micro allumés") and f"pièce{NNBSP}: personne" in value
    french.fill("Caméra et micro allumés du début à la fin.\nPersonne d’autre dans la pièce.\n"
                "Aucun enregistrement.\nCarte d’identité à portée de main.")
    page.get_by_role("button", name="Save the house rules").click()
    expect(page.get_by_text("House rules saved.")).to_be_visible()
    assert Procedure.objects.get(pk=procedure.pk).house_rules_version == 2
    page.context.clear_cookies()

    link = access_link_issue(candidate=candidate)
    page.goto("/" + link.split("://", 1)[1].split("/", 1)[1])
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url("**/portal/")
    course = page.locator("section.course")
    expect(course.get_by_role("heading", name="Déroulement de votre entretien")).to_be_visible()
    expect(course.get_by_text(f"Avant l’entretien{NNBSP}: une étude de cas")).to_be_visible()
    expect(course.get_by_text("L’entretien dure 75 minutes au total", exact=False)).to_be_visible()
    expect(course.get_by_text("méthode STAR", exact=False)).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)

    page.get_by_role("link", name="Lisez et acceptez les règles", exact=False).click()
    page.wait_for_url("**/portal/rules/")
    expect(page.get_by_text("Personne d’autre dans la pièce.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Accepter les règles", exact=False).click()
    page.wait_for_url("**/portal/")
    readiness = Readiness.objects.get(candidate=candidate)
    assert readiness.rules_version == 2 and readiness.rules_language == "fr"
