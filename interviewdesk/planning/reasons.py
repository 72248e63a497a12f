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
