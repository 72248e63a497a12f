"""Issue 11: the candidate reads the house rules of their procedure in their language next to the
session rules and accepts both at once; the acceptance records which text it was, and a changed
text is asked again."""

from __future__ import annotations

import html

import pytest

from interviewdesk.core.models import AuditEntry
from interviewdesk.portal.models import Readiness
from interviewdesk.portal.staff_selectors import readiness_rows
from interviewdesk.procedures.house_rules import house_rules_digest, house_rules_for
from interviewdesk.setup.services import house_rules_set
from tests.factories import CandidateFactory, UserFactory

from .conftest import log_in

pytestmark = pytest.mark.django_db


def page(client, url="/portal/rules/") -> str:
    return html.unescape(client.get(url).content.decode())


@pytest.mark.parametrize(("language", "heading", "rule"), [
    ("nl", "Huishoudelijk reglement van de selectiedienst", "Neem de sessie op geen enkele manier op"),
    ("fr", "Règlement d’ordre intérieur du service de sélection", "N’enregistrez la session d’aucune manière"),
    ("de", "Hausordnung des Auswahldienstes", "Zeichnen Sie die Sitzung in keiner Weise auf"),
])
def test_the_rules_page_shows_the_house_rules_in_the_candidates_language(client, language, heading, rule):
    candidate = CandidateFactory(language=language)
    log_in(client, candidate)
    shown = page(client)
    assert heading in shown and rule in shown
    assert shown.index(heading) < shown.index('name="acknowledge"')


def test_accepting_records_the_version_and_the_text_shown(client):
    candidate = CandidateFactory(language="de")
    log_in(client, candidate)
    assert client.post("/portal/rules/", {"acknowledge": "on", "version": "1"}).status_code == 302
    readiness = Readiness.objects.get(candidate=candidate)
    assert readiness.rules_version == 1
    assert readiness.rules_digest == house_rules_digest(house_rules_for(candidate.procedure, "de"))
    entry = AuditEntry.objects.get(action="candidate.rules_acknowledged")
    assert entry.changes["house_rules_version"] == [None, 1]


def test_a_changed_text_is_asked_again_and_an_old_page_cannot_accept_it(client):
    candidate = CandidateFactory(language="nl")
    log_in(client, candidate)
    client.post("/portal/rules/", {"acknowledge": "on", "version": "1"})
    assert "step-done" in page(client, "/portal/").split('href="/portal/rules/"')[0].rsplit("<li", 1)[1]

    house_rules_set(actor=UserFactory(), procedure=candidate.procedure,
                    texts={"nl": "Camera aan.\nGeen gsm op tafel.", "fr": "", "de": ""})
    shown = page(client)
    assert "Geen gsm op tafel." in shown and "Laat uw camera en microfoon aan" not in shown
    assert "Het huishoudelijk reglement is gewijzigd sinds u het aanvaardde" in shown
    overview = page(client, "/portal/")
    rules_step = overview.split('href="/portal/rules/"')[0].rsplit("<li", 1)[1]
    assert "step-todo" in rules_step
    assert "Het huishoudelijk reglement is gewijzigd: aanvaard het opnieuw." in overview

    # A page opened before the change (version 1) does not accept the new text.
    client.post("/portal/rules/", {"acknowledge": "on", "version": "1"})
    assert Readiness.objects.get(candidate=candidate).rules_version == 1
    client.post("/portal/rules/", {"acknowledge": "on", "version": "2"})
    readiness = Readiness.objects.get(candidate=candidate)
    assert readiness.rules_version == 2
    assert readiness.rules_digest == house_rules_digest(["Camera aan.", "Geen gsm op tafel."])


def test_staff_readiness_counts_an_acceptance_of_changed_house_rules_as_not_accepted(client):
    candidate = CandidateFactory(language="fr")
    log_in(client, candidate)
    client.post("/portal/rules/", {"acknowledge": "on", "version": "1"})
    procedure = candidate.procedure

    def rules_cell():
        [row] = readiness_rows(procedure)
        return next(value for code, value, *_rest in row.cells if code == "rules")

    assert rules_cell() == "yes"
    procedure = house_rules_set(actor=UserFactory(), procedure=procedure, texts={"fr": "Caméra allumée."})
    assert rules_cell() == "no"
