"""Issue 11: the personal page tells the candidate how the interview runs, and a page seen too close to
the interview shows no day in the past and promises no live connection test that cannot happen."""

from __future__ import annotations

import datetime as dt
import html
import zoneinfo

import pytest
from django.utils import timezone

from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, CandidateFactory, ProcedureFactory

from .conftest import log_in

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
NNBSP = "\u202f"
WEDNESDAY = dt.date(2027, 3, 17)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)), BRUSSELS)


def page(client) -> str:
    return html.unescape(client.get("/portal/").content.decode())


def interview(language: str, starts_at: dt.datetime, minutes: int = 60, **procedure) -> Appointment:
    proc = ProcedureFactory(language=language, **procedure)
    return AppointmentFactory(procedure=proc, candidate=CandidateFactory(procedure=proc, language=language),
                              starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=minutes),
                              status=Appointment.Status.INVITED)


@pytest.mark.parametrize(("language", "expected"), [
    ("nl", ["Zo verloopt uw gesprek", "Vóór het gesprek: een technische proef", "U hebt er 45 minuten voor.",
            "Ontvangst en controle van uw identiteit", "Deel 1: uw cv en uw motivatie",
            "Deel 2: vragen over uw gedrag", "STAR-methode", "Een kort voorbeeld van een STAR-antwoord",
            "Het gesprek duurt in totaal 90 minuten", "Als de verbinding wegvalt", "hooguit 10 minuten"]),
    ("fr", ["Déroulement de votre entretien", f"Avant l’entretien{NNBSP}: une épreuve technique",
            "Vous disposez de 45 minutes.", "Accueil et contrôle d’identité", f"Partie 1{NNBSP}: votre CV",
            f"Partie 2{NNBSP}: questions comportementales", "méthode STAR", "Un court exemple de réponse STAR",
            "L’entretien dure 90 minutes au total", "Si la connexion est coupée", "pendant 10 minutes au plus"]),
    ("de", ["So läuft Ihr Gespräch ab", "Vor dem Gespräch: ein technischer Test", "Sie haben dafür 45 Minuten Zeit.",
            "Begrüßung und Identitätskontrolle", "Teil 1: Ihr Lebenslauf", "Teil 2: Fragen zu Ihrem Verhalten",
            "STAR-Methode", "Ein kurzes Beispiel für eine STAR-Antwort", "Das Gespräch dauert insgesamt 90 Minuten",
            "Wenn die Verbindung abbricht", "höchstens 10 Minuten"]),
])
def test_the_personal_page_explains_how_the_interview_runs(client, language, expected, working_day_morning):
    appointment = interview(language, working_day_morning + dt.timedelta(days=7), minutes=90,
                            pre_stage="technical_test", pre_stage_minutes=45)
    log_in(client, appointment.candidate)
    shown = page(client)
    positions = [shown.find(fragment) for fragment in expected]
    assert -1 not in positions, [f for f, p in zip(expected, positions, strict=True) if p == -1]
    assert positions == sorted(positions)


def test_without_an_appointment_the_course_uses_the_procedure_length(client):
    procedure = ProcedureFactory(language="nl", interview_minutes=50)
    candidate = CandidateFactory(procedure=procedure, language="nl")
    log_in(client, candidate)
    shown = page(client)
    assert "Het gesprek duurt in totaal 50 minuten" in shown and "een case" not in shown


def _steps(shown: str) -> str:
    return shown[shown.index('class="checklist"'):shown.index("</ol>", shown.index('class="checklist"'))]


@pytest.mark.parametrize(("language", "too_close", "asap", "dates"), [
    ("nl", "Uw gesprek is te dichtbij voor een live test", "zo snel mogelijk", ["15 maart", "16 maart"]),
    ("fr", f"Votre entretien est trop proche pour un test en direct{NNBSP}:", "dès que possible",
     ["15 mars", "16 mars"]),
    ("de", "Ihr Gespräch ist zu nah für einen Live-Test", "so bald wie möglich", ["15. März", "16. März"]),
])
def test_on_the_day_itself_no_past_day_is_shown_and_no_live_test_is_promised(client, time_machine, language,
                                                                             too_close, asap, dates):
    time_machine.move_to(at(WEDNESDAY, 8), tick=False)
    appointment = interview(language, at(WEDNESDAY, 14))
    log_in(client, appointment.candidate)
    steps = _steps(page(client))
    assert too_close in steps and asap in steps
    assert 'href="/portal/connection-test/"' not in steps
    for day in dates:
        assert day not in steps
    assert "step-late" not in steps


def test_a_week_ahead_the_steps_keep_their_days_and_the_live_test(client, time_machine):
    time_machine.move_to(at(dt.date(2027, 3, 10), 9), tick=False)
    appointment = interview("nl", at(WEDNESDAY, 14))
    log_in(client, appointment.candidate)
    steps = _steps(page(client))
    assert "uiterlijk maandag 15 maart 2027" in steps
    assert 'href="/portal/connection-test/"' in steps
    assert "te dichtbij" not in steps and "zo snel mogelijk" not in steps


def test_the_room_page_shows_no_past_last_day(client, time_machine):
    time_machine.move_to(at(WEDNESDAY, 8), tick=False)
    appointment = interview("nl", at(WEDNESDAY, 14))
    log_in(client, appointment.candidate)
    shown = html.unescape(client.get("/portal/room/").content.decode())
    assert "15 maart" not in shown
    assert "De laatste dag is voorbij" in shown
