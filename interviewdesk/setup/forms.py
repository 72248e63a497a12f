"""Forms of the set-up pages. Validation messages say what to do, in the reader's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import cast

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from interviewdesk.assessment.models import AssessmentSettings
from interviewdesk.core.models import ClosureDay
from interviewdesk.core.phones import normalize_phone
from interviewdesk.procedures.house_rules import LINK_MAX_LENGTH as RULES_LINK_MAX_LENGTH
from interviewdesk.procedures.house_rules import MAX_LENGTH as RULES_MAX_LENGTH
from interviewdesk.procedures.house_rules import house_rules_for, service_link, service_rules
from interviewdesk.procedures.models import CANDIDATE_LANGUAGE_CHOICES, Procedure, Role, Room
from interviewdesk.procedures.selectors import default_scale

User = get_user_model()
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
MAX_WINDOW_DAYS = 183


def staff_choices():
    return User.objects.filter(is_active=True).order_by("last_name", "first_name", "username")


class ProcedureForm(forms.ModelForm):
    """Every setting of a procedure on one page, in the order an officer thinks of them."""

    extra_languages = forms.MultipleChoiceField(
        label=_("Other languages"), required=False, choices=CANDIDATE_LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Languages candidates may also take part in, besides the main language."),
    )
    aggregation = forms.ChoiceField(label=_("Aggregation"), choices=AssessmentSettings.Aggregation.choices,
                                    help_text=_("How the consensus levels become one final percentage."))
    contact_phone = forms.CharField(label=_("contact phone"), max_length=40, required=False)

    class Meta:
        model = Procedure
        fields = [
            "reference", "title", "language", "extra_languages", "contact_name", "contact_email", "contact_phone",
            "pre_stage", "pre_stage_minutes", "extra_material", "interview_minutes", "scoring_buffer_minutes",
            "scale", "pass_mark_pct", "aggregation",
            "first_interview_day", "last_interview_day", "day_starts_at", "day_ends_at", "lunch_starts_at",
            "lunch_ends_at", "max_interviews_per_jury_day",
            "connection_test_days_before", "connection_test_minutes", "connection_test_group_size",
            "unavailability_deadline",
        ]
        widgets = {
            "first_interview_day": DATE, "last_interview_day": DATE, "unavailability_deadline": DATE,
            "day_starts_at": TIME, "day_ends_at": TIME, "lunch_starts_at": TIME, "lunch_ends_at": TIME,
            "extra_material": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, aggregation: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aggregation"].initial = aggregation or AssessmentSettings.Aggregation.MIDPOINT_MEAN
        if not self.instance.pk:  # the service's scale unless the officer picks another
            self.fields["scale"].initial = default_scale()
            cast(forms.ModelChoiceField, self.fields["scale"]).empty_label = None
        self.fields["contact_phone"].widget.attrs["type"] = "tel"
        self.fields["pre_stage_minutes"].help_text = _("0 when there is no case or technical test.")

    def clean_contact_phone(self) -> str:
        raw = self.cleaned_data.get("contact_phone", "")
        return normalize_phone(raw) if raw.strip() else ""

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()

    def clean(self):
        data = super().clean()
        language = data.get("language")
        data["extra_languages"] = [code for code in data.get("extra_languages", []) if code != language]
        stage, minutes = data.get("pre_stage"), data.get("pre_stage_minutes")
        if stage and minutes is not None:
            if stage == Procedure.PreStage.NONE and minutes:
                self.add_error("pre_stage_minutes", _("There is no case or technical test: leave 0 minutes."))
            elif stage != Procedure.PreStage.NONE and minutes < 10:
                self.add_error("pre_stage_minutes", _("Give the case or technical test at least 10 minutes."))
        first, last = data.get("first_interview_day"), data.get("last_interview_day")
        if bool(first) != bool(last):
            self.add_error("last_interview_day" if first else "first_interview_day",
                           _("Give both the first and the last interview day, or neither."))
        elif first and last:
            if last < first:
                self.add_error("last_interview_day", _("The last interview day comes before the first."))
            elif (last - first).days > MAX_WINDOW_DAYS:
                self.add_error("last_interview_day", _("The planning window may last at most six months."))
        deadline = data.get("unavailability_deadline")
        if deadline and first and deadline >= first:
            self.add_error("unavailability_deadline",
                           _("Candidates must answer before the first interview day, so the planning can use it."))
        starts, ends = data.get("day_starts_at"), data.get("day_ends_at")
        if starts and ends and ends <= starts:
            self.add_error("day_ends_at", _("The day must end after it starts."))
        lunch_from, lunch_to = data.get("lunch_starts_at"), data.get("lunch_ends_at")
        if bool(lunch_from) != bool(lunch_to):
            self.add_error("lunch_ends_at", _("Give both ends of the lunch break, or neither."))
        elif lunch_from and lunch_to:
            if lunch_to <= lunch_from:
                self.add_error("lunch_ends_at", _("The lunch break must end after it starts."))
            elif starts and ends and not (starts <= lunch_from and lunch_to <= ends):
                self.add_error("lunch_starts_at", _("The lunch break must fall within the day."))
        interview = data.get("interview_minutes")
        if starts and ends and interview:
            day_minutes = (dt.datetime.combine(dt.date.min, ends) - dt.datetime.combine(dt.date.min, starts)).seconds / 60
            if interview + (minutes or 0) > day_minutes:
                self.add_error("interview_minutes", _("The interview (with the case before it) does not fit in the day."))
        return data


class ProfileForm(forms.Form):
    """The function profile: for each competency of one dictionary version, its place (empty: not in
    the profile) and its weight."""

    def __init__(self, *args, competencies, current: Mapping[int, tuple[int, object]], **kwargs):
        super().__init__(*args, **kwargs)
        self.competencies = list(competencies)
        for competency in self.competencies:
            order, weight = current.get(competency.pk, (None, 1))
            self.fields[f"order_{competency.pk}"] = forms.IntegerField(
                label=_("Place of %(name)s") % {"name": competency.label()}, required=False, min_value=1,
                max_value=len(self.competencies), initial=None if order is None else order + 1)
            self.fields[f"weight_{competency.pk}"] = forms.DecimalField(
                label=_("Weight of %(name)s") % {"name": competency.label()}, min_value=0.01, max_digits=5,
                decimal_places=2, initial=weight)

    def rows(self):
        return [(competency, self[f"order_{competency.pk}"], self[f"weight_{competency.pk}"])
                for competency in self.competencies]

    def clean(self):
        data = super().clean()
        chosen = [(data.get(f"order_{c.pk}"), c) for c in self.competencies if data.get(f"order_{c.pk}")]
        places = [place for place, _c in chosen]
        if not chosen:
            raise forms.ValidationError(_("Give at least one competency a place in the profile."))
        if len(set(places)) != len(places):
            raise forms.ValidationError(_("Two competencies have the same place: give each its own number."))
        data["profile"] = [(c, data.get(f"weight_{c.pk}") or 1) for _place, c in sorted(chosen, key=lambda x: x[0])]
        return data


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Staff member"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_choices()


class StaffInviteForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=settings.LANGUAGES)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class JuryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=CANDIDATE_LANGUAGE_CHOICES,
                                          widget=forms.CheckboxSelectMultiple,
                                          help_text=_("The languages this jury takes interviews in."))
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=User.objects.none())
    assessors = forms.ModelMultipleChoiceField(label=_("Assessors"), queryset=User.objects.none(),
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, procedure: Procedure, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["chair"]).queryset = staff_choices()
        cast(forms.ModelMultipleChoiceField, self.fields["assessors"]).queryset = staff_choices()
        labels = dict(CANDIDATE_LANGUAGE_CHOICES)
        cast(forms.ChoiceField, self.fields["languages"]).choices = [(code, labels[code]) for code in procedure.languages]

    def clean(self):
        data = super().clean()
        chair, assessors = data.get("chair"), data.get("assessors")
        if chair and assessors and chair in assessors:
            self.add_error("assessors", _("The chair cannot also be an assessor of the same jury."))
        return data


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "site", "address", "name_nl", "address_nl", "name_fr", "address_fr", "name_de", "address_de",
                  "capacity", "equipment"]
        widgets = {"equipment": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"name": _("The name staff see, e.g. 12.05."),
                      "name_de": _("Empty: German readers see the French text, else the main one.")}


class DayRangeForm(forms.Form):
    """Which days a grid shows (the room's free days)."""

    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("Until"), widget=DATE)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and not (0 <= (end - start).days <= 92):
            raise forms.ValidationError(_("Show between one day and three months."))
        return data


class HouseRulesForm(forms.Form):
    """The house rules in the three languages, one rule per line, filled with what candidates read now."""

    nl = forms.CharField(label=_("House rules in Dutch"), required=False, max_length=RULES_MAX_LENGTH,
                         widget=forms.Textarea(attrs={"rows": 8}))
    fr = forms.CharField(label=_("House rules in French"), required=False, max_length=RULES_MAX_LENGTH,
                         widget=forms.Textarea(attrs={"rows": 8}))
    de = forms.CharField(label=_("House rules in German"), required=False, max_length=RULES_MAX_LENGTH,
                         widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, procedure: Procedure, **kwargs):
        kwargs.setdefault("initial", {language: "\n".join(house_rules_for(procedure, language))
                                      for language in ("nl", "fr", "de")})
        super().__init__(*args, **kwargs)
        for name in ("nl", "fr", "de"):
            self.fields[name].help_text = _("One rule per line. Leave empty to use the service's rules.")


class ServiceHouseRulesForm(forms.Form):
    """The service's house rules in the three languages (one rule per line, each language required:
    candidates always read something) and, per language, an optional https link to the full rules."""

    LANGUAGE_LABELS = {"nl": (_("House rules in Dutch"), _("Link to the full rules in Dutch")),
                       "fr": (_("House rules in French"), _("Link to the full rules in French")),
                       "de": (_("House rules in German"), _("Link to the full rules in German"))}
    EMPTY = {"nl": _("Write at least one rule in Dutch."), "fr": _("Write at least one rule in French."),
             "de": _("Write at least one rule in German.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {
            **{language: "\n".join(service_rules(language)) for language in self.LANGUAGE_LABELS},
            **{f"link_{language}": service_link(language) for language in self.LANGUAGE_LABELS}})
        super().__init__(*args, **kwargs)
        for language, (text_label, link_label) in self.LANGUAGE_LABELS.items():
            self.fields[language] = forms.CharField(
                label=text_label, max_length=RULES_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 8}),
                help_text=_("One rule per line."), error_messages={"required": self.EMPTY[language]})
            self.fields[f"link_{language}"] = forms.URLField(
                label=link_label, required=False, max_length=RULES_LINK_MAX_LENGTH, assume_scheme="https",
                help_text=_("Optional: a page or document with the complete rules, starting with https://."),
                error_messages={"invalid": _("Enter a full web address, starting with https://.")})

    def clean(self):
        data = super().clean()
        for language in self.LANGUAGE_LABELS:
            link = data.get(f"link_{language}") or ""
            if link and not link.startswith("https://"):
                self.add_error(f"link_{language}", _("Enter a full web address, starting with https://."))
        return data

    def texts(self) -> dict[str, str]:
        return {language: self.cleaned_data[language] for language in self.LANGUAGE_LABELS}

    def links(self) -> dict[str, str]:
        return {language: self.cleaned_data[f"link_{language}"] for language in self.LANGUAGE_LABELS}


class ClosureDayForm(forms.Form):
    """A day the service is closed on top of the Belgian public holidays (a bridge day, say)."""

    date = forms.DateField(label=_("Date"), widget=DATE,
                           error_messages={"required": _("Enter the day the service is closed."),
                                           "invalid": _("Enter a date, for example 2027-05-07.")})
    kind = forms.ChoiceField(label=_("Kind"), choices=ClosureDay.Kind.choices, initial=ClosureDay.Kind.BRIDGE)
    name = forms.CharField(label=_("Name (optional)"), max_length=100, required=False)

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        existing = ClosureDay.objects.filter(date=day).first()
        if existing is not None:
            raise forms.ValidationError(_("That day is already closed (%(name)s).") % {"name": existing})
        return day
