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
