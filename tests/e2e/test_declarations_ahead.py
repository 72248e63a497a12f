"""Conflict-of-interest declarations are asked for ahead of time: jury members see on their dashboard
what they still have to declare (and chairs what they must decide), and the console flags the coming
interviews whose declarations are missing — not the proctor pressing "Start part 1" on the day."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from interviewdesk.live import selectors, services
from interviewdesk.procedures.models import Procedure
from interviewdesk.scheduling.models import Appointment
from tests.browser import assert_accessible, assert_fits_width, login
from tests.factories import AppointmentFactory, CandidateFactory
from tests.live.conftest import make_setup

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def coming_interview(s, days: int = 2) -> Appointment:
    start = s.appointment.starts_at + dt.timedelta(days=days)
    return AppointmentFactory(procedure=s.procedure, jury=s.appointment.jury, proctor=s.proctor,
                              candidate=CandidateFactory(procedure=s.procedure, last_name="Vermeulen"),
                              starts_at=start, ends_at=start + dt.timedelta(hours=1),
                              status=Appointment.Status.INVITED)


def test_a_jury_member_sees_and_makes_the_declarations_due_from_the_dashboard(page):
    s = make_setup()
    later = coming_interview(s)
    assessor = s.assessors[0]
    login(page, assessor.username)
    section = page.locator("#declarations-heading").locator("..")
    expect(section).to_be_visible()
    links = section.get_by_role("link")
    expect(links).to_have_count(2)  # today's interview and the one in two days
    assert_accessible(page)
    section.get_by_role("link", name="Vermeulen").click()
    page.get_by_label("My declaration").select_option("no")
    page.get_by_role("button", name="Submit my declaration").click()
    page.goto("/")
    expect(page.locator("#declarations-heading").locator("..").get_by_role("link")).to_have_count(1)
    assert [a.pk for a in selectors.declarations_to_make(assessor)] == [s.appointment.pk]
    assert later.conflict_declarations.filter(member=assessor).exists()


def test_the_chair_sees_a_declared_link_to_decide(page):
    s = make_setup()
    later = coming_interview(s)
    services.declaration_submit(actor=s.assessors[1], appointment=later, has_link=True,
                                link_description="Former colleague")
    login(page, s.chair.username)
    expect(page.get_by_role("link", name="declared a link with")).to_have_count(1)
    assert [d.appointment_id for d in selectors.declarations_to_decide(s.chair)] == [later.pk]
    assert selectors.declarations_to_decide(s.assessors[0]) == []


def test_the_console_flags_coming_interviews_with_missing_declarations(page):
    s = make_setup()
    later = coming_interview(s)
    for user in [s.chair, *s.assessors[:1]]:
        services.declaration_submit(actor=user, appointment=later, has_link=False)
    login(page, s.proctor.username)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/console/")
    ahead = page.locator("#declarations-ahead")
    expect(ahead).to_contain_text("Vermeulen")
    expect(ahead).to_contain_text(str(s.assessors[1]))
    expect(ahead).not_to_contain_text(str(s.chair))
    assert_accessible(page)
    assert_fits_width(page)
    assert selectors.missing_declarations_ahead(Procedure.objects.filter(pk=s.procedure.pk))[0][0] == later
