"""Candidate-side forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from interviewdesk.core.phones import display_phone, normalize_phone

from .models import ADJUSTMENT_KINDS, EQUIPMENT_ITEMS

MAX_CERTIFICATE_BYTES = 8 * 1024 * 1024
# Checked against the first bytes of the file, never the name or the browser's claim.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Your phone number"), max_length=40,
        help_text=_("If the connection breaks during the interview, we call you on this number at once. "
                    "Write it with the country code, e.g. +32 470 12 34 56."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, current: str = "", **kwargs):
        kwargs.setdefault("initial", {"phone": display_phone(current) if current else ""})
        super().__init__(*args, **kwargs)

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class EquipmentForm(forms.Form):
    def __init__(self, *args, current: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for code, label in EQUIPMENT_ITEMS:
            initial = None if code not in current else ("yes" if current[code] else "no")
            self.fields[code] = forms.ChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect,
                                                  initial=initial)

    def answers(self) -> dict[str, bool]:
        return {code: self.cleaned_data[code] == "yes" for code, _label in EQUIPMENT_ITEMS}


class RoomRequestForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need a room or equipment?"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 4}))
    needs = forms.CharField(label=_("What exactly do you need?"), max_length=2000, required=False,
                            help_text=_("For example: a computer with a webcam, a quiet room, a headset."),
                            widget=forms.Textarea(attrs={"rows": 3}))


class RulesForm(forms.Form):
    acknowledge = forms.BooleanField(label=_("I have read these rules and I will follow them."))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)  # of the house rules shown


class ProblemForm(forms.Form):
    text = forms.CharField(label=_("Describe the problem"), max_length=4000,
                           help_text=_("Tell us what happened and how we can reach you."),
                           widget=forms.Textarea(attrs={"rows": 5}))


class AdjustmentForm(forms.Form):
    kinds = forms.MultipleChoiceField(label=_("What do you need?"), choices=ADJUSTMENT_KINDS,
                                      widget=forms.CheckboxSelectMultiple)
    details = forms.CharField(label=_("Explain your request"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    certificate = forms.FileField(
        label=_("Certificate (optional)"), required=False,
        help_text=_("A PDF, JPG or PNG file of at most 8 MB. Only the selection officers of your procedure can read it."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    def clean_certificate(self):
        upload = self.cleaned_data.get("certificate")
        if not upload:
            return None
        if upload.size > MAX_CERTIFICATE_BYTES:
            raise forms.ValidationError(_("The file is larger than 8 MB."), code="too_large")
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        content_type = next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)
        if content_type is None:
            raise forms.ValidationError(_("Only PDF, JPG or PNG files are accepted."), code="bad_type")
        upload.detected_type = content_type
        return upload


class SlotChoiceForm(forms.Form):
    slot = forms.IntegerField(widget=forms.HiddenInput)
