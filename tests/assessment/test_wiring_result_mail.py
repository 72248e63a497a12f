"""Publishing a result queues the candidate's e-mail in the outbox, once, in the same transaction; so does
a correction of a published result that changes the score or the outcome."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polib
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

import interviewdesk.assessment
from interviewdesk.assessment import notifications, services
from interviewdesk.assessment.models import Result
from interviewdesk.messaging.models import Message
from tests.assessment.conftest import complete, level_id
from tests.english import english_left
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
    until = notifications.add_months(timezone.localdate(dutch.published_at), 2)  # Brussels day, not UTC's
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


def corrected_mails():
    return list(Message.objects.filter(kind="result_corrected").order_by("id"))


def lower_first_competency(world, result):
    gc_id = result.levels.order_by("guide_competency__order").first().guide_competency_id
    return {gc_id: {"level": level_id(world.procedure, 1), "strengths": "Some", "to_develop": "More"}}


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_a_correction_after_publication_tells_the_candidate_in_their_language(world, two_results, language,
                                                                             time_machine):
    dutch, _french = two_results
    candidate = dutch.appointment.candidate
    candidate.language = language
    candidate.save(update_fields=["language"])
    services.result_notify(result=dutch)
    time_machine.move_to(dt.datetime(2027, 1, 10, 12, 0, tzinfo=dt.UTC))  # weeks after the publication

    corrected = services.result_correct(result=dutch, actor=world.officer, reason="Wrong level entered",
                                        levels=lower_first_competency(world, dutch))

    [mail] = corrected_mails()
    assert (mail.candidate_id, mail.language, mail.state) == (candidate.pk, language, Message.State.QUEUED)
    pct = str(corrected.final_pct).replace(".", ",")
    expected = {
        "nl": (f"Het resultaat van uw interview is verbeterd ({world.procedure.reference})",
               f"Uw eindscore is {pct} %", "10 maart 2027"),
        "fr": (f"Votre résultat d’entretien a été corrigé ({world.procedure.reference})", f"{pct} %", "10 mars 2027"),
        "de": (f"Ihr Ergebnis des Gesprächs wurde berichtigt ({world.procedure.reference})", f"{pct} %",
               "10. März 2027"),
    }[language]
    assert mail.subject == expected[0]
    assert expected[1] in mail.body_text and expected[1] in mail.body_html
    assert expected[2] in mail.body_text  # two months from the correction, not from the publication
    assert "Wrong level entered" not in mail.body_text  # the internal reason stays internal
    assert english_left(mail.body_text + mail.subject, LOCALE / "nl/LC_MESSAGES/django.po") == []


def test_a_correction_before_publication_or_without_visible_change_sends_nothing(world, two_results):
    dutch, french = two_results
    services.result_correct(result=french, actor=world.officer, reason="Before publication",
                            levels=lower_first_competency(world, french))
    services.result_notify(result=dutch)
    same = {gc: {"level": level, "strengths": "Reworded", "to_develop": "Reworded"} for gc, level in
            dutch.levels.values_list("guide_competency_id", "level_id")}
    services.result_correct(result=dutch, actor=world.officer, reason="Only the wording", levels=same)
    assert corrected_mails() == []


def test_each_correction_gets_its_own_mail_and_a_rolled_back_one_none(world, two_results):
    dutch, _french = two_results
    services.result_notify(result=dutch)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        services.result_correct(result=dutch, actor=world.officer, reason="First try",
                                levels=lower_first_competency(world, dutch))
        raise Boom
    assert corrected_mails() == []
    services.result_correct(result=dutch, actor=world.officer, reason="Lower",
                            levels=lower_first_competency(world, dutch))
    gc_id = next(iter(lower_first_competency(world, dutch)))
    services.result_correct(result=dutch, actor=world.officer, reason="Back up",
                            levels={gc_id: {"level": level_id(world.procedure, 5), "strengths": "Clear", "to_develop": ""}})
    assert len(corrected_mails()) == 2
    assert len({m.dedupe_key for m in corrected_mails()}) == 2


def test_the_result_mail_carries_a_working_personal_link_stored_only_as_a_placeholder(world, two_results, settings,
                                                                                       tmp_path, client):
    import email
    import email.policy
    import re

    from interviewdesk.messaging.services.delivery import deliver_due
    from interviewdesk.portal.services.access import access_token_find

    settings.EMAIL_HOST, settings.MAIL_DIR = "", str(tmp_path)  # the file backend: the .eml as delivered
    dutch, _french = two_results
    services.result_notify(result=dutch)
    mail = Message.objects.get(kind="result", candidate=dutch.appointment.candidate)
    assert "/p/" not in mail.body_text + mail.body_html
    deliver_due()
    delivered = email.message_from_bytes((tmp_path / f"{mail.pk:08d}-result.eml").read_bytes(),
                                         policy=email.policy.default)
    text = next(p.get_content() for p in delivered.walk() if p.get_content_type() == "text/plain")
    [raw] = re.findall(r"/p/([\w-]{43})/", text)
    token, state = access_token_find(raw)
    assert state == "ok"
    # It stays valid through the two months in which the candidate may ask for an explanation.
    dutch.refresh_from_db()
    until = notifications.add_months(dutch.published_at.date(), notifications.EXPLANATION_MONTHS)
    assert token.expires_at.date() > until
    assert client.post(f"/p/{raw}/").status_code == 302
