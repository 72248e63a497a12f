"""The set-up pages in nl, fr and de like the other staff pages: the set-up catalogue is complete
with its placeholders, shares the project's words, and a Dutch-speaking officer finds no English
sentence of it on the set-up pages or in its messages."""

from __future__ import annotations

import html
import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse

from interviewdesk.procedures.models import Room
from tests.core.test_translations import PLACEHOLDER, translations_of
from tests.english import english_left

ROOT = Path(__file__).resolve().parents[2] / "interviewdesk"
SETUP_NL = ROOT / "setup" / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def _po(app_dir: Path, language: str) -> polib.POFile:
    return polib.pofile(str(app_dir / "locale" / language / "LC_MESSAGES" / "django.po"))


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_every_setup_message_is_translated_with_its_placeholders(language):
    po = _po(ROOT / "setup", language)
    assert len(po) > 100
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    for entry in po:
        expected = set(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            expected |= set(PLACEHOLDER.findall(entry.msgid_plural))
        for text in translations_of(entry):
            assert expected - {"%(n)d"} <= set(PLACEHOLDER.findall(text)), (entry.msgid, text)


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_shared_words_read_as_in_the_project_catalogue(language):
    project = {e.msgid: e.msgstr for e in _po(ROOT, language) if not e.msgid_plural}
    different = [(e.msgid, e.msgstr, project[e.msgid]) for e in _po(ROOT / "setup", language)
                 if not e.msgid_plural and e.msgid in project and e.msgstr != project[e.msgid]]
    assert different == []


def test_the_setup_catalogue_covers_every_marked_text_of_the_app():
    """Every text the app's templates and Python files mark for translation is in the catalogue
    (so `makemessages` run again would add nothing untranslated)."""
    marked = set()
    for path in (ROOT / "setup").rglob("*"):
        if path.suffix in (".html", ".txt"):
            text = path.read_text()
            marked |= set(re.findall(r"{% translate \"([^\"]+)\"", text))
            marked |= set(re.findall(r"{% translate '([^']+)'", text))
        elif path.suffix == ".py" and "migrations" not in path.parts:
            marked |= set(re.findall(r"\b_l?\(\s*\"([^\"%]+)\"\s*\)", path.read_text()))
    catalogue = {e.msgid for e in _po(ROOT / "setup", "nl")}
    project = {e.msgid for e in _po(ROOT, "nl") if e.translated()}
    assert marked and marked - catalogue - project == set()


@pytest.mark.django_db
def test_a_dutch_speaking_officer_reads_the_setup_pages_in_dutch(client, staff, creator):
    room = Room.objects.create(name="Lokaal 1", site="Gent", address="Straat 1, 9000 Gent", capacity=1)
    p = staff.procedure.pk
    officer_pages = [
        reverse("setup:procedure_edit", args=[p]), reverse("setup:profile", args=[p]),
        reverse("setup:house_rules", args=[p]), reverse("setup:people", args=[p]),
        reverse("setup:juries", args=[p]), reverse("setup:jury_new", args=[p]),
        reverse("setup:jury_edit", args=[p, staff.jury.pk]), reverse("setup:availability", args=[p]),
        reverse("setup:availability_edit", args=[p, staff.assessor.pk]),
    ]
    staff.procedure.memberships.get_or_create(user=creator, role="selection_officer")
    client.force_login(creator)
    pages = [*officer_pages, reverse("setup:procedure_new"), reverse("setup:rooms"), reverse("setup:room_new"),
                             reverse("setup:room_edit", args=[room.pk]), reverse("setup:room_days", args=[room.pk])]
    found = {}
    for url in pages:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
        assert response.status_code == 200, url
        left = english_left(visible_text(response.content.decode()), SETUP_NL)
        if left:
            found[url] = left
    assert found == {}
    # A form with mistakes: the messages are Dutch too.
    response = client.post(reverse("setup:jury_new", args=[p]), {
        "name": "Jury Z", "languages": ["nl"], "chair": staff.chair.pk, "assessors": [staff.chair.pk]},
        HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert "De voorzitter kan niet ook assessor zijn in dezelfde jury." in response.content.decode()
