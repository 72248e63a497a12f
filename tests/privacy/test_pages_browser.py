"""The two public pages in chromium: axe-clean and fitting a 320 px phone, in each candidate language."""

import pytest

from tests.browser import assert_accessible, assert_fits_width

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_the_notice_and_the_statement_are_accessible_on_a_320px_phone(phone_page, language):
    page = phone_page
    page.goto(f"/privacy/{language}/")
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)
    assert_fits_width(page)
    page.locator("footer").get_by_role("link").nth(1).click()
    page.wait_for_url(f"**/accessibility/{language}/")
    assert_accessible(page)
    assert_fits_width(page)
