from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from interviewdesk.core import localtime
from interviewdesk.core.models import User
from interviewdesk.procedures.models import Candidate, Jury, Procedure, Role, Room

from .models import Appointment

# A connection test is a short check; the procedure has no setting for it.
CONNECTION_TEST_MINUTES = 15


def default_minutes(procedure: Procedure, kind: str) -> int:
    """The length of an appointment of this kind when the officer does not give one (0: none known)."""
    if kind == Appointment.Kind.PREPARATION:
        return procedure.pre_stage_minutes
    if kind == Appointment.Kind.CONNECTION_TEST:
        return CONNECTION_TEST_MINUTES
    return procedure.interview_minutes


class CandidateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Candidate) -> str:
        return f"{obj.last_name}, {obj.first_name} — {obj.email}"


class AppointmentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Appointment.Kind.choices)
    candidate = CandidateChoiceField(label=gettext_lazy("Candidate"), queryset=Candidate.objects.none())
    date = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label=gettext_lazy("Start time (Brussels time)"),
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    utc_offset = forms.ChoiceField(
        label=gettext_lazy("On the night the clocks go back"), required=False,
        choices=[("", gettext_lazy("not needed")),
                 ("+02:00", gettext_lazy("the first time it is this hour (summer time, UTC+02:00)")),
                 ("+01:00", gettext_lazy("the second time (winter time, UTC+01:00)"))],
        help_text=gettext_lazy("Only when the start time happens twice (last Sunday of October, 02:00–03:00)."))
    duration = forms.IntegerField(label=gettext_lazy("Duration (minutes)"), min_value=5, max_value=480, required=False)
    jury: forms.ModelChoiceField[Jury] = forms.ModelChoiceField(label=gettext_lazy("Jury"), queryset=None, required=False,
                                  help_text=gettext_lazy("Required for an interview."))
    proctor: forms.ModelChoiceField[User] = forms.ModelChoiceField(label=gettext_lazy("Proctor"), queryset=None, required=False)
    room = forms.ModelChoiceField(label=gettext_lazy("Room"), queryset=Room.objects.all(), required=False,
                                  help_text=gettext_lazy("Only when the candidate uses a room we provide."))
    mode = forms.ChoiceField(label=gettext_lazy("Mode"), choices=Appointment.Mode.choices)
    platform = forms.ChoiceField(label=gettext_lazy("Platform"), choices=Appointment.Platform.choices)
    join_url = forms.URLField(label=gettext_lazy("Join link"), max_length=500, required=False, assume_scheme="https",
                              validators=[URLValidator(schemes=["https", "http"])])

    def __init__(self, *args, procedure: Procedure, appointment: Appointment | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.appointment = appointment
        cast(forms.ModelChoiceField, self.fields["jury"]).queryset = procedure.juries.all()
        cast(forms.ModelChoiceField, self.fields["proctor"]).queryset = User.objects.filter(
            memberships__procedure=procedure, memberships__role=Role.PROCTOR
        ).distinct().order_by("last_name", "first_name", "username")
        self.fields["duration"].help_text = _(
            "Leave empty for the procedure's length: interview %(interview)d min, preparation %(pre)d min, "
            "connection test %(test)d min."
        ) % {"interview": procedure.interview_minutes, "pre": procedure.pre_stage_minutes,
             "test": CONNECTION_TEST_MINUTES}
        if appointment is None:
            cast(forms.ModelChoiceField, self.fields["candidate"]).queryset = procedure.candidates.order_by("last_name", "first_name", "id")
        else:
            # The kind and the candidate of a planned appointment do not change: plan a new one instead.
            del self.fields["kind"], self.fields["candidate"]
            self.fields["reason"] = forms.CharField(label=_("Reason for the change"), max_length=500, required=False,
                                                    help_text=_("Kept in the audit log."))

    @classmethod
    def initial_for(cls, appointment: Appointment) -> dict:
        start = timezone.localtime(appointment.starts_at)
        ambiguous = localtime.is_ambiguous(start.replace(tzinfo=None, fold=0))
        return {
            "date": start.date(), "start_time": start.time().replace(second=0, microsecond=0),
            "utc_offset": localtime.offset_label(start.utcoffset()).removeprefix("UTC") if ambiguous else "",
            "duration": int((appointment.ends_at - appointment.starts_at).total_seconds() // 60),
            "jury": appointment.jury_id, "proctor": appointment.proctor_id, "room": appointment.room_id,
            "mode": appointment.mode, "platform": appointment.platform, "join_url": appointment.join_url,
        }

    def clean_date(self):
        day = self.cleaned_data["date"]
        localtime.check_date(day)  # (year 1 or 9999 would overflow below)
        return day

    def clean(self):
        data = super().clean()
        if not data.get("date") or not data.get("start_time"):
            return data
        # An instant in UTC: arithmetic on a zoned datetime is wall-clock arithmetic and would hide
        # DST shifts, so the end is the start plus the duration in real time.
        try:
            starts_at = localtime.wall_to_instant(data["date"], data["start_time"], offset=data.get("utc_offset", ""))
        except ValidationError as exc:
            self.add_error("utc_offset" if exc.code == "ambiguous_time" else "start_time", exc)
            return data
        kind = self.appointment.kind if self.appointment else data.get("kind")
        minutes = data.get("duration") or default_minutes(self.procedure, kind)
        if not minutes:
            self.add_error("duration", _("Give the duration: the procedure sets no length for the stage before."))
            return data
        if self.appointment is None and starts_at <= timezone.now():
            self.add_error("date", _("The appointment must start in the future."))
        data["starts_at"] = starts_at
        data["ends_at"] = starts_at + dt.timedelta(minutes=minutes)
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("Kept in the audit log."))
