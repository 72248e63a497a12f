"""Second factor of staff accounts: enrolment, verification, recovery codes, reset.

Every staff member has an authenticator app (a confirmed django-otp TOTPDevice) and a set of
single-use recovery codes (a StaticDevice). A session counts as verified once django-otp's
device id is in it (`django_otp.login`): the middleware reads that key from the session it has
loaded anyway, so a verified staff request costs no extra query.
"""

from __future__ import annotations

import base64
import re
import time

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from interviewdesk.core.audit import audit_record

User = get_user_model()


def session_is_verified(request) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_new_key() -> str:
    """A fresh secret (hex, 160 bits), not stored until the user proves their app has it."""
    return default_key()


def totp_secret_text(key: str) -> str:
    """The secret as authenticator apps want it typed: base32, in groups of four."""
    secret = base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def totp_uri(*, user, key: str) -> str:
    """The otpauth:// address the QR code carries (issuer: OTP_TOTP_ISSUER)."""
    return TOTPDevice(user=user, key=key, name="authenticator").config_url


def qr_svg(data: str) -> str:
    """The QR code as inline SVG markup (no script, no style attribute: the CSP stays strict)."""
    return segno.make(data, error="m").svg_inline(scale=5, dark="#000", light="#fff")


def _clean(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def totp_enrol(*, request, key: str, code: str, client_address: str | None) -> list[str] | None:
    """Confirm the authenticator app (the code must match `key`) and issue recovery codes.

    Returns the recovery codes to show once, or None when the code is wrong. The session is
    verified from then on; a new session key is issued (the rights of the session changed)."""
    user = request.user
    code = _clean(code)
    totp = TOTP(bytes.fromhex(key))
    totp.time = time.time()
    if not (code.isdigit() and totp.verify(int(code), tolerance=1)):
        return None
    # The code just used cannot be used again (last_t), as for every later code.
    device = TOTPDevice(user=user, key=key, name="authenticator", confirmed=True, last_t=totp.t())
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device.save()
        codes = _recovery_codes_replace(user)
        audit_record(actor=user, action="second_factor.enrolled", obj=user)
        audit_record(actor=user, action="login.succeeded", obj=user, client_address=client_address,
                     reason="second factor set up")
    request.session.cycle_key()
    otp_login(request, device)
    return codes


def _recovery_codes_replace(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_renew(*, user) -> list[str]:
    """New recovery codes; the old ones stop working."""
    with transaction.atomic():
        codes = _recovery_codes_replace(user)
        audit_record(actor=user, action="second_factor.recovery_codes_renewed", obj=user)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_verify(*, request, code: str, client_address: str | None) -> Device | None:
    """Check a code from the app or a recovery code (used up by this). Throttled per device by
    django-otp (a growing delay after each wrong code); audited either way."""
    user = request.user
    code = _clean(code)
    verified = None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(code):
                verified = device
                break
        kind = "recovery code" if isinstance(verified, StaticDevice) else "authenticator"
        audit_record(actor=user, action="login.succeeded" if verified else "login.second_factor_failed",
                     obj=user, client_address=client_address, reason=kind if verified else "")
    if verified is not None:
        request.session.cycle_key()
        otp_login(request, verified)
    return verified


def verification_wait_seconds(user) -> int:
    """Seconds before the authenticator accepts another try (django-otp's throttle), 0 if none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return 0
    allowed, details = device.verify_is_allowed()
    if allowed or not details or "locked_until" not in details:
        return 0
    return max(1, int((details["locked_until"] - timezone.now()).total_seconds()))


def second_factor_reset(*, actor, user) -> None:
    """An administrator removes a user's app and recovery codes (lost phone): the user enrols
    again at the next login, and every session the user has open ends."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        User.objects.filter(pk=user.pk).update(second_factor_epoch=F("second_factor_epoch") + 1)
        audit_record(actor=actor, action="second_factor.reset", obj=user)
