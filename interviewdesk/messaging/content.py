"""What an appointment e-mail says, as template context, in the recipient's language.

Lists (equipment, rules, what happens at the start) live here once, so the text and HTML
versions of a message say the same thing. Call inside `translation.override(language)`.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from interviewdesk.core.dates import long_date
from interviewdesk.core.phones import display_phone
from interviewdesk.core.workdays import room_request_deadline
from interviewdesk.meetings.selectors import links_for
from interviewdesk.procedures.house_rules import house_rules_for_mail
from interviewdesk.scheduling.models import Appointment

# A live connection test is held at the latest this many hours before the interview (the portal's
# checklist uses the same figure): an invitation sent later promises none.
CONNECTION_TEST_HOURS_BEFORE = getattr(settings, "PORTAL_CONNECTION_TEST_HOURS_BEFORE", 24)


class Timed(Protocol):
    """Anything with a start and an end: an appointment, or a time a reply proposes."""

    starts_at: dt.datetime
    ends_at: dt.datetime


def when(appointment: Timed) -> dict:
    start = timezone.localtime(appointment.starts_at)
    end = timezone.localtime(appointment.ends_at)
    if start.utcoffset() != end.utcoffset():  # across the clock change: "02:30 CEST–02:30 CET"
        return {"day": long_date(start), "start": f"{start:%H:%M} {start.tzname()}",
                "end": f"{end:%H:%M} {end.tzname()}",
                "zone": _("%(abbr)s, Brussels time") % {"abbr": f"{start.tzname()} → {end.tzname()}"}}
    return {
        "day": long_date(start),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
        "zone": _("%(abbr)s, Brussels time") % {"abbr": start.tzname()},
    }


def kind_label(appointment: Appointment) -> str:
    labels: dict[str, str] = {
        Appointment.Kind.INTERVIEW: _("selection interview"),
        Appointment.Kind.PREPARATION: _("preparation (case or technical test)"),
        Appointment.Kind.CONNECTION_TEST: _("connection test"),
    }
    return labels[appointment.kind]


def equipment(procedure) -> list[str]:
    return list(_equipment(get_language(), " ".join(procedure.extra_material.split())))


# The lists below are the same for every e-mail in one language; a bulk send asks thousands of times.
@lru_cache(maxsize=64)
def _equipment(language: str, extra_material: str) -> tuple[str, ...]:
    items = [
        _("a computer or laptop with a webcam"),
        _("a microphone and speakers, or a headset"),
        _("a stable, fast internet connection"),
        _("a quiet room where you are alone for the whole session"),
        _("your identity card"),
    ]
    if extra_material:
        items.append(_("also: %(material)s") % {"material": extra_material})
    return tuple(items)


def rules() -> list[str]:
    return list(_rules(get_language()))


@lru_cache(maxsize=16)
def _rules(language: str) -> tuple[str, ...]:
    return (
        _("Your camera and microphone stay on from the welcome until the end."),
        _("Nobody else is in the room with you, and you contact nobody during the session."),
        _("Do not blur, darken or replace your background."),
        _("Use only the documents and tools we give you; no other material, not even scrap paper unless we "
          "say so."),
        _("Do not copy or pass on the documents you see."),
        _("Nobody records the session, and you must not record it either."),
    )


def at_start() -> list[str]:
    return list(_at_start(get_language()))


@lru_cache(maxsize=16)
def _at_start(language: str) -> tuple[str, ...]:
    return (
        _("A few minutes before the start, open the join link; a web browser is enough (Chrome works best), "
          "you do not need an account."),
        _("Switch on your camera and microphone. A staff member welcomes you in the waiting room."),
        _("Show your identity card to the camera: we check your identity before we begin."),
    )


def minutes_of(appointment: Appointment) -> int:
    return round((appointment.ends_at - appointment.starts_at).total_seconds() / 60)


def interview_course(procedure, *, minutes: int | None = None) -> tuple[tuple[str, str], ...]:
    """How the interview runs, step by step, as (heading, text) pairs in the active language: the
    case or technical test when the procedure has one, the welcome and identity check, part 1 (CV
    and motivation), part 2 (behavioural questions, the STAR method with an example) and the total
    time. `minutes` is the interview appointment's length when there is one (else the procedure's)."""
    return _course(get_language(), procedure.pre_stage, procedure.pre_stage_minutes,
                   minutes or procedure.interview_minutes)


@lru_cache(maxsize=64)
def _course(language: str, pre_stage: str, pre_minutes: int, minutes: int) -> tuple[tuple[str, str], ...]:
    steps = []
    if pre_stage in ("case", "technical_test"):
        heading = _("Before the interview: a case") if pre_stage == "case" else _(
            "Before the interview: a technical test")
        text = _("You get a separate appointment for it. A proctor shows you the assignment on screen, then "
                 "stays in the meeting with camera and microphone off while you work; you may write notes on "
                 "paper. At the end of the time the proctor closes the preparation. The jury only scores what "
                 "you tell them afterwards in the interview.")
        if pre_minutes:
            text += " " + _("You have %(minutes)d minutes for it.") % {"minutes": pre_minutes}
        steps.append((heading, text))
    steps += [
        (_("Welcome and identity check"),
         _("A staff member (the proctor) lets you in from the waiting room and compares your face with your "
           "identity card on camera. This takes a few minutes, then the jury joins.")),
        (_("Part 1: your CV and your motivation"),
         _("The jury goes through your experience and studies with you and asks why this post interests "
           "you.")),
        (_("Part 2: behavioural questions"),
         _("The jury asks how you acted in situations you really went through, to see the competencies the "
           "post needs. Answer with the STAR method: the Situation (where and when), your Task (what was "
           "expected of you), the Action you took yourself and the Result (what came of it).")),
        (_("A short example of a STAR answer"),
         _("“Last spring two of the four people in my team were ill at the same time (situation). I had to "
           "make sure every application was still answered within two weeks (task). I drew up a new rota, "
           "took the most urgent files myself and agreed with my manager which work could wait (action). "
           "All applications were answered on time, and the team kept the rota (result).”")),
        (_("How long it takes"),
         _("The interview takes %(minutes)d minutes in all, welcome and both parts included.") % {
             "minutes": minutes}),
    ]
    return tuple(steps)


def email_part(part: str, **values) -> str:
    """messaging/email/parts/<part> rendered in the active language with `values` (lists become
    tuples: the values are the cache key). A part's output depends on nothing else, so each
    combination is rendered once per process; a changed value (a procedure's contact person,
    say) is simply another combination."""
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in values.items()))
    return _email_part(part, get_language(), key)


@lru_cache(maxsize=512)
def _email_part(part: str, language: str, values: tuple) -> str:
    return render_to_string(f"messaging/email/parts/{part}", dict(values))


# Set by a bulk send for its group of candidates: {candidate_id: next active connection test or None},
# fetched in one query instead of one per invitation. Only read inside that group's transaction.
_TESTS: contextvars.ContextVar[dict | None] = contextvars.ContextVar("connection_tests", default=None)


def _active_tests(candidate_ids):
    return (Appointment.objects.filter(candidate_id__in=candidate_ids, kind=Appointment.Kind.CONNECTION_TEST,
                                       status__in=Appointment.ACTIVE_STATUSES).order_by("starts_at", "id"))


@contextlib.contextmanager
def connection_tests_prefetched(candidate_ids: list[int]):
    """Within the block, `connection_test_for` answers for these candidates from one query."""
    tests: dict = dict.fromkeys(candidate_ids)
    for test in _active_tests(candidate_ids):
        if tests.get(test.candidate_id) is None:
            tests[test.candidate_id] = test
    token = _TESTS.set(tests)
    try:
        yield
    finally:
        _TESTS.reset(token)


def connection_test_for(appointment: Appointment) -> Appointment | None:
    """The candidate's next active connection test, when this appointment is not itself one."""
    if appointment.kind == Appointment.Kind.CONNECTION_TEST:
        return None
    prefetched = _TESTS.get()
    if prefetched is not None and appointment.candidate_id in prefetched:
        return prefetched[appointment.candidate_id]
    return (
        Appointment.objects.filter(candidate_id=appointment.candidate_id, kind=Appointment.Kind.CONNECTION_TEST,
                                   status__in=Appointment.ACTIVE_STATUSES)
        .order_by("starts_at")
        .first()
    )


def _appointment_facts(appointment: Appointment, *, staff: bool = False) -> dict:
    """What every invitation says, whoever receives it: the appointment, its link and the contact person.
    The link is the reader's own (meetings.selectors.links_for): a candidate never gets a staff link."""
    procedure = appointment.procedure
    links = links_for(appointment)
    return {
        "appointment": appointment,
        "procedure": procedure,
        "kind_label": kind_label(appointment),
        "when": when(appointment),
        "platform": links.platform,
        "join_url": links.staff if staff else links.candidate,
        "contact_name": procedure.contact_name,
        "contact_email": procedure.contact_email,
        "contact_phone": display_phone(procedure.contact_phone) if procedure.contact_phone else "",
    }


def candidate_context(appointment: Appointment, *, personal_link: str = "") -> dict:
    test = connection_test_for(appointment)
    now = timezone.now()
    deadline = room_request_deadline(appointment.starts_at)
    return {
        **_appointment_facts(appointment),
        "in_room": appointment.mode == Appointment.Mode.PROVIDED_ROOM and appointment.room_id is not None,
        "room": appointment.room if appointment.room_id else None,
        "personal_link": personal_link,
        "equipment": equipment(appointment.procedure),
        "rules": rules(),
        "at_start": at_start(),
        "room_deadline": long_date(deadline),
        # Sent too late for the usual deadlines (a same-day or next-day invitation): the e-mail then
        # shows no date in the past and promises no connection test that cannot take place.
        "room_deadline_passed": deadline < timezone.localdate(now),
        "test_too_late": test is None and now + dt.timedelta(hours=CONNECTION_TEST_HOURS_BEFORE) > appointment.starts_at,
        "course": interview_course(appointment.procedure, minutes=minutes_of(appointment))
        if appointment.kind == Appointment.Kind.INTERVIEW else (),
        "connection_test": test,
        "connection_test_when": when(test) if test else None,
        # Which house rules apply (the procedure's or the service's) and the link to the full text.
        "house_rules": house_rules_for_mail(appointment.procedure, (get_language() or "nl").split("-")[0]),
        "is_connection_test": appointment.kind == Appointment.Kind.CONNECTION_TEST,
    }


def staff_context(appointment: Appointment, role_label: str) -> dict:
    return {
        **_appointment_facts(appointment, staff=True),
        "role_label": role_label,
        "candidate_phone": display_phone(appointment.candidate.phone) if appointment.candidate.phone else "",
    }
