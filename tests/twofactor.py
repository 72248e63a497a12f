"""How tests log staff in now that every staff page needs a second factor.

- `client.force_login(user)` (Django's test client) keeps working as before: an autouse fixture
  in tests/conftest.py wraps it so that the user also gets a confirmed authenticator (TOTP
  device) when they have none, and the session is marked verified with it, as after a real
  login with password and code. Nothing changes in the tests that use it.
- Browser journeys call `tests.browser.login(page, username)`: it fills in the password, then
  the code computed from the user's TOTP key (created the same way when missing).
- The enforcement itself is tested through the real forms (tests/accounts).
"""

from __future__ import annotations

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

TEST_TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test secret, hex


def totp_device(user) -> TOTPDevice:
    """The user's confirmed authenticator, created with the test key when they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test app", key=TEST_TOTP_KEY, confirmed=True)
    return device


def totp_code(device: TOTPDevice, *, for_login: bool = True) -> str:
    """The code the user's app shows now. `for_login`: forget the last code used, so that a test
    that logs the same user in twice within one 30-second step (or with a frozen clock) can."""
    if for_login:
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0,
                                                       throttling_failure_timestamp=None)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def mark_verified(client, user) -> None:
    """Put the verified-device marker in a test client's session, as django_otp.login does."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()
