"""Issue 11: the invitation tells the candidate how the interview runs (the case when there is one,
welcome and identity check, part 1, part 2 with the STAR method and an example, the time it takes,
a broken connection), and an invitation sent too late for the usual deadlines promises none of them."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from interviewdesk.messaging.models import Message
from interviewdesk.messaging.services.invitations import invitation_send
from tests.messaging.conftest import planned_interview

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
NNBSP = "\u202f"


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)), BRUSSELS)


WEDNESDAY = dt.date(2027, 3, 17)

# What each language's invitation must say, in the order the interview runs.
COURSE = {
    "nl": ["Zo verloopt het gesprek", "Vóór het gesprek: een case", "U hebt er 30 minuten voor.",
           "Ontvangst en controle van uw identiteit", "Deel 1: uw cv en uw motivatie",
           "Deel 2: vragen over uw gedrag", "STAR-methode", "(situatie)", "(resultaat)",
           "Het gesprek duurt in totaal 75 minuten", "Als de verbinding wegvalt"],
    "fr": ["Déroulement de l’entretien", f"Avant l’entretien{NNBSP}: une étude de cas",
           "Vous disposez de 30 minutes.", "Accueil et contrôle d’identité",
           f"Partie 1{NNBSP}: votre CV et votre motivation", f"Partie 2{NNBSP}: questions comportementales",
           f"méthode STAR{NNBSP}:", "(situation)", "(résultat)", "L’entretien dure 75 minutes au total"],
    "de": ["So läuft das Gespräch ab", "Vor dem Gespräch: eine Fallstudie", "Sie haben dafür 30 Minuten Zeit.",
           "Begrüßung und Identitätskontrolle", "Teil 1: Ihr Lebenslauf und Ihre Motivation",
           "Teil 2: Fragen zu Ihrem Verhalten", "STAR-Methode", "(Situation)", "(Resultat)",
           "Das Gespräch dauert insgesamt 75 Minuten"],
}


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_the_invitation_explains_how_the_interview_runs_in_order(language, time_machine):
    time_machine.move_to(at(dt.date(2027, 2, 15), 9), tick=False)
    appointment = planned_interview(language=language, starts_at=at(WEDNESDAY, 14),
                                    ends_at=at(WEDNESDAY, 15, 15))
    procedure = appointment.procedure
    procedure.pre_stage, procedure.pre_stage_minutes = "case", 30
    procedure.save()
    invitation_send(appointment=appointment)
    message = Message.objects.get(kind="invitation")
    for body in (message.body_text, message.body_html.replace("&#x27;", "'").replace("&quot;", '"')):
        positions = [body.find(fragment) for fragment in COURSE[language]]
        assert -1 not in positions, [f for f, p in zip(COURSE[language], positions, strict=True) if p == -1]
        assert positions == sorted(positions)


def test_without_a_case_the_invitation_names_none_and_a_connection_test_gets_no_course(time_machine):
    time_machine.move_to(at(dt.date(2027, 2, 15), 9), tick=False)
    appointment = planned_interview(starts_at=at(WEDNESDAY, 14), ends_at=at(WEDNESDAY, 15))
    invitation_send(appointment=appointment)
    text = Message.objects.get(kind="invitation").body_text
    assert "Zo verloopt het gesprek" in text and "Het gesprek duurt in totaal 60 minuten" in text
    assert "een case" not in text and "technische proef" not in text


@pytest.mark.parametrize(("language", "too_close", "promised", "deadline"), [
    ("nl", "Uw gesprek is te dichtbij om u nog een zaal te beloven",
     "aparte afspraak voor een korte live", "uiterlijk op"),
    ("fr", "Votre entretien est trop proche pour que nous puissions vous promettre un local",
     "rendez-vous séparé pour un court test de", "au plus tard le"),
    ("de", "Ihr Gespräch ist zu nah, als dass wir Ihnen noch einen Raum zusagen könnten",
     "einen eigenen Termin für einen kurzen Live-", "spätestens am"),
])
def test_a_same_day_invitation_promises_no_test_and_shows_no_past_deadline(language, too_close, promised,
                                                                            deadline, time_machine):
    # Sent on Wednesday 17 March 2027 at 08:00 for 14:00 the same day: the room deadline was Monday.
    time_machine.move_to(at(WEDNESDAY, 8), tick=False)
    appointment = planned_interview(language=language, starts_at=at(WEDNESDAY, 14), ends_at=at(WEDNESDAY, 15))
    invitation_send(appointment=appointment)
    message = Message.objects.get(kind="invitation")
    for body in (message.body_text, message.body_html):
        assert too_close in body.replace("&#x27;", "'")
        assert promised not in body
        assert deadline not in body


def test_an_invitation_sent_in_time_keeps_the_deadline_and_the_promised_test(time_machine):
    time_machine.move_to(at(dt.date(2027, 3, 10), 9), tick=False)  # a week before
    appointment = planned_interview(starts_at=at(WEDNESDAY, 14), ends_at=at(WEDNESDAY, 15))
    invitation_send(appointment=appointment)
    text = Message.objects.get(kind="invitation").body_text
    assert "uiterlijk op maandag 15 maart 2027" in text
    assert "aparte afspraak voor een korte live" in text
    assert "te dichtbij" not in text


def test_the_day_before_the_room_deadline_is_past_and_the_test_still_possible(time_machine):
    # Tuesday 16 March 09:00 for Wednesday 14:00: the room deadline (Monday) has passed, but a test
    # 29 hours ahead can still be held.
    time_machine.move_to(at(dt.date(2027, 3, 16), 9), tick=False)
    appointment = planned_interview(starts_at=at(WEDNESDAY, 14), ends_at=at(WEDNESDAY, 15))
    invitation_send(appointment=appointment)
    text = Message.objects.get(kind="invitation").body_text
    assert "te dichtbij om u nog een zaal te beloven" in text and "uiterlijk op" not in text
    assert "aparte afspraak voor een korte live" in text
