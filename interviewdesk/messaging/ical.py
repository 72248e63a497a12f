"""iCalendar files for appointments (RFC 5545 / iTIP RFC 5546), built with the icalendar library.

One event per appointment: the UID never changes (moves update the same calendar entry),
SEQUENCE is the appointment's stored counter (scheduling raises it on every change of time,
link, mode or room, and on cancellation). User text goes through the library, which escapes
and folds it; control characters are removed first.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from functools import lru_cache

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, Timezone, vCalAddress, vText

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
    return " ".join(clean(text).split())


def organizer_address(appointment: Appointment) -> tuple[str, str]:
    """(name, e-mail) of the ORGANIZER: the contact person, at the reply address when one is
    configured (so calendar answers reach the mailbox the reply reader watches)."""
    procedure = appointment.procedure
    return one_line(procedure.contact_name), getattr(settings, "INVITATION_REPLY_ADDRESS", "") or procedure.contact_email


def summary(appointment: Appointment) -> str:
    kinds = {
        Appointment.Kind.INTERVIEW: _("Selection interview"),
        Appointment.Kind.PREPARATION: _("Preparation before the interview"),
        Appointment.Kind.CONNECTION_TEST: _("Connection test"),
    }
    return f"{kinds[appointment.kind]} — {one_line(appointment.procedure.title)} ({appointment.procedure.reference})"


def _description(appointment: Appointment, personal_link: str, for_candidate: bool) -> str:
    lines = []
    if appointment.join_url:
        lines.append(_("Join link (%(platform)s): %(url)s") % {"platform": appointment.get_platform_display(),
                                                               "url": appointment.join_url})
    if appointment.mode == Appointment.Mode.PROVIDED_ROOM and appointment.room_id:
        room = appointment.room
        lines.append(_("You take part from this room: %(room)s, %(address)s") % {"room": room, "address": room.address})
    if for_candidate:
        if personal_link:
            lines.append(_("Your personal page: %(url)s") % {"url": personal_link})
        else:
            lines.append(_("Your personal page: use the personal link in your most recent e-mail from us."))
        lines.append(_("Please accept this appointment and do not decline it: declining can remove the join link "
                       "from your calendar."))
    procedure = appointment.procedure
    lines.append(_("Contact person: %(name)s, %(email)s %(phone)s") % {
        "name": procedure.contact_name, "email": procedure.contact_email, "phone": procedure.contact_phone})
    return clean("\n\n".join(lines))


def _location(appointment: Appointment) -> str:
    if appointment.mode == Appointment.Mode.PROVIDED_ROOM and appointment.room_id:
        where = f"{appointment.room}, {appointment.room.address}"
        return one_line(f"{where} — {appointment.join_url}" if appointment.join_url else where)
    return one_line(appointment.join_url or appointment.get_platform_display())


def appointment_calendar(appointment: Appointment, attendee_email: str, method: str, *, attendee_name: str = "",
                         language: str = "en", personal_link: str = "", for_candidate: bool = True,
                         sequence: int | None = None, stamp: dt.datetime | None = None,
                         with_timezone: bool = True) -> Calendar:
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"unsupported METHOD {method!r}")
    with translation.override(language):
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", method)
        event = Event()
        event.add("uid", appointment.ical_uid)
        event.add("sequence", appointment.sequence if sequence is None else sequence)
        event.add("dtstamp", (stamp or timezone.now()).astimezone(dt.UTC))
        event.add("dtstart", appointment.starts_at.astimezone(BRUSSELS))
        event.add("dtend", appointment.ends_at.astimezone(BRUSSELS))
        event.add("summary", clean(summary(appointment)))
        event.add("description", _description(appointment, personal_link, for_candidate))
        event.add("location", _location(appointment))
        url = personal_link if for_candidate and personal_link else appointment.join_url
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
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee)
        if method == CANCEL:
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED")
            event.add("transp", "OPAQUE")
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", clean(summary(appointment)))
            alarm.add("trigger", dt.timedelta(minutes=-30))
            event.add_component(alarm)
        # VTIMEZONE before the event that uses it: some clients read the file in one pass.
        if with_timezone:
            cal.add_component(_vtimezone(appointment.starts_at.astimezone(BRUSSELS).year))
        cal.add_component(event)
    return cal


@lru_cache(maxsize=16)
def _vtimezone(year: int) -> Timezone:
    """VTIMEZONE for Europe/Brussels with only the transitions around the event's year (a small file);
    built once per year, as it is the same for every invitation."""
    return Timezone.from_tzid("Europe/Brussels", first_date=dt.date(year - 1, 1, 1),
                              last_date=dt.date(year + 1, 12, 31))


@lru_cache(maxsize=16)
def _vtimezone_ical(year: int) -> bytes:
    return _vtimezone(year).to_ical()


def appointment_ics(appointment: Appointment, attendee_email: str, method: str = REQUEST, **options) -> bytes:
    """The .ics file of one appointment for one attendee (REQUEST or CANCEL).

    The VTIMEZONE is the same in every file of a year: it is serialised once and spliced in
    before the event (serialising it each time was a third of the cost of a file)."""
    options.pop("with_timezone", None)
    data = appointment_calendar(appointment, attendee_email, method, with_timezone=False, **options).to_ical()
    head, marker, rest = data.partition(b"BEGIN:VEVENT\r\n")
    return head + _vtimezone_ical(appointment.starts_at.astimezone(BRUSSELS).year) + marker + rest
