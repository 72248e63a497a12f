import pytest


@pytest.fixture(autouse=True)
def _english_and_temp_var(settings, tmp_path):
    """Tests run in English unless they activate another language, and write files under tmp."""
    settings.LANGUAGE_CODE = "en"
    settings.MAIL_DIR = tmp_path / "mail"
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# One Playwright browser per test process, shared by every browser journey wherever it lives
# (a second sync_playwright() in the same process would refuse to start).
from tests.browser import browser, page, phone_page  # noqa: E402, F401


@pytest.fixture
def demo_sent(settings, tmp_path):
    """The demo data with its invitations sent and delivered (to .eml files), as `make demo` leaves it."""
    from django.core.management import call_command

    settings.EMAIL_HOST = ""
    settings.MAIL_DIR = tmp_path / "mail"
    call_command("load_demo", verbosity=0)
    call_command("send_pending_invitations", deliver=True, verbosity=0)
