"""Issue 11: the candidate's invitation names the house rules that apply (the procedure's own, else
the service's), in the candidate's language, with the link to the full rules when the service has
one; its calendar description says the same. Delivered through the real SMTP test server."""

from __future__ import annotations

import html

import pytest
from icalendar import Calendar

from interviewdesk.messaging.services.delivery import deliver_due
from interviewdesk.messaging.services.invitations import invitation_send
from interviewdesk.procedures.permissions import officer_group
from interviewdesk.setup.services import house_rules_set, service_house_rules_set
from tests.factories import UserFactory
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db
NNBSP = "\u202f"
LINKS = {"nl": "https://selectie.example.org/reglement-nl", "fr": "https://selection.example.org/reglement-fr",
         "de": "https://auswahl.example.org/hausordnung-de"}
SERVICE = {
    "nl": ("Huishoudelijk reglement", "Tijdens de sessie geldt het huishoudelijk reglement van de selectiedienst.",
           "Het volledige huishoudelijk reglement:", "Lees het volledige huishoudelijk reglement",
           "Huishoudelijk reglement: dat van de selectiedienst geldt"),
    "fr": ("Règlement d’ordre intérieur",
           "Pendant la séance, le règlement d’ordre intérieur du service de sélection s’applique.",
           f"Le règlement d’ordre intérieur complet{NNBSP}:", "Lire le règlement d’ordre intérieur complet",
           f"Règlement d’ordre intérieur{NNBSP}: celui du service de sélection s’applique"),
    "de": ("Hausordnung", "Während der Sitzung gilt die Hausordnung des Auswahldienstes.",
           "Die vollständige Hausordnung:", "Lesen Sie die vollständige Hausordnung",
           "Hausordnung: Es gilt die Hausordnung des Auswahldienstes"),
}
OWN = {
    "nl": ("Tijdens de sessie geldt het huishoudelijk reglement dat voor deze selectie is vastgelegd.",
           "Huishoudelijk reglement: dat van deze selectie geldt"),
    "fr": ("Pendant la séance, le règlement d’ordre intérieur fixé pour cette sélection s’applique.",
           f"Règlement d’ordre intérieur{NNBSP}: celui fixé pour cette sélection s’applique"),
    "de": ("Während der Sitzung gilt die für dieses Auswahlverfahren festgelegte Hausordnung.",
           "Hausordnung: Es gilt die für dieses Auswahlverfahren festgelegte"),
}


def officer():
    user = UserFactory()
    user.groups.add(officer_group())
    return user


def delivered(smtp, appointment) -> tuple[str, str, str]:
    """(text, html, calendar description) of the candidate's invitation as the SMTP server received it."""
    invitation_send(appointment=appointment)
    deliver_due()
    mail = next(m for rcpt, m in smtp.received if rcpt == [appointment.candidate.email])
    text, body, calendar = mail.get_payload()[0].get_payload()
    event = next(c for c in Calendar.from_ical(calendar.get_content()).walk() if c.name == "VEVENT")
    return text.get_content(), html.unescape(body.get_content()), str(event["DESCRIPTION"])


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_the_invitation_names_the_services_rules_and_links_them(smtp, language):
    service_house_rules_set(actor=officer(), texts={}, links=LINKS)
    appointment = planned_interview(language=language)
    text, body, description = delivered(smtp, appointment)
    heading, sentence, link_label, link_text, calendar_line = SERVICE[language]
    assert f"== {heading} ==" in text and sentence in text
    assert f"{link_label} {LINKS[language]}" in text
    assert f"<h2>{heading}</h2>" in body and sentence in body
    assert f'<a href="{LINKS[language]}">{link_text}</a>' in body
    assert calendar_line in description and LINKS[language] in description
    for other in set(LINKS) - {language}:
        assert LINKS[other] not in text + body + description


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_a_procedures_own_rules_are_named_without_the_services_link(smtp, language):
    service_house_rules_set(actor=officer(), texts={}, links=LINKS)
    appointment = planned_interview(language=language)
    house_rules_set(actor=None, procedure=appointment.procedure, texts={language: "Eigen regel.\nNog een regel."})
    text, body, description = delivered(smtp, appointment)
    sentence, calendar_line = OWN[language]
    assert sentence in text and sentence in body and calendar_line in description
    assert SERVICE[language][1] not in text
    assert LINKS[language] not in text + body + description


def test_without_a_link_the_invitation_still_names_the_rules(smtp):
    appointment = planned_interview(language="nl")
    text, body, description = delivered(smtp, appointment)
    assert SERVICE["nl"][1] in text and SERVICE["nl"][1] in body and SERVICE["nl"][4] in description
    assert "Het volledige huishoudelijk reglement" not in text and "<a href=\"https://selectie" not in body
