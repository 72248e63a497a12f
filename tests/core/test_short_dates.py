"""Issue 11: dates in staff tables follow the reader's language ("Do., 10. Dez. 2026", "jeu. 10 déc.
2026", "do 10 dec. 2026"), never Django's one-format-for-all `|date:"D j M Y"` ("Do 10 Dez 2026",
"jeu 10 Déc 2026"), and no template writes such a format again."""

from __future__ import annotations

import datetime as dt
import html
import re
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from interviewdesk.core.dates import short_date, short_datetime
from interviewdesk.messaging.models import Message
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, CandidateFactory, staffed_procedure

ROOT = Path(__file__).resolve().parents[2] / "interviewdesk"
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
THURSDAY = dt.datetime(2026, 12, 10, 14, 0, tzinfo=BRUSSELS)
JULY = dt.datetime(2027, 7, 1, 9, 30, tzinfo=BRUSSELS)  # French "juil.", never "Jul"/"Jui"


@pytest.mark.parametrize(("language", "plain", "with_weekday", "without_year", "with_time", "july"), [
    ("de", "10. Dez. 2026", "Do., 10. Dez. 2026", "10. Dez.", "10. Dez. 2026, 14:00 CET", "1. Juli 2027, 09:30 CEST"),
    ("fr", "10 déc. 2026", "jeu. 10 déc. 2026", "10 déc.", "10 déc. 2026, 14:00 CET", "1 juil. 2027, 09:30 CEST"),
    ("nl", "10 dec. 2026", "do 10 dec. 2026", "10 dec.", "10 dec. 2026, 14:00 CET", "1 jul. 2027, 09:30 CEST"),
    ("en", "10 Dec 2026", "Thu 10 Dec 2026", "10 Dec", "10 Dec 2026, 14:00 CET", "1 Jul 2027, 09:30 CEST"),
])
def test_each_language_writes_its_own_short_date(language, plain, with_weekday, without_year, with_time, july):
    with translation.override(language):
        assert short_date(THURSDAY) == plain
        assert short_date(THURSDAY.date(), weekday=True) == with_weekday
        assert short_date(THURSDAY, year=False) == without_year
        assert short_datetime(THURSDAY) == with_time
        assert short_datetime(JULY) == july
        assert short_date(None) == short_datetime(None) == ""


def test_the_short_filters_take_their_arguments():
    template = Template('{% load dates %}{{ at|short_date:"weekday no year" }} / {{ at|short_datetime:"weekday no zone" }}'
                        ' / {{ at|short_datetime:"no year seconds" }}')
    with translation.override("de"):
        assert template.render(Context({"at": THURSDAY})) == "Do., 10. Dez. / Do., 10. Dez. 2026, 14:00 / 10. Dez., 14:00:00 CET"


def _text(response) -> str:
    assert response.status_code == 200
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "weekday_date", "day_and_time", "wrong"), [
    ("de", "Do., 10. Dez. 2026", "10. Dez. 2026, 14:00 CET", ["Do 10 Dez 2026", "10 Dez 2026"]),
    ("fr", "jeu. 10 déc. 2026", "10 déc. 2026, 14:00 CET", ["jeu 10 Déc 2026", "10 Déc 2026"]),
    ("nl", "do 10 dec. 2026", "10 dec. 2026, 14:00 CET", ["do 10 Dec 2026", "10 Dec 2026"]),
])
def test_staff_pages_write_dates_in_the_readers_language(client, language, weekday_date, day_and_time, wrong):
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, 0, tzinfo=BRUSSELS), tick=False):
        staff = staffed_procedure()
        candidate = CandidateFactory(procedure=staff.procedure, language=language)
        AppointmentFactory(procedure=staff.procedure, candidate=candidate, starts_at=THURSDAY,
                           ends_at=THURSDAY + dt.timedelta(hours=1), status=Appointment.Status.INVITED)
        message = Message.objects.create(kind="invitation", procedure=staff.procedure, candidate=candidate,
                                         recipient_email="c@example.org", language=language, subject="s", body_text="b")
        Message.objects.filter(pk=message.pk).update(created_at=THURSDAY)
        client.force_login(staff.officer)
        client.cookies["django_language"] = language
        pages = {
            "procedure": reverse("procedure_detail", args=[staff.procedure.pk]),
            "candidate": reverse("candidate_detail", args=[staff.procedure.pk, candidate.pk]),
            "mail log": reverse("messaging:procedure", args=[staff.procedure.pk]),
            "readiness": reverse("portal:readiness", args=[staff.procedure.pk]),
        }
        texts = {name: _text(client.get(url, HTTP_ACCEPT_LANGUAGE=language)) for name, url in pages.items()}
    assert weekday_date in texts["procedure"]  # the next appointment
    assert weekday_date in texts["candidate"]  # the appointment rows
    assert day_and_time in texts["mail log"]
    assert day_and_time in texts["readiness"]
    for name, text in texts.items():
        for bad in wrong:
            assert bad not in text, (name, bad)


# Day, weekday, month and year letters of Django's date format: a format with any of them writes the
# date one way for every language. Machine formats (ISO, for datetime= attributes) are allowed.
DATE_LETTERS = re.compile(r"[dDjlNSwzWFmMnbEtLoYy]")
MACHINE_FORMATS = {"c", "U", "Y-m-d", "r"}
DATE_FILTER = re.compile(r"""\|date\b(?::\s*(["'])(.*?)\1)?""")


def _hard_coded(line: str) -> list[str]:
    return [fmt for quote, fmt in DATE_FILTER.findall(line)
            if not quote or (fmt not in MACHINE_FORMATS and DATE_LETTERS.search(fmt.replace("\\T", "")))]


def test_no_template_writes_a_date_in_one_format_for_every_language():
    found = [f"{path.relative_to(ROOT)}: {line.strip()[:100]}"
             for path in sorted(ROOT.rglob("templates/**/*")) if path.suffix in (".html", ".txt", ".ics")
             for line in path.read_text().splitlines() if _hard_coded(line)]
    assert found == []
    # The guard itself: catches what issue 11 found, lets machine and time-only formats pass.
    assert _hard_coded('{{ a.starts_at|date:"D j M Y" }}') == ["D j M Y"]
    assert _hard_coded("{{ a|date:'j M' }} {{ b|date }}") == ["j M", ""]
    assert _hard_coded('<time datetime="{{ a|date:\'c\' }}">{{ a|date:"H:i T" }} {{ a|date:"Y-m-d" }}') == []
