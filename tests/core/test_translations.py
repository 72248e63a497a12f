import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "interviewdesk" / "locale"
LANGUAGES = ["nl", "fr", "de"]
# Named python-format placeholders such as %(name)s or %(count)d.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]")


def catalogue(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def translations_of(entry):
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    assert [entry.msgid for entry in catalogue(language).untranslated_entries()] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_message_is_fuzzy(language):
    po = catalogue(language)
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert not po.metadata_is_fuzzy


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_placeholder_of_the_english_text_appears_in_the_translation(language):
    missing = []
    for entry in catalogue(language):
        if "python-format" not in entry.flags:
            continue
        expected = set(PLACEHOLDER.findall(entry.msgid))
        for text in translations_of(entry):
            if not expected <= set(PLACEHOLDER.findall(text)):
                missing.append((entry.msgid, text))
    assert missing == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", "Dashboard"), ("fr", "Tableau de bord"), ("de", "Übersicht")],
)
def test_the_compiled_catalogue_is_used_at_run_time(language, expected):
    with translation.override(language):
        assert translation.gettext("Dashboard") == expected
