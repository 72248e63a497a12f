import re
from pathlib import Path

import polib
import pytest

import interviewdesk.portal

LOCALE = Path(interviewdesk.portal.__file__).parent / "locale"


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_every_portal_string_is_translated(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 300
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists()


# The portal addresses candidates formally in Dutch ("u", "uw"); the informal pronouns as whole words
# (not inside "jeugd" or "bijhouden") must not slip in, whichever page a string is on.
INFORMAL_DUTCH = re.compile(r"(?<![\w-])(je|jij|jouw|jou)(?![\w-])", re.IGNORECASE)


def test_the_dutch_portal_addresses_candidates_formally():
    catalogue = polib.pofile(str(LOCALE / "nl" / "LC_MESSAGES" / "django.po"))
    informal = [(entry.msgid, text) for entry in catalogue
                for text in (entry.msgstr, *entry.msgstr_plural.values()) if INFORMAL_DUTCH.search(text)]
    assert informal == []


@pytest.mark.parametrize(("text", "informal"), [
    ("Wanneer je niet kunt komen", True), ("Je kunt dit wijzigen", True), ("jouw gesprek", True),
    ("met jou.", True), ("Kun jij komen?", True), ("U kunt dit wijzigen", False), ("de jeugd", False),
    ("uw gesprek, bijhouden", False), ("Jouwe", False),
])
def test_the_informal_pronouns_are_found_as_words_only(text, informal):
    assert bool(INFORMAL_DUTCH.search(text)) is informal
