import pytest
from django.core.exceptions import ValidationError

from interviewdesk.core.phones import display_phone, normalize_phone


@pytest.mark.parametrize(
    ("raw", "e164"),
    [("0470 12 34 56", "+32470123456"), ("+32 2 555 01 01", "+3225550101"), ("0032470123456", "+32470123456"),
     ("+31 6 12345678", "+31612345678")],
)
def test_normalize_phone_stores_e164_with_belgium_as_default_region(raw, e164):
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["", "12", "hello", "+32 470"])
def test_normalize_phone_refuses_what_is_not_a_phone_number(raw):
    with pytest.raises(ValidationError):
        normalize_phone(raw)


def test_display_phone_groups_digits():
    assert display_phone("+32470123456") == "+32 470 12 34 56"
