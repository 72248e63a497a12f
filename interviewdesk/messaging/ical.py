"""iCalendar files for appointments (RFC 5545 / iTIP RFC 5546), built with the icalendar library.

One event per appointment: the UID never changes (moves update the same calendar entry),
SEQUENCE is the appointment's stored counter (scheduling raises it on every change of time,
link, mode or room, and on cancellation). User text goes through the library, which escapes
and folds it; control characters are removed first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zoneinfo
from functools import lru_cache

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vText
from icalendar.parser import _foldline

from interviewdesk.core import localtime
from interviewdesk.meetings.selectors import links_for
from interviewdesk.procedures.house_rules import house_rules_for_mail
from interviewdesk.scheduling.models import Appointment

PRODID = "-//interviewdesk//Online selection interviews//EN"
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def clean(text: str) -> str:
    """User text for a property value: no control characters (line breaks are kept for DESCRIPTION)."""
    return _CONTROL.sub("", text or "")


def one_line(text: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", clean(text)).strip()  # keeps French narrow no-break spaces


def organizer_address(appointment: Appointment) -> tuple[str, str]:
    """(name, e-mail) of the ORGANIZER: the contact person's name at the reply mailbox
    (settings.INVITATION_REPLY_ADDRESS), because calendar clients send their answers to the
    ORGANIZER's address and the reply reader watches that mailbox, not the contact person's."""
    procedure = appointment.procedure
    return one_line(procedure.contact_name), settings.INVITATION_REPLY_ADDRESS


def summary(appointment: Appointment) -> str:
    kinds: dict[str, str] = {
        Appointment.Kind.INTERVIEW: _("Selection interview"),
        Appointment.Kind.PREPARATION: _("Preparation before the interview"),
        Appointment.Kind.CONNECTION_TEST: _("Connection test"),
    }
    return f"{kinds[appointment.kind]} — {one_line(appointment.procedure.title)} ({appointment.procedure.reference})"


def _join(appointment: Appointment, for_candidate: bool) -> tuple[str, str]:
    """(link, platform name) for the reader: the candidate's own link, or the staff link."""
    links = links_for(appointment)
    return (links.candidate if for_candidate else links.staff), links.platform


def _description(appointment: Appointment, personal_link: str, for_candidate: bool) -> str:
    lines = []
    join_url, platform = _join(appointment, for_candidate)
    if join_url:
        lines.append(_("Join link (%(platform)s): %(url)s") % {"platform": platform, "url": join_url})
    room = appointment.room if appointment.mode == Appointment.Mode.PROVIDED_ROOM else None
    if room is not None:
        lines.append(_("You take part from this room: %(room)s, %(address)s") % {"room": room.name_in(),
                                                                                  "address": room.address_in()})
    if for_candidate:
        if personal_link:
            lines.append(_("Your personal page: %(url)s") % {"url": personal_link})
        else:
            lines.append(_("Your personal page: use the personal link in your most recent e-mail from us."))
        lines.append(_("Please accept this appointment and do not decline it: declining can remove the join link "
                       "from your calendar."))
        if appointment.kind != Appointment.Kind.CONNECTION_TEST:
            lines.append(_house_rules_line(appointment))
    procedure = appointment.procedure
    lines.append(_("Contact person: %(name)s, %(email)s %(phone)s") % {
        "name": procedure.contact_name, "email": procedure.contact_email, "phone": procedure.contact_phone})
    return clean("\n\n".join(lines))


def _house_rules_line(appointment: Appointment) -> str:
    """Which house rules apply, in the reader's language, with the link to the full rules if there is one."""
    rules = house_rules_for_mail(appointment.procedure, (translation.get_language() or "nl").split("-")[0])
    line = (_("House rules: those set for this selection apply; read and accept them on your personal page.")
            if rules["own"] else
            _("House rules: those of the selection service apply; read and accept them on your personal page."))
    return f"{line} {rules['link']}" if rules["link"] else line


def _location(appointment: Appointment, for_candidate: bool = True) -> str:
    join_url, platform = _join(appointment, for_candidate)
    room = appointment.room if appointment.mode == Appointment.Mode.PROVIDED_ROOM else None
    if room is not None:
        where = f"{room.name_in()}, {room.address_in()}"  # in the reader's language
        return one_line(f"{where} — {join_url}" if join_url else where)
    return one_line(join_url or platform)


def _new_calendar(method: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    return cal


def _event(appointment: Appointment, attendee_email: str, method: str, *, attendee_name: str, personal_link: str,
           for_candidate: bool, sequence: int | None, stamp: dt.datetime | None, uid: str = "") -> Event:
    """The VEVENT without its alarm. Call inside `translation.override(language)`. `uid`: another
    event's UID than the appointment's (a proctor's one event for a connection-test slot)."""
    event = Event()
    event.add("uid", uid or appointment.ical_uid)
    event.add("sequence", appointment.sequence if sequence is None else sequence)
    event.add("dtstamp", (stamp or timezone.now()).astimezone(dt.UTC))
    event.add("dtstart", _event_time(appointment.starts_at))
    event.add("dtend", _event_time(appointment.ends_at))
    event.add("summary", clean(summary(appointment)))
    event.add("description", _description(appointment, personal_link, for_candidate))
    event.add("location", _location(appointment, for_candidate))
    url = personal_link if for_candidate and personal_link else _join(appointment, for_candidate)[0]
    if url:
        event.add("url", url)
    name, email = organizer_address(appointment)
    organizer = vCalAddress(f"mailto:{email}")
    organizer.params["cn"] = vText(name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{attendee_email}")
    if attendee_name:
        attendee.params["cn"] = vText(one_line(attendee_name))
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    if method == REQUEST:  # (a cancellation asks no answer)
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("TRUE")
    event.add("attendee", attendee)
    if method == CANCEL:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
    return event


def _event_time(value: dt.datetime) -> dt.datetime:
    """Brussels time with TZID, except a wall-clock time that happens twice (02:00–03:00 on the
    night the clocks go back): RFC 5545 §3.3.5 reads such a TZID time as its first occurrence, so
    the second one, or an event from the first to the second, is written in UTC."""
    local = value.astimezone(BRUSSELS)
    if localtime.is_ambiguous(local.replace(tzinfo=None, fold=0)):
        return value.astimezone(dt.UTC)
    return local


def _alarm(description: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", description)
    alarm.add("trigger", dt.timedelta(minutes=-30))
    return alarm


def appointment_calendar(appointment: Appointment, attendee_email: str, method: str, *, attendee_name: str = "",
                         language: str = "en", personal_link: str = "", for_candidate: bool = True,
                         sequence: int | None = None, stamp: dt.datetime | None = None,
                         with_timezone: bool = True, uid: str = "") -> Calendar:
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"unsupported METHOD {method!r}")
    with translation.override(language):
        cal = _new_calendar(method)
        event = _event(appointment, attendee_email, method, attendee_name=attendee_name, personal_link=personal_link,
                       for_candidate=for_candidate, sequence=sequence, stamp=stamp, uid=uid)
        if method == REQUEST:
            event.add_component(_alarm(clean(summary(appointment))))
        # VTIMEZONE before the event that uses it: some clients read the file in one pass.
        if with_timezone:
            cal.add_component(_vtimezone(appointment.starts_at.astimezone(BRUSSELS).year))
        cal.add_component(event)
    return cal


def zone_transitions(first: dt.datetime, last: dt.datetime, zone: zoneinfo.ZoneInfo = BRUSSELS):
    """[(instant in UTC, offset before, offset after, name after)] of the zone's changes between
    two UTC instants, read from zoneinfo itself (found hour by hour, then to the minute)."""
    found = []
    step = dt.timedelta(hours=1)
    moment = first
    before = moment.astimezone(zone).utcoffset()
    while moment < last:
        after_moment = moment + step
        after = after_moment.astimezone(zone).utcoffset()
        if after != before:
            low, high = moment, after_moment  # the change lies in (low, high]: narrow it to the minute
            while high - low > dt.timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == before:
                    low = middle
                else:
                    high = middle
            found.append((high.replace(second=0, microsecond=0), before, after, high.astimezone(zone).tzname()))
            before = after
        moment = after_moment
    return found


@lru_cache(maxsize=16)
def _vtimezone(year: int) -> Timezone:
    """VTIMEZONE for Europe/Brussels with the transitions of the event's year ±1 (a small file),
    built from zoneinfo, once per year, as it is the same for every invitation.

    Each onset's DTSTART is the local time *before* the change (RFC 5545 §3.6.5: in TZOFFSETFROM),
    so summer time starts at 02:00 and winter time at 03:00. (icalendar's `Timezone.from_tzid`
    wrote 03:00 for both; a client that trusted it put events of 02:00–03:00 on that Sunday an
    hour off.) Tested against zoneinfo for 2026–2030."""
    first = dt.datetime(year - 1, 1, 1, tzinfo=BRUSSELS)
    last = dt.datetime(year + 2, 1, 1, tzinfo=BRUSSELS)
    timezone_ = Timezone()
    timezone_.add("tzid", "Europe/Brussels")
    start = TimezoneStandard() if not first.dst() else TimezoneDaylight()
    start.add("dtstart", first.replace(tzinfo=None))
    start.add("tzname", first.tzname())
    start.add("tzoffsetfrom", first.utcoffset())
    start.add("tzoffsetto", first.utcoffset())
    timezone_.add_component(start)
    onsets: dict[tuple, list[dt.datetime]] = {}
    for instant, before, after, name in zone_transitions(first.astimezone(dt.UTC), last.astimezone(dt.UTC)):
        onsets.setdefault((before, after, name), []).append((instant + before).replace(tzinfo=None))
    for (before, after, name), local_starts in onsets.items():
        onset = TimezoneDaylight() if after > before else TimezoneStandard()
        onset.add("dtstart", local_starts[0])
        if local_starts[1:]:
            onset.add("rdate", local_starts[1:])
        onset.add("tzname", name)
        onset.add("tzoffsetfrom", before)
        onset.add("tzoffsetto", after)
        timezone_.add_component(onset)
    return timezone_


@lru_cache(maxsize=16)
def _vtimezone_ical(year: int) -> bytes:
    return _vtimezone(year).to_ical()


@lru_cache(maxsize=4)
def _calendar_head(method: str) -> bytes:
    """BEGIN:VCALENDAR and the calendar's properties, as the library writes them."""
    return _new_calendar(method).to_ical().removesuffix(_END_CALENDAR)


@lru_cache(maxsize=256)
def _alarm_ical(description: str) -> bytes:
    return _alarm(description).to_ical()


_END_EVENT = b"END:VEVENT\r\n"
_END_CALENDAR = b"END:VCALENDAR\r\n"


def fold_like_icalendar(line: str, limit: int = 75, separator: str = "\r\n ") -> str:
    """icalendar's own folding, to the byte (its `_foldline`: at most limit - 1 octets per line,
    never split right after a backslash or caret escape), on the plain-ASCII lines that make up
    nearly all of an invitation, by slicing instead of character by character (a third of the
    calendar file's cost in bench/messaging.py). Other lines go to the library. Checked against
    the library on generated lines (tests/messaging/test_batch_delivery.py)."""
    if not line.isascii():
        return _foldline(line, limit, separator)
    width = limit - 1
    parts, start = [], 0
    while len(line) - start > width:
        end = start + width
        if line[end - 1] in "\\^":
            end -= 1
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return separator.join(parts)


def _event_ical(event: Event) -> bytes:
    """`event.to_ical()`, with the folding above."""
    return b"\r\n".join(fold_like_icalendar(line).encode() for line in event.content_lines() if line) + b"\r\n"


def appointment_ics(appointment: Appointment, attendee_email: str, method: str = REQUEST, **options) -> bytes:
    """The .ics file of one appointment for one attendee (REQUEST or CANCEL): byte for byte what
    `appointment_calendar(...).to_ical()` writes (tested), assembled faster.

    The calendar's head, the VTIMEZONE (per year) and the VALARM (per summary) are the same in
    thousands of files of a bulk send: each is written by the library once and spliced in, and
    only the event's own properties are serialised per file (that was most of the cost). Measured
    with `make bench` (docs/messaging.md, "Where it came from"): the file now costs ≈ 0.5 ms per
    invitation; the step that brought the splicing, together with rendering the shared e-mail parts
    once, took two workers on PostgreSQL from 245 to 260–272 messages/s (the two were not measured
    apart). The contract: byte for byte the library's file (tests/messaging/test_batch_delivery.py)."""
    options.pop("with_timezone", None)
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"unsupported METHOD {method!r}")
    language = options.pop("language", "en")
    options = {"attendee_name": "", "personal_link": "", "for_candidate": True, "sequence": None, "stamp": None,
               "uid": "", **options}
    with translation.override(language):
        event = _event_ical(_event(appointment, attendee_email, method, **options))
        alarm = _alarm_ical(clean(summary(appointment))) if method == REQUEST else b""
    year = appointment.starts_at.astimezone(BRUSSELS).year
    return (_calendar_head(method) + _vtimezone_ical(year) + event.removesuffix(_END_EVENT) + alarm + _END_EVENT
            + _END_CALENDAR)


def staff_version(appointment: Appointment) -> str:
    """What a staff member's copy of the appointment shows that can change (times, the staff link,
    the place), as a digest: a shared staff event is sent again only when this differs."""
    join_url, platform = _join(appointment, False)
    facts = "|".join([appointment.starts_at.astimezone(dt.UTC).isoformat(), appointment.ends_at.astimezone(dt.UTC).isoformat(),
                      join_url, platform, _location(appointment, False)])
    return hashlib.sha256(facts.encode()).hexdigest()
