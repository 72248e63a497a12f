"""The planner's reasons (code + parameters) in the reader's language."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from interviewdesk.procedures.models import CANDIDATE_LANGUAGE_CHOICES

TEXTS = {
    "no_test_group": gettext_lazy("no connection-test group is free early enough before any possible interview day"),
    "no_jury_language": gettext_lazy("%(language)s-speaking; no jury speaks %(language)s"),
    "never_available": gettext_lazy("unavailable on every half-day of the planning window"),
    "no_jury_when_available": gettext_lazy("%(language)s-speaking, available only on %(days)s; no %(language)s jury then"),
    "no_room": gettext_lazy("needs a room; no room is free on the days a %(language)s jury sits (%(days)s)"),
    "no_test_before": gettext_lazy("no connection test can be held early enough before %(days)s"),
    "no_slot_fits": gettext_lazy("no interview fits in the half-days left on %(days)s"),
    "full": gettext_lazy("every %(language)s slot in their %(half_days)s possible half-days is taken by candidates "
                         "with fewer options"),
    "pinned": gettext_lazy("pinned by you"),
    "put_back": gettext_lazy("put back by you: the next re-run plans them"),
    "kept": gettext_lazy("already planned here; kept"),
    "moved": gettext_lazy("moved so that more candidates fit"),
    "only_option": gettext_lazy("the only half-day when they and a %(language)s jury can both take part"),
    "preferred": gettext_lazy("a half-day they prefer"),
    "earliest": gettext_lazy("the earliest day they and a %(language)s jury can take part"),
    "later": gettext_lazy("later than their first possible day (%(first)s): earlier %(language)s slots were full, "
                          "or this saves a jury-day"),
}


def _day(iso: str) -> str:
    return date_format(dt.date.fromisoformat(iso), "DATE_FORMAT") if iso else ""


def reason_text(reason: dict) -> str:
    code = reason.get("code", "")
    if code not in TEXTS:
        return ""
    params = dict(reason.get("params", {}))
    languages = dict(CANDIDATE_LANGUAGE_CHOICES)
    params["language"] = str(languages.get(params.get("language", ""), params.get("language", "")))
    days = [_day(d) for d in params.get("days", [])]
    if params.get("more"):
        days.append(_("%(count)s more") % {"count": params["more"]})
    params["days"] = ", ".join(days)
    params["first"] = _day(params.get("first", ""))
    return str(TEXTS[code]) % params


# A hard rule a hand-made change breaks (check.broken_rules), said to the officer. The texts
# speak of the item being changed; rules a move cannot break get the last, general text.
RULE_TEXTS = {
    "language": gettext_lazy("The candidate speaks %(language)s; jury %(jury)s does not take %(language)s."),
    "outside_window": gettext_lazy("%(day)s is not an interview day of the planning window."),
    "jury_unavailable": gettext_lazy("Jury %(jury)s does not sit on %(day)s in the %(half)s: not all its members "
                                     "are available."),
    "candidate_unavailable": gettext_lazy("The candidate said they cannot come on %(day)s in the %(half)s."),
    "outside_half_day": gettext_lazy("From %(start)s to %(end)s (case, interview and the jury's scoring time) does "
                                     "not fit between %(lo)s and %(hi)s, the day's window and its lunch break."),
    "jury_busy": gettext_lazy("Jury %(jury)s is busy elsewhere then (an appointment of another procedure)."),
    "jury_max": gettext_lazy("Jury %(jury)s would hold %(count)s interviews on %(day)s; its daily maximum is "
                             "%(max)s."),
    "jury_overlap": gettext_lazy("Jury %(jury)s already holds another interview then (with its scoring time)."),
    "candidate_overlap": gettext_lazy("The candidate has another appointment of this proposal then."),
    "proctor": gettext_lazy("No proctor is available and free then for the case and the interview."),
    "room": gettext_lazy("The candidate takes part from a room of the service; no room is free then."),
    "assigned_room": gettext_lazy("The candidate takes part from the room assigned to them when their request was "
                                  "approved; it is not free then."),
    "test_day": gettext_lazy("Their connection test on %(test_day)s does not fit an interview on %(day)s: it must "
                             "be on %(allowed)s. Choose a day that fits the test, or take the candidate's pin off "
                             "and re-run the planner to plan a new test."),
    "other": gettext_lazy("The planner's rules do not allow the interview there."),
}
RULE_GROUPS = {"no_proctor": "proctor", "proctor_unavailable": "proctor", "proctor_overlap": "proctor",
               "proctor_busy": "proctor", "no_room": "room", "room_overlap": "room", "room_busy": "room"}


def _date(value: dt.date | str) -> str:
    """A day from check.broken_rules, or its ISO text as a failed run stores it."""
    return date_format(dt.date.fromisoformat(value) if isinstance(value, str) else value, "DATE_FORMAT")


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def rule_text(code: str, params: dict, *, jury_names: dict[int, str]) -> str:
    """One broken rule (code + parameters from check.broken_rules) in the reader's language."""
    code = RULE_GROUPS.get(code, code)
    if code not in RULE_TEXTS:
        code = "other"
    languages = dict(CANDIDATE_LANGUAGE_CHOICES)
    values = {
        "language": str(languages.get(params.get("language", ""), params.get("language", ""))),
        "jury": jury_names.get(params.get("jury", 0), ""),
        "half": _("morning") if params.get("half") == 0 else _("afternoon"),
        "count": params.get("count", ""), "max": params.get("max", ""),
        **{name: _clock(params[name]) for name in ("start", "end", "lo", "hi") if name in params},
        **{name: _date(params[name]) for name in ("day", "test_day") if name in params},
        "allowed": ", ".join(_date(d) for d in sorted(params.get("allowed", ()))) or _("no day"),
    }
    return str(RULE_TEXTS[code]) % values
