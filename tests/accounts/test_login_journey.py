"""Browser journey: a staff member's first login on a 320 px phone (set up the app, keep the recovery
codes), then a login with a recovery code; every page accessible and without CSP violations."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from interviewdesk.procedures.models import Role
from tests.browser import assert_accessible, assert_fits_width
from tests.factories import ProcedureFactory, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def password_step(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("correct horse battery")
    page.locator("main button[type=submit]").first.click()


def test_first_login_sets_up_the_app_then_a_recovery_code_logs_in(phone_page):
    page = phone_page
    member(ProcedureFactory(title="Data analyst"), Role.SELECTION_OFFICER, username="newcomer")
    password_step(page, "newcomer")
    page.wait_for_url(lambda url: "/two-factor/set-up/" in url)
    expect(page.locator(".qr-code svg")).to_be_visible()
    assert_fits_width(page)
    assert_accessible(page)

    secret = page.locator("code.secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.locator("#id_code").fill("000000" if TOTP(key).token() != 0 else "000001")
    page.locator("main form.form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()  # a wrong code: said so, nothing saved
    assert_accessible(page)

    page.locator("#id_code").fill(f"{TOTP(key).token():06d}")
    page.locator("main form.form button[type=submit]").click()
    codes = page.locator("ol.recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert_fits_width(page)
    assert_accessible(page)
    page.locator("main a.button").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    expect(page.get_by_role("cell", name="Data analyst")).to_be_visible()

    page.locator("header form[action='/accounts/logout/'] button").click()
    password_step(page, "newcomer")
    page.wait_for_url(lambda url: "/two-factor/" in url)
    assert_accessible(page)
    page.locator("#id_code").fill(codes[0])
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    expect(page.get_by_role("cell", name="Data analyst")).to_be_visible()
