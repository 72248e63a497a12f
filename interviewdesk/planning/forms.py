from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from interviewdesk.procedures.models import Jury

from .instance import OBJECTIVES

OBJECTIVE_LABELS = {
    "finish_early": _("finish the selection as early as possible"),
    "jury_days": _("as few jury-days as possible"),
    "idle": _("compact jury days (little waiting)"),
    "preferences": _("candidates' preferred half-days"),
    "even_load": _("an even load across juries"),
}
TIME_LIMITS = [(30, _("30 seconds")), (60, _("1 minute")), (120, _("2 minutes")), (300, _("5 minutes")),
               (600, _("10 minutes"))]
POSITIONS = [_("Second"), _("Third"), _("Fourth"), _("Fifth"), _("Sixth")]


class PlanningStartForm(forms.Form):
    """Objective (1), planning everyone who can be planned, always comes first; the officer orders the rest."""

    time_limit = forms.TypedChoiceField(label=_("Time the planner may take"), choices=TIME_LIMITS, coerce=int,
                                        initial=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(key, OBJECTIVE_LABELS[key]) for key in OBJECTIVES]
        for index, key in enumerate(OBJECTIVES):
            self.fields[f"objective_{index}"] = forms.ChoiceField(
                label=_("%(position)s goal") % {"position": POSITIONS[index]}, choices=choices, initial=key)

    def clean(self):
        data = super().clean()
        order = [data.get(f"objective_{i}") for i in range(len(OBJECTIVES))]
        if None not in order and sorted(order) != sorted(OBJECTIVES):
            raise forms.ValidationError(_("Choose each goal once."))
        data["objective_order"] = order
        return data


class ItemMoveForm(forms.Form):
    jury: forms.ModelChoiceField[Jury] = forms.ModelChoiceField(label=_("Jury"), queryset=None)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Interview starts at"), widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args, procedure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jury"].queryset = procedure.juries.order_by("name")
