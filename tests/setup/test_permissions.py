"""Every set-up view: the allowed role gets in, other roles and other procedures get 404 (or 403
outside a procedure), anonymous users go to the login page."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# (URL name, kwargs builder, method) of the views inside a procedure that only its officer may open.
OFFICER_ONLY = [
    ("setup:procedure_edit", lambda s: {"pk": s.procedure.pk}, "get"),
    ("setup:profile", lambda s: {"pk": s.procedure.pk}, "get"),
    ("setup:house_rules", lambda s: {"pk": s.procedure.pk}, "get"),
    ("setup:house_rules", lambda s: {"pk": s.procedure.pk}, "post"),
    ("setup:people", lambda s: {"pk": s.procedure.pk}, "get"),
    ("setup:person_add", lambda s: {"pk": s.procedure.pk}, "post"),
    ("setup:person_invite", lambda s: {"pk": s.procedure.pk}, "post"),
    ("setup:person_remove", lambda s: {"pk": s.procedure.pk,
                                       "mid": s.procedure.memberships.get(user=s.proctor).pk}, "post"),
    ("setup:juries", lambda s: {"pk": s.procedure.pk}, "get"),
    ("setup:jury_new", lambda s: {"pk": s.procedure.pk}, "get"),
    ("setup:jury_edit", lambda s: {"pk": s.procedure.pk, "jid": s.jury.pk}, "get"),
    ("setup:availability_edit", lambda s: {"pk": s.procedure.pk, "uid": s.proctor.pk}, "get"),
]


def call(client, method, url):
    return client.post(url, {}) if method == "post" else client.get(url)


@pytest.mark.parametrize("name, kwargs, method", OFFICER_ONLY)
def test_officer_only_views(client, staff, name, kwargs, method):
    url = reverse(name, kwargs=kwargs(staff))
    assert call(client, method, url).status_code == 302  # anonymous → login
    assert call(client, method, url)["Location"].startswith(reverse("login"))
    for user in (staff.chair, staff.assessor, staff.outsider):  # other roles, other procedure
        client.force_login(user)
        assert call(client, method, url).status_code == 404, user
    if name != "setup:availability_edit":
        client.force_login(staff.proctor)
        assert call(client, method, url).status_code == 404
    client.force_login(staff.officer)
    assert call(client, method, url).status_code in (200, 302, 400)


def test_an_unknown_procedure_is_404_even_for_its_would_be_officer(client, staff):
    client.force_login(staff.officer)
    assert client.get(reverse("setup:procedure_edit", kwargs={"pk": staff.procedure.pk + 999})).status_code == 404


def test_availability_overview_is_for_everyone_in_the_procedure(client, staff):
    url = reverse("setup:availability", kwargs={"pk": staff.procedure.pk})
    assert client.get(url).status_code == 302
    for user in (staff.officer, staff.proctor, staff.chair, staff.assessor):
        client.force_login(user)
        assert client.get(url).status_code == 200
    client.force_login(staff.outsider)
    assert client.get(url).status_code == 404


def test_own_availability_yes_someone_elses_only_for_the_officer(client, staff):
    mine = reverse("setup:availability_edit", kwargs={"pk": staff.procedure.pk, "uid": staff.assessor.pk})
    theirs = reverse("setup:availability_edit", kwargs={"pk": staff.procedure.pk, "uid": staff.chair.pk})
    client.force_login(staff.assessor)
    assert client.get(mine).status_code == 200
    assert client.get(theirs).status_code == 404
    client.force_login(staff.officer)
    assert client.get(theirs).status_code == 200
    # The officer has no jury or proctor role: nobody enters availability for them.
    officer_url = reverse("setup:availability_edit", kwargs={"pk": staff.procedure.pk, "uid": staff.officer.pk})
    assert client.get(officer_url).status_code == 404


@pytest.mark.parametrize("name, kwargs", [
    ("setup:procedure_new", {}), ("setup:rooms", {}), ("setup:room_new", {}),
])
def test_service_wide_pages_need_the_permission(client, staff, creator, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    for user in (staff.officer, staff.proctor, staff.chair, staff.assessor):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(creator)
    assert client.get(url).status_code == 200


def test_room_pages_need_the_permission(client, staff, creator):
    from tests.factories import RoomFactory

    room = RoomFactory()
    for url in (reverse("setup:room_edit", kwargs={"rid": room.pk}), reverse("setup:room_days", kwargs={"rid": room.pk})):
        assert client.get(url).status_code == 302
        client.force_login(staff.officer)
        assert client.get(url).status_code == 403
        client.force_login(creator)
        assert client.get(url).status_code == 200
        assert client.get(url.replace(str(room.pk), str(room.pk + 999))).status_code == 404
        client.logout()


def test_portal_unavailability_needs_a_candidate_session(client, staff):
    from tests.factories import CandidateFactory
    from tests.portal.conftest import log_in

    assert client.get(reverse("portal:unavailability")).status_code == 403
    log_in(client, CandidateFactory(procedure=staff.procedure))
    assert client.get(reverse("portal:unavailability")).status_code == 200
