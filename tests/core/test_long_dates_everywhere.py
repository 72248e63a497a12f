"""Issue 11: staff pages, PDFs and e-mails write long dates the way each language does, through
core.dates (German "10. Dezember 2026, 14:00 CET", never "10 Dezember 2026")."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from interviewdesk.core.dates import long_datetime

ROOT = Path(__file__).resolve().parents[2] / "interviewdesk"
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
THURSDAY_TWO = dt.datetime(2026, 12, 10, 14, 0, tzinfo=BRUSSELS)
# Django's date filter with a month name ("F") takes one format for every language.
MONTH_NAME_FORMAT = re.compile(r"""\|date:["'][^"']*F""")


def test_no_template_writes_a_month_name_with_the_date_filter():
    found = [f"{path.relative_to(ROOT)}: {line.strip()[:80]}"
             for path in sorted(ROOT.rglob("templates/**/*")) if path.suffix in (".html", ".txt")
             for line in path.read_text().splitlines() if MONTH_NAME_FORMAT.search(line)]
    assert found == []


FORMAT_ARGUMENT = re.compile(r"""date_format\([^)]*?["']([^"']*)["']""")


def _names_a_month(line: str) -> bool:
    """A date_format whose format string has the month-name letter F (not a named format such as
    DATE_FORMAT), or a strftime with %B."""
    formats = FORMAT_ARGUMENT.findall(line)
    return any(re.search(r"(^|[^A-Z_])F([^A-Z_]|$)", fmt) for fmt in formats) or "%B" in line


def test_no_python_code_formats_a_month_name_itself():
    found = [f"{path.relative_to(ROOT)}: {line.strip()[:80]}" for path in sorted(ROOT.rglob("*.py"))
             if "migrations" not in path.parts and path != ROOT / "core" / "dates.py"
             for line in path.read_text().splitlines() if _names_a_month(line)]
    assert found == []
    assert _names_a_month('date_format(x, "j F Y H:i T")') and not _names_a_month('date_format(x, "DATE_FORMAT")')


@pytest.mark.parametrize(("language", "expected", "with_weekday"), [
    ("de", "10. Dezember 2026, 14:00 CET", "Donnerstag, 10. Dezember 2026, 14:00 CET"),
    ("nl", "10 december 2026, 14:00 CET", "donderdag 10 december 2026, 14:00 CET"),
    ("fr", "10 décembre 2026, 14:00 CET", "jeudi 10 décembre 2026, 14:00 CET"),
])
def test_the_long_datetime_filter_follows_the_language(language, expected, with_weekday):
    template = Template('{% load dates %}{{ at|long_datetime }} / {{ at|long_datetime:"weekday" }} / '
                        '{{ none|long_datetime|default:"—" }}')
    with translation.override(language):
        assert template.render(Context({"at": THURSDAY_TWO, "none": None})) == f"{expected} / {with_weekday} / —"


def test_a_time_in_the_repeated_autumn_hour_keeps_its_zone_name():
    second_pass = dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)  # 02:30 CET, after the clocks went back
    with translation.override("de"):
        assert long_datetime(second_pass) == "25. Oktober 2026, 02:30 CET"
        assert long_datetime(second_pass, seconds=True) == "25. Oktober 2026, 02:30:00 CET"
