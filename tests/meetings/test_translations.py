"""The meetings pages' catalogue (staff) is complete in nl, fr and de, keeps every placeholder, and
reads like the project catalogue where both have a message."""

from pathlib import Path

import polib
import pytest

from tests.core.test_translations import PLACEHOLDER, translations_of

ROOT = Path(__file__).resolve().parents[2] / "interviewdesk"


def _po(app_dir: Path, language: str) -> polib.POFile:
    return polib.pofile(str(app_dir / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_every_meetings_message_is_translated_with_its_placeholders(language):
    po = _po(ROOT / "meetings", language)
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    for entry in po:
        expected = set(PLACEHOLDER.findall(entry.msgid))
        for text in translations_of(entry):
            assert expected <= set(PLACEHOLDER.findall(text)), (entry.msgid, text)


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_shared_words_read_as_in_the_project_catalogue(language):
    project = {e.msgid: e.msgstr for e in _po(ROOT, language) if not e.msgid_plural}
    different = [(e.msgid, e.msgstr, project[e.msgid]) for e in _po(ROOT / "meetings", language)
                 if not e.msgid_plural and e.msgid in project and e.msgstr != project[e.msgid]]
    assert different == []
