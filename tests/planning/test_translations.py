"""The planning pages' catalogue is complete in nl, fr and de, keeps every placeholder, and
reads like the project catalogue where both have a message."""

import pytest

from tests.catalogues import assert_complete_with_placeholders, assert_worded_as_the_project


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_every_planning_message_is_translated_with_its_placeholders(language):
    assert_complete_with_placeholders("planning", language)


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_shared_words_read_as_in_the_project_catalogue(language):
    assert_worded_as_the_project("planning", language)

