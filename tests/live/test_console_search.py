"""The proctor console at 3,000 candidates (issue 13 §4): search by name or number, a state filter
that the poll and the pager keep, the coming interviews with declarations missing one page at a
time, and a number of queries that does not grow with the rows."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviewdesk.live import selectors, services
from interviewdesk.live.models import State
from interviewdesk.live.views.console import DECLARATIONS_PER_PAGE
from interviewdesk.procedures.models import Procedure, Role
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, CandidateFactory, ProcedureFactory, member
from tests.live.conftest import bring_to

pytestmark = pytest.mark.django_db


def preparation_today(setup, minutes: int, last_name: str) -> Appointment:
    """A session of today without jury or proctor (PostgreSQL forbids double bookings of those)."""
    start = setup.appointment.starts_at + dt.timedelta(minutes=minutes)
    return AppointmentFactory(procedure=setup.procedure, kind=Appointment.Kind.PREPARATION, starts_at=start,
                              ends_at=start + dt.timedelta(minutes=30), status=Appointment.Status.INVITED,
                              candidate=CandidateFactory(procedure=setup.procedure, last_name=last_name))


def coming_interview(setup, hours: int) -> Appointment:
    start = setup.appointment.starts_at + dt.timedelta(days=1, hours=hours)
    return AppointmentFactory(procedure=setup.procedure, jury=setup.appointment.jury, starts_at=start,
                              ends_at=start + dt.timedelta(hours=1), status=Appointment.Status.INVITED)


def listed(response) -> list[int]:
    return [row.appointment.pk for row in response.context["rows"]]


@pytest.fixture
def day(setup):
    """The setup's interview (waiting in the lobby) and two preparations still to start."""
    bring_to(setup, State.CANDIDATE_WAITING)
    return setup, preparation_today(setup, 5, "Vermeulen"), preparation_today(setup, 10, "Wouters")


def test_the_console_searches_today_by_name_email_or_number(client, day):
    setup, vermeulen, wouters = day
    client.force_login(setup.proctor)
    url = reverse("live:console")
    assert listed(client.get(url)) == [setup.appointment.pk, vermeulen.pk, wouters.pk]
    for query in ("vermeul", vermeulen.candidate.email, f"#{vermeulen.candidate_id}", "  VERMEULEN  "):
        assert listed(client.get(url, {"q": query})) == [vermeulen.pk], query
    nothing = client.get(url, {"q": "Nobody"})
    assert listed(nothing) == []
    assert "No session of today matches this search." in nothing.content.decode()
    assert 'value="Nobody"' in nothing.content.decode()  # the box shows what was searched


def test_the_console_filters_by_the_sessions_state(client, day):
    setup, vermeulen, wouters = day
    client.force_login(setup.proctor)
    url = reverse("live:console")
    assert listed(client.get(url, {"status": State.CANDIDATE_WAITING})) == [setup.appointment.pk]
    assert listed(client.get(url, {"status": State.SCHEDULED})) == [vermeulen.pk, wouters.pk]
    assert listed(client.get(url, {"status": State.SCHEDULED, "q": "wout"})) == [wouters.pk]
    assert listed(client.get(url, {"status": State.PART_2})) == []
    # An unknown state is no filter at all (and is not echoed back).
    response = client.get(url, {"status": "<bogus>"})
    assert len(listed(response)) == 3 and response.context["status"] == ""
    html = client.get(url, {"status": State.SCHEDULED}).content.decode()
    assert '<option value="scheduled" selected>' in html


def test_the_poll_redraws_the_searched_and_filtered_rows_and_keeps_the_search(client, day):
    setup, vermeulen, _wouters = day
    client.force_login(setup.proctor)
    # The search form is POSTed: the name stays out of every address, the poll's included.
    sent = client.post(reverse("live:procedure_console", args=[setup.procedure.pk]),
                       {"list_search": "1", "q": "vermeulen", "status": "scheduled"})
    assert sent.status_code == 303 and "vermeulen" not in sent["Location"]
    page = client.get(sent["Location"])
    assert listed(page) == [vermeulen.pk]
    key = re.search(r"[?&]s=([^&]+)", sent["Location"])[1]
    poll = re.search(r'hx-get="([^"]+)"', page.content.decode())[1].replace("&amp;", "&")
    assert poll.startswith(reverse("live:procedure_console_rows", args=[setup.procedure.pk]) + "?v=")
    assert poll.endswith(f"&s={key}&status=scheduled") and "vermeulen" not in poll
    assert client.get(poll).status_code == 204  # nothing changed
    services.session_checkin(actor=setup.proctor, session=services.session_current(vermeulen))
    redrawn = client.get(poll)
    assert redrawn.status_code == 200
    assert listed(redrawn) == []  # Vermeulen is in the lobby now: no longer "scheduled"
    assert "No session of today matches this search." in redrawn.content.decode()


def test_the_pager_keeps_the_search(client, setup):
    extra = [preparation_today(setup, k + 1, "Peeters") for k in range(26)]
    client.force_login(setup.proctor)
    sent = client.post(reverse("live:console"), {"list_search": "1", "q": "peeters"})
    key = re.search(r"[?&]s=([^&]+)", sent["Location"])[1]
    html = client.get(sent["Location"]).content.decode()
    assert f'href="?s={key}&amp;page=2" rel="next"' in html
    second = client.get(reverse("live:console"), {"s": key, "page": 2})
    assert listed(second) == [extra[-1].pk]
    assert re.search(rf'hx-get="/console/rows/\?v=[^"&]+&amp;s={key}&amp;page=2"', second.content.decode())


def test_the_console_shows_one_page_of_the_coming_interviews_with_declarations_missing(client, setup):
    coming = [coming_interview(setup, hours) for hours in range(DECLARATIONS_PER_PAGE + 1)]
    client.force_login(setup.proctor)
    url = reverse("live:console")
    first = client.get(url)
    assert [a.pk for a, _missing in first.context["declarations_ahead"]] == [a.pk for a in coming[:-1]]
    html = first.content.decode()
    assert f"{DECLARATIONS_PER_PAGE + 1} interviews in the coming seven days." in html
    assert 'href="?dpage=2" rel="next"' in html
    second = client.get(url, {"dpage": 2})
    assert [a.pk for a, _missing in second.context["declarations_ahead"]] == [coming[-1].pk]
    assert listed(second) == [setup.appointment.pk]  # today's rows keep their own page


def test_the_sql_and_the_rows_agree_on_which_declarations_are_missing(setup):
    """The console pages in SQL what `_undeclared` decides in Python (ConflictDeclaration.is_settled)."""
    none_yet, all_no, link_pending, link_decided = (coming_interview(setup, hours) for hours in range(4))
    seated = [setup.chair, *setup.assessors]
    for appointment in (all_no, link_pending, link_decided):
        for user in seated:
            services.declaration_submit(actor=user, appointment=appointment, has_link=user == setup.assessors[0]
                                        and appointment != all_no, link_description="Neighbour")
    declaration = link_decided.conflict_declarations.get(member=setup.assessors[0])
    services.declaration_decide(actor=setup.chair, declaration=declaration, stays=True, reason="Barely know them")
    found = selectors.missing_declarations_ahead(Procedure.objects.filter(pk=setup.procedure.pk))
    assert [(a.pk, missing) for a, missing in found] == [
        (none_yet.pk, [str(user) for user in seated]), (link_pending.pk, [str(setup.assessors[0])])]


def statements(client, url: str, params: dict) -> int:
    client.get(url, params)  # warm: the first request of a session reads more
    with CaptureQueriesContext(connection) as ctx:
        client.get(url, params)
    return len(ctx)


def test_the_console_needs_the_same_number_of_queries_for_one_or_many_rows(client, setup):
    bring_to(setup, State.CANDIDATE_WAITING)
    coming_interview(setup, 0)
    client.force_login(setup.proctor)
    url = reverse("live:console")
    name = setup.appointment.candidate.last_name
    cases = ({}, {"q": name}, {"status": State.CANDIDATE_WAITING}, {"q": name, "status": State.CANDIDATE_WAITING})
    one = [statements(client, url, params) for params in cases]
    for k in range(3):  # in the lobby, with the same name: every search and filter finds them
        services.session_checkin(actor=setup.proctor, session=services.session_current(
            preparation_today(setup, 5 + 5 * k, name)))
        coming_interview(setup, 2 + k)
    assert [statements(client, url, params) for params in cases] == one
    for params in cases:
        response = client.get(url, params)
        assert len(response.context["rows"]) == 4 and len(response.context["declarations_ahead"]) == 4, params


CONSOLE_URLS = ["live:procedure_console", "live:procedure_console_rows"]
SEARCH = {"q": "vermeulen", "status": "scheduled", "page": "1", "dpage": "1"}


@pytest.mark.parametrize("name", CONSOLE_URLS)
@pytest.mark.parametrize("role", ["officer", "proctor"])
def test_the_officer_and_the_proctor_search_the_procedure_console(client, day, name, role):
    setup, vermeulen, _wouters = day
    client.force_login(getattr(setup, role))
    response = client.get(reverse(name, args=[setup.procedure.pk]), SEARCH)
    assert response.status_code == 200
    assert listed(response) == [vermeulen.pk]


@pytest.mark.parametrize("name", CONSOLE_URLS)
def test_a_searched_console_is_404_for_a_jury_member_and_for_another_procedures_staff(client, day, name):
    setup, _vermeulen, _wouters = day
    url = reverse(name, args=[setup.procedure.pk])
    client.force_login(setup.assessors[0])
    assert client.get(url, SEARCH).status_code == 404
    for role in (Role.PROCTOR, Role.SELECTION_OFFICER):
        client.force_login(member(ProcedureFactory(), role))
        assert client.get(url, SEARCH).status_code == 404


@pytest.mark.parametrize("name", CONSOLE_URLS)
def test_a_searched_console_sends_anonymous_visitors_to_the_login_page(client, setup, name):
    response = client.get(reverse(name, args=[setup.procedure.pk]), SEARCH)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_search_on_the_general_console_never_finds_another_procedures_sessions(client, day):
    _setup, vermeulen, _wouters = day
    client.force_login(member(ProcedureFactory(), Role.PROCTOR))
    response = client.get(reverse("live:console"), {"q": f"#{vermeulen.candidate_id}"})
    assert response.status_code == 200 and listed(response) == []
    assert vermeulen.candidate.full_name not in response.content.decode()


@pytest.mark.parametrize(("language", "expected"), [
    ("nl", ["Zoeken op naam, e-mailadres of #nummer", "Geen enkele sessie van vandaag beantwoordt",
            "1 gesprek in de komende zeven dagen."]),
    ("fr", ["Rechercher par nom, adresse e-mail ou #numéro", "Aucune session d’aujourd’hui ne correspond",
            "1 entretien dans les sept prochains jours."]),
    ("de", ["Suche nach Name, E-Mail-Adresse oder #Nummer", "Keine Sitzung von heute entspricht",
            "1 Gespräch in den nächsten sieben Tagen."]),
])
def test_the_search_and_the_coming_interviews_speak_the_staffs_language(client, setup, language, expected):
    from django.conf import settings

    coming_interview(setup, 0)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(setup.proctor)
    html = client.get(reverse("live:console"), {"q": "nobody"}).content.decode()
    for text in expected:
        assert text in html


@pytest.mark.parametrize(("language", "label"), [("en", "State"), ("fr", "État"), ("nl", None), ("de", None)])
def test_the_console_filter_is_labelled_like_its_state_column(client, setup, language, label):
    """Whatever the catalogues call the column ("State"), the filter above it carries the same word."""
    client.force_login(setup.proctor)
    page = client.get(reverse("live:procedure_console", args=[setup.procedure.pk]),
                      HTTP_ACCEPT_LANGUAGE=language).content.decode()
    column = re.search(r'<th scope="col">[^<]*</th><th scope="col">[^<]*</th><th scope="col">([^<]*)</th>', page)
    assert column is not None
    assert f'<label for="list-status">{column.group(1)}</label>' in page
    assert label is None or column.group(1) == label
    assert '<label for="list-status">Status</label>' not in page


def test_the_other_lists_keep_their_status_label(client, setup):
    client.force_login(setup.officer)
    page = client.get(reverse("assessment:results", kwargs={"pk": setup.procedure.pk})).content.decode()
    assert '<label for="list-status">Status</label>' in page
