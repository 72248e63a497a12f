"""Issue 11: the service-wide house rules are edited in the product, in nl/fr/de (text and an optional
link to the full rules), by whoever may set up procedures; every change is a new version, audited,
and the candidates of running procedures that follow the service's rules accept them again."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import translation

from interviewdesk.core.models import AuditEntry
from interviewdesk.portal.models import Readiness
from interviewdesk.portal.readiness import rules_accepted
from interviewdesk.procedures.house_rules import (
    built_in_rules,
    house_rules_digest,
    house_rules_for,
    house_rules_shown,
)
from interviewdesk.procedures.models import Procedure, ServiceHouseRules
from interviewdesk.setup.services import house_rules_set
from tests.factories import CandidateFactory, ProcedureFactory
from tests.portal.conftest import log_in

pytestmark = pytest.mark.django_db
URL = "/setup/house-rules/"
LINK = "https://selection.example.org/house-rules-2020-08-04"


def built_in(language: str) -> str:
    with translation.override(language):
        return "\n".join(built_in_rules())


def form(**changes) -> dict[str, str]:
    data = {language: built_in(language) for language in ("nl", "fr", "de")}
    data.update({"link_nl": "", "link_fr": "", "link_de": ""})
    data.update(changes)
    return data


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_url_is_the_setup_page():
    assert reverse("setup:service_house_rules") == URL


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client.post(URL, form(nl="Camera aan.")).status_code == 302
    assert not ServiceHouseRules.objects.exists()


def test_staff_who_may_not_set_up_procedures_are_refused(client, staff):
    """A procedure's own officer, chair or proctor is not enough: the service's rules bind every procedure."""
    for user in (staff.officer, staff.chair, staff.proctor):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, form(nl="Camera aan.")).status_code == 403
    assert not ServiceHouseRules.objects.exists()


def test_the_page_shows_what_candidates_read_now_and_the_dashboard_links_it(client, creator):
    client.force_login(creator)
    shown = text(client.get(URL, HTTP_ACCEPT_LANGUAGE="nl"))
    assert "Laat uw camera en microfoon aan" in shown and "Gardez votre caméra et votre micro allumés" in shown
    assert "Lassen Sie Kamera und Mikrofon" in shown
    assert "Huishoudelijk reglement van de dienst" in shown  # the page speaks the officer's language
    assert f'href="{URL}"' in client.get("/").content.decode()


def test_saving_the_built_in_text_unchanged_writes_no_version(client, creator, staff):
    client.force_login(creator)
    assert client.post(URL, form()).status_code == 302
    assert not ServiceHouseRules.objects.exists()
    assert Procedure.objects.get(pk=staff.procedure.pk).house_rules_version == 1
    assert not AuditEntry.objects.filter(action="service.house_rules_changed").exists()


def test_a_new_text_is_a_new_version_candidates_accept_again(client, creator, staff):
    """The procedure follows the service's rules: its candidates who accepted read the new text and accept again;
    a procedure with its own German text and a closed one keep their version."""
    german = CandidateFactory(procedure=staff.procedure, language="de")
    log_in(client, german)
    assert client.post("/portal/rules/", {"acknowledge": "on", "version": "1"}).status_code == 302
    own = ProcedureFactory()
    own = house_rules_set(actor=creator, procedure=own, texts={"de": "Eigene Regel."})
    closed = ProcedureFactory(status=Procedure.Status.CLOSED)
    client.force_login(creator)
    response = client.post(URL, form(de="Kamera bleibt an.\n  Kein Handy auf dem Tisch. \n", link_de=LINK))
    assert response.status_code == 302 and response["Location"] == URL
    saved = ServiceHouseRules.objects.get()
    assert (saved.version, saved.texts, saved.links) == (1, {"de": "Kamera bleibt an.\nKein Handy auf dem Tisch."},
                                                          {"de": LINK})
    assert saved.created_by == creator
    entry = AuditEntry.objects.get(action="service.house_rules_changed")
    assert entry.actor == creator and entry.changes["version"] == [0, 1]
    assert "de" in entry.changes["languages"][1] and "nl" not in entry.changes["languages"][1]
    # The procedure that follows the service's rules: a new version, audited; its candidate accepts again.
    procedure = Procedure.objects.get(pk=staff.procedure.pk)
    assert procedure.house_rules_version == 2
    assert AuditEntry.objects.filter(action="procedure.house_rules_changed", procedure_id=procedure.pk).exists()
    assert house_rules_for(procedure, "de") == ["Kamera bleibt an.", "Kein Handy auf dem Tisch."]
    assert house_rules_for(procedure, "nl")[0].startswith("Laat uw camera")  # Dutch unchanged
    assert not rules_accepted(Readiness.objects.get(candidate=german), procedure.house_rules_version)
    log_in(client, german)
    page = text(client.get("/portal/rules/"))
    assert "Kein Handy auf dem Tisch." in page and f'href="{LINK}"' in page
    assert "Lesen Sie die vollständige Hausordnung" in page
    assert client.post("/portal/rules/", {"acknowledge": "on", "version": "2"}).status_code == 302
    readiness = Readiness.objects.get(candidate=german)
    assert rules_accepted(readiness, procedure.house_rules_version) and readiness.rules_version == 2
    assert readiness.rules_digest == house_rules_digest(house_rules_shown(procedure, "de"))
    assert LINK in house_rules_shown(procedure, "de")
    # Its own German text, and a closed procedure: no new version.
    assert Procedure.objects.get(pk=own.pk).house_rules_version == own.house_rules_version
    assert Procedure.objects.get(pk=closed.pk).house_rules_version == 1
    # The page now shows version 1 and its text.
    client.force_login(creator)
    again = text(client.get(URL))
    assert "Kein Handy auf dem Tisch." in again and LINK in again and "Version 1" in again


def test_only_a_link_is_a_change_too(client, creator, staff):
    client.force_login(creator)
    client.post(URL, form(link_fr=LINK))
    assert ServiceHouseRules.objects.get().links == {"fr": LINK}
    assert Procedure.objects.get(pk=staff.procedure.pk).house_rules_version == 2
    client.post(URL, form(link_fr=LINK))  # the same again: nothing new
    assert ServiceHouseRules.objects.count() == 1


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"nl": "  \n "}, "nl", "Schrijf ten minste één regel in het Nederlands."),
    ({"fr": "x" * 4001}, "fr", "4000"),
    ({"link_de": "not a link at all"}, "link_de", "Geef een volledig webadres op dat begint met https://."),
    ({"link_de": "http://selection.example.org/rules"}, "link_de",
     "Geef een volledig webadres op dat begint met https://."),
])
def test_a_wrong_value_is_refused_with_a_message_and_nothing_is_saved(client, creator, staff, changes, field, message):
    client.force_login(creator)
    response = client.post(URL, form(**changes), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    page = text(response)
    assert "has-error" in page and f'id="id_{field}_errors"' in page and message in page
    assert not ServiceHouseRules.objects.exists()
    assert Procedure.objects.get(pk=staff.procedure.pk).house_rules_version == 1
