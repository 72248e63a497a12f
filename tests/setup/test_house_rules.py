"""Issue 11: the officer sets the house rules candidates read, per procedure and language; the
service's rules are the default; a change raises the version (audited)."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from interviewdesk.core.models import AuditEntry
from interviewdesk.procedures.house_rules import house_rules_for
from interviewdesk.procedures.models import Procedure

pytestmark = pytest.mark.django_db


def url(procedure) -> str:
    return reverse("setup:house_rules", kwargs={"pk": procedure.pk})


def test_the_page_shows_what_candidates_read_now_in_each_language(client, staff):
    client.force_login(staff.officer)
    page = html.unescape(client.get(url(staff.procedure)).content.decode())
    assert "Laat uw camera en microfoon aan" in page
    assert "Gardez votre caméra et votre micro allumés" in page
    assert "Lassen Sie Kamera und Mikrofon" in page
    assert "4 augustus 2020" in page and "4 août 2020" in page and "4. August 2020" in page


def test_saving_the_defaults_unchanged_changes_nothing(client, staff):
    client.force_login(staff.officer)
    form = {language: "\n".join(house_rules_for(staff.procedure, language)) for language in ("nl", "fr", "de")}
    assert client.post(url(staff.procedure), form).status_code == 302
    procedure = Procedure.objects.get(pk=staff.procedure.pk)
    assert (procedure.house_rules, procedure.house_rules_version) == ({}, 1)
    assert not AuditEntry.objects.filter(action="procedure.house_rules_changed").exists()


def test_an_own_text_in_one_language_raises_the_version_and_is_audited(client, staff):
    client.force_login(staff.officer)
    form = {language: "\n".join(house_rules_for(staff.procedure, language)) for language in ("nl", "fr", "de")}
    form["fr"] = "  Caméra allumée.\n\n Pas de téléphone sur la table.  \n"
    response = client.post(url(staff.procedure), form)
    assert response.status_code == 302 and response["Location"] == url(staff.procedure)
    procedure = Procedure.objects.get(pk=staff.procedure.pk)
    assert procedure.house_rules == {"fr": "Caméra allumée.\nPas de téléphone sur la table."}
    assert procedure.house_rules_version == 2
    assert house_rules_for(procedure, "fr") == ["Caméra allumée.", "Pas de téléphone sur la table."]
    assert house_rules_for(procedure, "nl")[0].startswith("Laat uw camera")  # the service's rules
    entry = AuditEntry.objects.get(action="procedure.house_rules_changed")
    assert entry.actor == staff.officer and entry.changes["version"] == [1, 2]
    # Emptying the French text goes back to the service's rules: another change.
    form["fr"] = ""
    client.post(url(staff.procedure), form)
    procedure.refresh_from_db()
    assert (procedure.house_rules, procedure.house_rules_version) == ({}, 3)


def test_a_text_too_long_is_refused_and_nothing_is_saved(client, staff):
    client.force_login(staff.officer)
    response = client.post(url(staff.procedure), {"nl": "x" * 4001, "fr": "", "de": ""})
    assert response.status_code == 200 and "has-error" in response.content.decode()
    assert Procedure.objects.get(pk=staff.procedure.pk).house_rules_version == 1


def test_the_procedure_menu_leads_to_the_house_rules(client, staff):
    client.force_login(staff.officer)
    page = client.get(reverse("setup:profile", kwargs={"pk": staff.procedure.pk})).content.decode()
    assert f'href="{url(staff.procedure)}"' in page
