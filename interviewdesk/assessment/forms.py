"""Forms built per guide / sheet / result: one group of fields per competency."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from interviewdesk.core.i18n import pick

from .models import (
    AssessmentSettings,
    GuideCompetency,
    InterviewGuide,
    Result,
    ResultLevel,
    ScoreSheet,
    SheetRating,
)
from .services import GUIDE_TEXT_FIELDS, STAR_FIELDS


def _guide_label(name: str) -> str:
    field = GuideCompetency._meta.get_field(name)
    assert isinstance(field, models.Field)  # the guide's text fields, never a relation
    return str(field.verbose_name).capitalize()

TEXTAREA = {"rows": 3}


def _level_choices(levels, guide_competency: GuideCompetency | None = None) -> list[tuple[str, str]]:
    """One choice per level; on a score sheet the label carries the behavioural anchor, so it is at hand."""
    choices = []
    for lv in levels:
        label = f"{lv.order} — {pick(lv.label)} ({lv.min_pct:.0f}-{lv.max_pct:.0f} %)"
        anchor = guide_competency.anchor(lv.order) if guide_competency else ""
        choices.append((str(lv.pk), f"{label}: {anchor}" if anchor else label))
    return choices


class GuideForm(forms.Form):
    part1_questions = forms.CharField(label=_("Part 1 questions (CV and motivation)"), required=False,
                                      widget=forms.Textarea(attrs=TEXTAREA))

    aggregation = forms.ChoiceField(
        label=_("From consensus levels to the final score"), choices=AssessmentSettings.Aggregation.choices,
        help_text=_("Weights come from the function profile. Applies to results signed off from now on."))

    def __init__(self, *args, guide: InterviewGuide, competencies: list[GuideCompetency], levels, aggregation: str,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = list(levels)
        self.fields["part1_questions"].initial = guide.part1_questions
        self.fields["aggregation"].initial = aggregation
        self.groups = []
        for gc in competencies:
            names = []
            for field in GUIDE_TEXT_FIELDS:
                name = f"c{gc.competency_id}_{field}"
                self.fields[name] = forms.CharField(label=_guide_label(field),
                                                    required=False, initial=getattr(gc, field),
                                                    widget=forms.Textarea(attrs=TEXTAREA))
                names.append(name)
            for level in self.levels:
                name = f"c{gc.competency_id}_anchor{level.order}"
                self.fields[name] = forms.CharField(
                    label=_("Behavioural anchor for level %(order)s (%(label)s)") % {"order": level.order,
                                                                                     "label": pick(level.label)},
                    required=False, initial=gc.anchor(level.order), widget=forms.Textarea(attrs={"rows": 2}))
                names.append(name)
            self.groups.append((gc, names))

    def bound_groups(self):
        return [(gc, [self[n] for n in names]) for gc, names in self.groups]

    def competency_data(self) -> dict[int, dict]:
        data = {}
        for gc, _names in self.groups:
            prefix = f"c{gc.competency_id}_"
            entry = {f: self.cleaned_data[prefix + f] for f in GUIDE_TEXT_FIELDS}
            entry["anchors"] = {lv.order: self.cleaned_data[f"{prefix}anchor{lv.order}"] for lv in self.levels}
            data[gc.competency_id] = entry
        return data


def _rating_key(guide_competency: GuideCompetency) -> str:
    """A rating's fields are named after its guide competency; before the guide version exists (an
    empty sheet shown before the first save) after the competency: "c<competency id>"."""
    return str(guide_competency.pk) if guide_competency.pk else f"c{guide_competency.competency_id}"


def _stored_keys(data, ratings: list[SheetRating]):
    """The posted fields under the names of the stored guide competencies: a page shown before the
    guide version existed named them after the competencies (`_rating_key`)."""
    renamed = None
    for rating in ratings:
        gc = rating.guide_competency
        for field in (*STAR_FIELDS, "level"):
            stored, shown = f"r{gc.pk}_{field}", f"rc{gc.competency_id}_{field}"
            if stored not in data and shown in data:
                renamed = renamed if renamed is not None else data.copy()
                renamed.setlist(stored, data.getlist(shown))
    return data if renamed is None else renamed


class SheetForm(forms.Form):
    part1_notes = forms.CharField(label=_("Notes on part 1 (CV and motivation)"), required=False,
                                  widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, sheet: ScoreSheet, levels, ratings: list[SheetRating] | None = None, **kwargs):
        """`ratings`: the sheet's ratings as shown (services.sheet_shown; unsaved before the first save)."""
        super().__init__(*args, **kwargs)
        levels = list(levels)
        ratings = list(sheet.ratings.all()) if ratings is None else ratings
        if self.is_bound:
            self.data = _stored_keys(self.data, ratings)
        self.fields["part1_notes"].initial = sheet.part1_notes
        self.groups = []
        labels = {"situation": _("Situation"), "task": _("Task"), "action": _("Action"), "result": _("Result")}
        for rating in ratings:
            gc_id = _rating_key(rating.guide_competency)
            names = []
            for field in STAR_FIELDS:
                name = f"r{gc_id}_{field}"
                self.fields[name] = forms.CharField(label=labels[field], required=False, initial=getattr(rating, field),
                                                    widget=forms.Textarea(attrs=TEXTAREA))
                names.append(name)
            self.fields[f"r{gc_id}_level"] = forms.ChoiceField(
                label=_("Level"), choices=_level_choices(levels, rating.guide_competency), required=False, widget=forms.RadioSelect,
                initial=str(rating.level_id) if rating.level_id else None)
            self.groups.append((rating, names, f"r{gc_id}_level"))

    def bound_groups(self):
        return [(rating, [self[n] for n in names], self[level]) for rating, names, level in self.groups]

    def ratings_data(self) -> dict[int, dict]:
        data = {}
        for rating, _names, level in self.groups:
            key = _rating_key(rating.guide_competency)
            entry = {f: self.cleaned_data[f"r{key}_{f}"] for f in STAR_FIELDS}
            entry["level"] = self.cleaned_data[level] or None
            data[rating.guide_competency_id] = entry
        return data


class ConsensusForm(forms.Form):
    def __init__(self, *args, result: Result, levels, with_reason: bool = False,
                 rows: list[ResultLevel] | None = None, **kwargs):
        """`rows`: the result's levels as shown (services.result_shown; unsaved before the first save)."""
        super().__init__(*args, **kwargs)
        choices = [("", _("— choose —")), *_level_choices(levels)]
        if with_reason:
            self.fields["reason"] = forms.CharField(label=_("Reason for the correction"),
                                                    widget=forms.Textarea(attrs=TEXTAREA))
        self.groups = []
        for rl in (result.levels.all() if rows is None else rows):
            gc_id = rl.guide_competency_id
            self.fields[f"l{gc_id}_level"] = forms.ChoiceField(
                label=_("Consensus level"), choices=choices, required=False,
                initial=str(rl.level_id) if rl.level_id else "")
            self.fields[f"l{gc_id}_strengths"] = forms.CharField(
                label=_("Strengths"), required=False, initial=rl.strengths, widget=forms.Textarea(attrs=TEXTAREA))
            self.fields[f"l{gc_id}_to_develop"] = forms.CharField(
                label=_("Points to develop"), required=False, initial=rl.to_develop,
                widget=forms.Textarea(attrs=TEXTAREA))
            self.groups.append((rl, [f"l{gc_id}_level", f"l{gc_id}_strengths", f"l{gc_id}_to_develop"]))

    def bound_groups(self):
        return [(rl, [self[n] for n in names]) for rl, names in self.groups]

    def levels_data(self) -> dict[int, dict]:
        return {
            rl.guide_competency_id: {
                "level": self.cleaned_data[f"l{rl.guide_competency_id}_level"] or None,
                "strengths": self.cleaned_data[f"l{rl.guide_competency_id}_strengths"],
                "to_develop": self.cleaned_data[f"l{rl.guide_competency_id}_to_develop"],
            }
            for rl, _names in self.groups
        }
