"""Issue 13 §1 ("administrators keep the admin for users only"): the service's closure days (bridge
days and the like, on top of the public holidays) are set in the product, by whoever may set up
procedures, audited; the planning window leaves them out."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse

from interviewdesk.core.models import AuditEntry, ClosureDay
from interviewdesk.planning.selectors import planning_days

pytestmark = pytest.mark.django_db
URL = "/setup/closure-days/"


def test_the_url_is_the_setup_page():
    assert reverse("setup:closure_days") == URL


def test_anonymous_is_sent_to_log_in(client):
    day = ClosureDay.objects.create(date=dt.date(2027, 5, 7))
    for response in (client.get(URL), client.post(URL, {"date": "2027-05-14", "kind": "bridge"}),
                     client.post(reverse("setup:closure_day_remove", args=[day.pk]))):
        assert response.status_code == 302 and "/login" in response["Location"]
    assert list(ClosureDay.objects.values_list("date", flat=True)) == [dt.date(2027, 5, 7)]


def test_staff_who_may_not_set_up_procedures_are_refused(client, staff):
    """A procedure's own officer, chair or proctor is not enough: closure days bind every procedure."""
    day = ClosureDay.objects.create(date=dt.date(2027, 5, 7))
    for user in (staff.officer, staff.chair, staff.proctor):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"date": "2027-05-14", "kind": "bridge"}).status_code == 403
        assert client.post(reverse("setup:closure_day_remove", args=[day.pk])).status_code == 403
    assert ClosureDay.objects.count() == 1 and not AuditEntry.objects.filter(action__startswith="closure_day").exists()


def test_a_closure_day_is_added_audited_and_left_out_of_the_planning_window(client, creator, staff):
    procedure = staff.procedure
    closed = planning_days(procedure)[1]
    assert closed in planning_days(procedure)
    client.force_login(creator)
    assert f'href="{URL}"' in client.get("/").content.decode()  # the dashboard links it
    response = client.post(URL, {"date": closed.isoformat(), "kind": "bridge", "name": "Brugdag"})
    assert response.status_code == 302
    assert closed not in planning_days(procedure)
    entry = AuditEntry.objects.get(action="closure_day.added")
    assert entry.actor == creator and entry.changes["date"] == [None, closed.isoformat()]
    page = html.unescape(client.get(URL, HTTP_ACCEPT_LANGUAGE="nl").content.decode())
    assert "Sluitingsdagen" in page and "Brugdag" in page


def test_a_day_already_closed_is_refused_with_a_message_and_nothing_is_saved(client, creator):
    ClosureDay.objects.create(date=dt.date(2027, 5, 7), name="Brugdag")
    client.force_login(creator)
    for data, message in (({"date": "2027-05-07", "kind": "bridge"}, "Deze dag is al een sluitingsdag (2027-05-07 Brugdag)."),
                          ({"date": "7 mei", "kind": "bridge"}, "Geef een datum, bijvoorbeeld 2027-05-07."),
                          ({"date": "", "kind": "bridge"}, "Geef de dag waarop de dienst gesloten is.")):
        response = client.post(URL, data, HTTP_ACCEPT_LANGUAGE="nl")
        assert response.status_code == 200
        assert message in html.unescape(response.content.decode())
    assert ClosureDay.objects.count() == 1 and not AuditEntry.objects.exists()


def test_removing_a_closure_day_makes_it_a_working_day_again(client, creator, staff):
    procedure = staff.procedure
    closed = planning_days(procedure)[1]
    day = ClosureDay.objects.create(date=closed)
    assert closed not in planning_days(procedure)
    client.force_login(creator)
    assert client.post(reverse("setup:closure_day_remove", args=[day.pk])).status_code == 302
    assert closed in planning_days(procedure)
    assert AuditEntry.objects.get(action="closure_day.removed").actor == creator
    assert client.post(reverse("setup:closure_day_remove", args=[day.pk])).status_code == 404
    assert client.get(reverse("setup:closure_day_remove", args=[999])).status_code == 405


def test_the_admin_only_reads_closure_days(admin_client):
    assert admin_client.get("/admin/core/closureday/add/").status_code == 403
