from pathlib import Path

import polib
import pytest

import interviewdesk.privacy

LOCALE = Path(interviewdesk.privacy.__file__).parent / "locale"


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_every_privacy_string_is_translated(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 40
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists()
