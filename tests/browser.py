"""Browser journeys: Playwright driving Debian's chromium against pytest-django's live server.

Every page a journey visits is checked with axe-core (vendored, tests/e2e/vendor/axe.min.js):
no serious or critical violation is allowed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic",
    # The device check needs a camera and a microphone: chromium's fake ones, allowed without a prompt.
    "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
]
AXE_JS = (Path(__file__).parent / "e2e" / "vendor" / "axe.min.js").read_text()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _open_page(browser, live_server, **options):
    """A page in a fresh context; the test fails if the page broke the Content-Security-Policy."""
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    csp_errors: list[str] = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield page
    context.close()
    assert csp_errors == [], f"CSP violations: {csp_errors}"


@pytest.fixture
def page(browser, live_server):
    yield from _open_page(browser, live_server, locale="en-GB")


@pytest.fixture
def phone_page(browser, live_server):
    """A 320 px wide touch screen, the narrowest the product must work on."""
    yield from _open_page(browser, live_server, viewport={"width": 320, "height": 640}, is_mobile=True,
                          has_touch=True, locale="nl-BE")


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core on the current page and return the violations of the given impacts."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS)  # evaluated through the devtools protocol: our strict CSP stays on
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe-core on {page.url}: {violations}"


def assert_fits_width(page) -> None:
    """Nothing forces horizontal scrolling of the whole page (tables scroll inside their wrapper)."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the viewport"


def login(page, username: str, password: str = "correct horse battery") -> None:
    """The staff login through the real forms: password, then the code of the user's
    authenticator (tests/twofactor.py creates one with a known key when the user has none)."""
    from interviewdesk.core.models import User
    from tests.twofactor import totp_code, totp_device

    device = totp_device(User.objects.get(username=username))
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/two-factor/" in url)
    page.locator("#id_code").fill(totp_code(device))
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
