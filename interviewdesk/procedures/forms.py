from __future__ import annotations

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from interviewdesk.core.phones import normalize_phone

from .importing import MAX_BYTES
from .models import Candidate

IMPORT_EXTENSIONS = (".csv", ".xlsx")


class CandidateForm(forms.ModelForm):
    # Wider than the stored E.164 value: people type spaces, dots and "(0)".
    phone = forms.CharField(label=_("phone"), max_length=40,
                            help_text=_("Mandatory: we call this number if the connection breaks. "
                                        "Belgian numbers may be written without +32."))

    class Meta:
        model = Candidate
        fields = ["first_name", "last_name", "email", "phone", "language", "date_of_birth", "cv_text", "motivation"]
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.attrs.update({"type": "tel", "autocomplete": "off"})

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Candidate list"),
        help_text=_("CSV (UTF-8, comma or semicolon) or XLSX. Columns: first_name, last_name, email, phone, "
                    "language (nl, fr or de), and optionally date_of_birth (YYYY-MM-DD or DD/MM/YYYY), cv, "
                    "motivation. The first row holds the column names."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_EXTENSIONS)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in IMPORT_EXTENSIONS:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
        return upload

