from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

KEY_SALT = "interviewdesk.accounts.totp-enrolment"
KEY_MAX_AGE = 15 * 60  # seconds the set-up page stays usable


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=20, strip=True,
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True,
                                      "autocapitalize": "off", "spellcheck": "false"}),
    )


class EnrolForm(forms.Form):
    """The new secret travels signed in the form (bound to the user), so showing the set-up page
    stores nothing: only a confirmed code saves the device."""

    key = forms.CharField(widget=forms.HiddenInput)
    code = forms.CharField(
        label=_("Code from the app"), max_length=10, strip=True,
        help_text=_("The 6 digits the app shows after you added the account."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autocapitalize": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    @classmethod
    def sign(cls, user, key: str) -> str:
        return signing.TimestampSigner(salt=f"{KEY_SALT}:{user.pk}").sign(key)

    def clean_key(self) -> str:
        try:
            return signing.TimestampSigner(salt=f"{KEY_SALT}:{self.user.pk}").unsign(
                self.cleaned_data["key"], max_age=KEY_MAX_AGE)
        except signing.BadSignature as exc:
            raise forms.ValidationError(
                _("This set-up page has expired. Scan the new code below and try again.")) from exc
