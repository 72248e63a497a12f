from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interviewdesk.core import localtime

from .models import IdentityCheck, Incident


class IdentityForm(forms.Form):
    document_type = forms.ChoiceField(label=_("Document shown"), choices=IdentityCheck.Document.choices)
    result = forms.ChoiceField(label=_("Result"), choices=IdentityCheck.Result.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Never write the document number here."))


class RulesForm(forms.Form):
    rules_reminded = forms.BooleanField(label=_("The candidate was reminded of the rules"))
    camera_microphone_on = forms.BooleanField(label=_("Camera and microphone are on"))
    room_check_note = forms.CharField(label=_("Room check (optional)"), required=False, max_length=1000,
                                      widget=forms.Textarea(attrs={"rows": 2}))


class IncidentForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Incident.Category.choices)
    description = forms.CharField(label=_("What happened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    decision = forms.ChoiceField(label=_("Decision"), choices=Incident.Decision.choices)


class StopForm(forms.Form):
    reason = forms.CharField(label=_("Reason for stopping"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class DeclarationForm(forms.Form):
    has_link = forms.TypedChoiceField(
        label=_("My declaration"), coerce=lambda value: value == "yes",
        choices=[("no", _("I have no link with the candidate")), ("yes", _("I have a link with the candidate"))],
    )
    link_description = forms.CharField(label=_("The link (if any)"), required=False, max_length=1000,
                                       widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    stays = forms.TypedChoiceField(
        label=_("Decision"), coerce=lambda value: value == "stays",
        choices=[("stays", _("The member stays in the jury")), ("withdraws", _("The member withdraws"))],
    )
    reason = forms.CharField(label=_("Reasons"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ExtraTimeForm(forms.Form):
    minutes = forms.IntegerField(label=_("Approved extra time for the preparation (minutes)"), min_value=0,
                                 max_value=240)


class RescheduleForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("New start (Brussels time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def clean_starts_at(self) -> dt.datetime:
        value = self.cleaned_data["starts_at"]
        localtime.check_date(timezone.localdate(value))  # (year 9999 would overflow with the duration)
        if value <= timezone.now():
            raise forms.ValidationError(_("The new time must be in the future."))
        return value


class ProblemForm(forms.Form):
    text = forms.CharField(label=_("Describe the problem"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
