"""Publishing a result queues the candidate's e-mail in the outbox, once, in the same transaction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polib
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

import interviewdesk.assessment
from interviewdesk.assessment import notifications, services
from interviewdesk.assessment.models import Result
from interviewdesk.messaging.models import Message
from tests.assessment.conftest import complete
from tests.factories import AppointmentFactory, CandidateFactory

pytestmark = pytest.mark.django_db

LOCALE = Path(interviewdesk.assessment.__file__).parent / "locale"
LEVELS = {0: [3, 3], 1: [3, 4], 2: [4, 4]}


def scored(world, appointment):
    return complete(appointment, world.panel, {u: LEVELS[i] for i, u in enumerate(world.panel)}, [3, 4])


@pytest.fixture
def two_results(world):
    world.procedure.contact_name, world.procedure.contact_email = "Ann Contact", "ann.contact@example.org"
    world.procedure.save()
    french = CandidateFactory(procedure=world.procedure, language="fr", first_name="Chloé", last_name="Dubois")
    other = AppointmentFactory(procedure=world.procedure, jury=world.jury, candidate=french,
                               starts_at=world.appointment.starts_at + dt.timedelta(hours=2),
                               ends_at=world.appointment.ends_at + dt.timedelta(hours=2))
    return scored(world, world.appointment), scored(world, other)


def result_mails():
    return list(Message.objects.filter(kind="result").order_by("id"))


def test_publishing_queues_one_mail_per_candidate_in_their_language(world, two_results):
    dutch, french = two_results
    assert services.results_publish(procedure=world.procedure, actor=world.officer) == 2
    mails = result_mails()
    assert [(m.candidate_id, m.appointment_id, m.language, m.recipient_email, m.dedupe_key) for m in mails] == [
        (dutch.appointment.candidate_id, dutch.appointment_id, "nl", dutch.appointment.candidate.email,
         f"result:{dutch.pk}"),
        (french.appointment.candidate_id, french.appointment_id, "fr", french.appointment.candidate.email, f"result:{french.pk}"),
    ]
    assert mails[0].subject == f"Het resultaat van uw interview is beschikbaar ({world.procedure.reference})"
    assert mails[1].subject == f"Le résultat de votre entretien est disponible ({world.procedure.reference})"
    assert mails[1].recipient_name == "Chloé Dubois"
    assert mails[0].state == Message.State.QUEUED


def test_the_mail_gives_the_outcome_the_score_the_pass_mark_and_the_contact_person_but_no_jury(world, two_results):
    dutch, _french = two_results
    services.result_notify(result=dutch)
    dutch.refresh_from_db()
    mail = Message.objects.get(kind="result", candidate=dutch.appointment.candidate)
    pct = str(dutch.final_pct).replace(".", ",")
    until = notifications.add_months(dutch.published_at.date(), 2)
    assert f"Uw eindscore is {pct} %; de slaaggrens is 60,00 %." in mail.body_text
    assert ("U bent geslaagd voor het interview." if dutch.passed else "U bent niet geslaagd") in mail.body_text
    assert "feedbackrapport downloaden" in mail.body_text
    assert "Uw contactpersoon is Ann Contact (ann.contact@example.org)." in mail.body_text
    assert f"U kunt die vragen tot {until.day} " in mail.body_text
    assert "Uw eindscore" in mail.body_html
    for user in world.panel:
        assert user.get_full_name() not in mail.body_text
        assert user.get_full_name() not in mail.body_html
        assert user.email not in mail.body_text


def test_publishing_twice_does_not_mail_twice(world, two_results):
    dutch, _french = two_results
    services.results_publish(procedure=world.procedure, actor=world.officer)
    assert services.results_publish(procedure=world.procedure, actor=world.officer) == 0
    with pytest.raises(ValidationError):
        services.result_notify(result=dutch)
    again = notifications.result_mail_queue(result=Result.objects.get(pk=dutch.pk))
    assert again.pk == result_mails()[0].pk
    assert len(result_mails()) == 2


def test_nothing_is_queued_when_the_publication_rolls_back(world, two_results):
    dutch, _french = two_results

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        services.result_notify(result=dutch)
        assert len(result_mails()) == 1
        raise Boom
    assert result_mails() == []
    dutch.refresh_from_db()
    assert (dutch.status, dutch.published_at) == (Result.Status.SIGNED_OFF, None)


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2026, 11, 28), dt.date(2027, 1, 28)), (dt.date(2026, 12, 31), dt.date(2027, 2, 28)),
    (dt.date(2027, 12, 31), dt.date(2028, 2, 29)),
])
def test_two_months_later_stays_within_the_month(day, expected):
    assert notifications.add_months(day, 2) == expected


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_no_assessment_string_is_untranslated_or_fuzzy(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists()
