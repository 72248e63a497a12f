"""Need-to-know on the jury's conflict-of-interest declarations: the officer and the session's jury
read them; the proctor runs the day without them (neither the table nor the timeline tells them who
declared what); another procedure's staff get 404; anonymous users go to the login page."""

import pytest
from django.urls import reverse

from interviewdesk.live import services
from interviewdesk.procedures.models import Role
from tests.factories import ProcedureFactory, member

pytestmark = pytest.mark.django_db

LINK = "Former colleague at the regional office"
REASON = "Worked in another department, no contact since"


@pytest.fixture
def declared(setup):
    """The chair declares no link; an assessor declares one, on which the chair decides."""
    services.declaration_submit(actor=setup.chair, appointment=setup.appointment, has_link=False)
    declaration = services.declaration_submit(actor=setup.assessors[0], appointment=setup.appointment,
                                              has_link=True, link_description=LINK)
    services.declaration_decide(actor=setup.chair, declaration=declaration, stays=True, reason=REASON)
    return setup


def pages(client, appointment) -> str:
    """The session page and its polled part (the timeline lives in both)."""
    texts = []
    for name in ("live:session", "live:session_status"):
        response = client.get(reverse(name, args=[appointment.pk]))
        assert response.status_code == 200
        texts.append(response.content.decode())
    return "".join(texts)


@pytest.mark.parametrize("role", ["officer", "chair", "assessor"])
def test_the_officer_and_the_jury_read_the_declarations(client, declared, role):
    client.force_login({"officer": declared.officer, "chair": declared.chair,
                        "assessor": declared.assessors[1]}[role])
    html = pages(client, declared.appointment)
    assert LINK in html
    assert REASON in html
    assert "declares a link with the candidate" in html
    assert 'id="declarations"' in html


def test_the_proctor_does_not_read_the_declarations(client, declared):
    client.force_login(declared.proctor)
    html = pages(client, declared.appointment)
    assert LINK not in html
    assert REASON not in html
    assert "declares a link" not in html
    assert "declares no link" not in html
    assert 'id="declarations"' not in html
    assert "stays in the jury" not in html


def test_the_proctor_still_sees_on_the_console_that_declarations_are_missing(client, setup):
    client.force_login(setup.proctor)
    response = client.get(reverse("live:procedure_console", args=[setup.procedure.pk]))
    assert response.status_code == 200
    assert "Conflict-of-interest declarations incomplete" in response.content.decode()


def test_another_procedure_gets_404_and_anonymous_users_the_login_page(client, declared):
    url = reverse("live:session", args=[declared.appointment.pk])
    assert client.get(url)["Location"].startswith("/accounts/login/")
    for role in (Role.SELECTION_OFFICER, Role.JURY_CHAIR, Role.PROCTOR):
        client.force_login(member(ProcedureFactory(), role))
        assert client.get(url).status_code == 404
