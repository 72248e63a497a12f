"""Checks an app's own catalogue: complete, placeholders kept, and worded like the project catalogue
where both have a message (used by the planning and meetings translation tests)."""

from pathlib import Path

import polib

from tests.core.test_translations import PLACEHOLDER, translations_of

ROOT = Path(__file__).resolve().parents[1] / "interviewdesk"


def catalogue(app_dir: Path, language: str) -> polib.POFile:
    return polib.pofile(str(app_dir / "locale" / language / "LC_MESSAGES" / "django.po"))


def assert_complete_with_placeholders(app: str, language: str) -> None:
    po = catalogue(ROOT / app, language)
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    for entry in po:
        expected = set(PLACEHOLDER.findall(entry.msgid))
        for text in translations_of(entry):
            assert expected <= set(PLACEHOLDER.findall(text)), (entry.msgid, text)


def assert_worded_as_the_project(app: str, language: str) -> None:
    project = {e.msgid: e.msgstr for e in catalogue(ROOT, language) if not e.msgid_plural}
    different = [(e.msgid, e.msgstr, project[e.msgid]) for e in catalogue(ROOT / app, language)
                 if not e.msgid_plural and e.msgid in project and e.msgstr != project[e.msgid]]
    assert different == []
