"""Phone numbers: parsed with Google's libphonenumber, stored as E.164, Belgium by default."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "BE"


def normalize_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """Return the number in E.164 form or raise ValidationError with a readable message."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("A phone number is required: we call it if the connection breaks."), code="required")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("“%(value)s” is not a phone number."), params={"value": text}, code="invalid") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("“%(value)s” is not a valid phone number."), params={"value": text}, code="invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_valid_phone(raw: str) -> bool:
    try:
        normalize_phone(raw)
    except ValidationError:
        return False
    return True


@lru_cache(maxsize=4096)  # a pure function, asked once per e-mail in a bulk send for the same contact phone
def display_phone(e164: str) -> str:
    """International format for pages, e.g. +32 470 12 34 56."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, None), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164
