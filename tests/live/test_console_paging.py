"""The proctor console with more sessions than a page: one page of rows with the project's pager,
and the poll keeps redrawing the page the proctor is on."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from interviewdesk.live import services
from interviewdesk.live.views.console import CONSOLE_PER_PAGE
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_day(setup):
    """The setup's session and a page more: CONSOLE_PER_PAGE + 1 sessions today, a minute apart."""
    first = setup.appointment
    # Preparations without jury or proctor: PostgreSQL's exclusion constraints forbid double bookings.
    extra = [AppointmentFactory(procedure=setup.procedure, kind=Appointment.Kind.PREPARATION,
                                starts_at=first.starts_at + dt.timedelta(minutes=k + 1),
                                ends_at=first.ends_at + dt.timedelta(minutes=k + 1), status=Appointment.Status.INVITED)
             for k in range(CONSOLE_PER_PAGE)]
    return setup, [first, *extra]


def test_the_console_lists_one_page_of_sessions_with_a_pager(client, busy_day):
    setup, appointments = busy_day
    client.force_login(setup.proctor)
    response = client.get(reverse("live:console"))
    html = response.content.decode()
    assert len(response.context["rows"]) == CONSOLE_PER_PAGE
    assert [row.appointment.pk for row in response.context["rows"]] == [a.pk for a in appointments[:CONSOLE_PER_PAGE]]
    assert "Page 1 of 2" in html
    assert 'href="?page=2" rel="next"' in html
    assert appointments[-1].candidate.full_name not in html

    response = client.get(reverse("live:console"), {"page": 2})
    html = response.content.decode()
    assert [row.appointment.pk for row in response.context["rows"]] == [appointments[-1].pk]
    assert appointments[-1].candidate.full_name in html
    assert 'rel="prev"' in html
    assert re.search(r'hx-get="/console/rows/\?v=[^"]+&amp;page=2"', html)  # the poll stays on page 2


def test_the_poll_of_a_page_answers_204_until_something_changes_and_keeps_the_page(client, busy_day):
    setup, appointments = busy_day
    client.force_login(setup.proctor)
    url = reverse("live:console_rows")
    first = client.get(url, {"page": 2})
    version = first.context["version"]
    assert [row.appointment.pk for row in first.context["rows"]] == [appointments[-1].pk]
    assert client.get(url, {"v": version, "page": 2}).status_code == 204
    services.session_checkin(actor=setup.proctor, session=setup.session)  # a change on page 1
    changed = client.get(url, {"v": version, "page": 2})
    assert changed.status_code == 200
    assert [row.appointment.pk for row in changed.context["rows"]] == [appointments[-1].pk]
    html = changed.content.decode()
    assert 'href="?page=1" rel="prev"' in html  # the pager's links drop the poll's version
    assert "v=" not in html.split('class="pager"')[1]


def test_the_procedure_console_pages_too(client, busy_day):
    setup, _appointments = busy_day
    client.force_login(setup.proctor)
    response = client.get(reverse("live:procedure_console", args=[setup.procedure.pk]), {"page": 2})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 1
    assert "Page 2 of 2" in response.content.decode()
