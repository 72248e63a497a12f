"""Why a candidate cannot be planned, or got this slot: structured reasons (`Reason`) that
the product translates; `text()` gives the English wording the benchmark prints."""

from __future__ import annotations

from .grid import Prepared, type_of
from .instance import AFTERNOON, MORNING, Candidate
from .proposal import Item, Reason

LANGUAGE_NAMES = {"nl": "Dutch", "fr": "French", "de": "German"}


def _days(days) -> list[str]:
    return [d.isoformat() for d in sorted(days)]


def why_unplanned(prepared: Prepared, c: Candidate, *, dropped_for_test: bool = False) -> Reason:
    inst = prepared.instance
    lang = c.language
    if dropped_for_test:
        return Reason("no_test_group", {"language": lang})
    if not any(lang in j.languages for j in inst.juries):
        return Reason("no_jury_language", {"language": lang})
    free = [(d, h) for d in inst.days for h in (MORNING, AFTERNOON) if (d, h) not in c.unavailable]
    free_days = {d for d, _h in free}
    if not free:
        return Reason("never_available", {"language": lang})
    jury_days = {d for d, h in free if any(lang in j.languages and (d, h) in j.available for j in inst.juries)}
    if not jury_days:
        return Reason("no_jury_when_available", {"language": lang, "days": _days(free_days)[:5],
                                                 "more": max(0, len(free_days) - 5)})
    if c.needs_room and not any(prepared.room_capacity(prepared.room_group(type_of(c), (d, h)))
                                for d in jury_days for h in (MORNING, AFTERNOON)):
        return Reason("no_room", {"language": lang, "days": _days(jury_days)[:5]})
    test_days = {d for d in jury_days if d in prepared.interview_days[c.id]}
    if not test_days:
        return Reason("no_test_before", {"language": lang, "days": _days(jury_days)[:5]})
    if not prepared.options[c.id]:
        return Reason("no_slot_fits", {"language": lang, "days": _days(test_days)[:5]})
    return Reason("full", {"language": lang, "half_days": len(prepared.options[c.id])})


def why_here(prepared: Prepared, c: Candidate, item: Item) -> Reason:
    window = prepared.instance.window
    hd = (item.day, window.half_of(item.start))
    options = prepared.options[c.id]
    if item.pinned:
        return Reason("pinned")
    if c.current is not None and not item.moved:
        return Reason("kept")
    if c.current is not None:
        return Reason("moved", {"language": c.language})
    if len(options) == 1:
        return Reason("only_option", {"language": c.language})
    if c.preferred and hd in c.preferred:
        return Reason("preferred")
    if options and item.day == options[0][0]:
        return Reason("earliest", {"language": c.language})
    return Reason("later", {"language": c.language, "first": options[0][0].isoformat() if options else ""})


TEXTS = {
    "no_test_group": "no connection-test group is free early enough before any possible interview day",
    "no_jury_language": "{language_name}-speaking; no jury speaks {language_name}",
    "never_available": "unavailable on every half-day of the planning window",
    "no_jury_when_available": "{language_name}-speaking, available only on {days_text}; no {language_name} jury then",
    "no_room": "needs a room; no room is free on the days a {language_name} jury is ({days_text})",
    "no_test_before": "no connection test can be held early enough before {days_text}",
    "no_slot_fits": "no interview fits in the half-days left on {days_text}",
    "full": "every {language_name} slot in their {half_days} possible half-days is taken by candidates with fewer options",
    "pinned": "pinned by the officer",
    "kept": "already planned here; kept",
    "moved": "moved so that more candidates fit",
    "only_option": "the only half-day when they and a {language_name} jury can both take part",
    "preferred": "a half-day they prefer",
    "earliest": "the earliest day they and a {language_name} jury can take part",
    "later": "later than their first possible day ({first}): the earlier {language_name} slots were full or this saves a jury-day",
}


def text(reason: Reason) -> str:
    params = dict(reason.params)
    params["language_name"] = LANGUAGE_NAMES.get(params.get("language", ""), params.get("language", ""))
    days = params.get("days", [])
    params["days_text"] = ", ".join(days) + (f" (+{params['more']} more)" if params.get("more") else "")
    return TEXTS[reason.code].format(**params)


__all__ = ["text", "why_here", "why_unplanned"]
