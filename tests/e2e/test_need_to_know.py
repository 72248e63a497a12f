"""Need-to-know in the browser (issue 12): an assessor logs in with the second factor, finds the
candidate of their own jury (name, CV, motivation; no phone, e-mail or date of birth) and cannot
reach the candidate of another jury of the same procedure, neither from the lists nor by URL."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from interviewdesk.procedures.models import JuryMember, Role
from tests.browser import assert_accessible, login
from tests.factories import AppointmentFactory, CandidateFactory, ProcedureFactory, jury_with_members, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _interview(procedure, jury, first_name: str, start: dt.datetime):
    candidate = CandidateFactory(procedure=procedure, first_name=first_name, last_name="Jansens",
                                 phone="+32470998877", email=f"{first_name.lower()}@example.net",
                                 date_of_birth=dt.date(1988, 7, 21), cv_text=f"{first_name} led a data team.",
                                 motivation=f"{first_name} wants to serve the public.")
    AppointmentFactory(procedure=procedure, candidate=candidate, jury=jury, starts_at=start,
                       ends_at=start + dt.timedelta(hours=1))
    return candidate


def test_an_assessor_sees_their_jurys_candidate_and_cannot_reach_another_jurys(page, today_at_ten):
    procedure = ProcedureFactory(title="Data analyst")
    own_jury, other_jury = jury_with_members(procedure), jury_with_members(procedure)
    assessor = member(procedure, Role.ASSESSOR, username="assessor-a")
    JuryMember.objects.create(jury=own_jury, user=assessor, role=JuryMember.Role.ASSESSOR)
    _interview(procedure, own_jury, "Anna", today_at_ten + dt.timedelta(days=2))
    theirs = _interview(procedure, other_jury, "Bert", today_at_ten + dt.timedelta(days=2, hours=2))

    login(page, "assessor-a")  # password, then the authenticator code
    page.goto(f"/procedures/{procedure.pk}/")
    expect(page.get_by_role("link", name="Jansens, Anna")).to_be_visible()
    expect(page.get_by_text("Jansens, Bert")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Jansens, Anna").click()
    expect(page.get_by_role("heading", name="Anna Jansens")).to_be_visible()
    expect(page.get_by_text("Anna led a data team.")).to_be_visible()
    expect(page.get_by_text("Anna wants to serve the public.")).to_be_visible()
    expect(page.get_by_text("anna@example.net")).to_have_count(0)
    expect(page.get_by_text("+32 470 99 88 77")).to_have_count(0)
    expect(page.get_by_text("1988")).to_have_count(0)
    assert_accessible(page)

    response = page.goto(f"/procedures/{procedure.pk}/candidates/{theirs.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_text("Bert led a data team.")).to_have_count(0)

    page.goto(f"/procedures/{procedure.pk}/readiness/")
    expect(page.get_by_role("rowheader", name="Anna Jansens")).to_be_visible()
    expect(page.get_by_text("Bert Jansens")).to_have_count(0)
