"""Which link each person gets, and whether an appointment is still waiting for its meeting.

The candidate never gets a staff (moderator) link: `Links.candidate` is made for the candidate
alone (Jitsi: a token without moderator rights that ends after their own slot), `Links.staff` for
the jury and the proctor. An appointment without a meeting uses the link staff typed
(`Appointment.join_url`) for everybody, as before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from interviewdesk.scheduling.models import Appointment

from .models import TEST_SLOT, AppointmentMeeting, Meeting, Provider, Scope
from .providers import PermanentError, jitsi_token

# The kinds whose meeting the officer may choose for one appointment ("Meeting for this appointment").
OVERRIDE_KINDS = (Appointment.Kind.INTERVIEW, Appointment.Kind.PREPARATION)


@dataclass(frozen=True)
class Links:
    candidate: str
    staff: str
    platform: str  # the platform's name, in the reader's language
    waiting: bool = False  # the meeting is not made yet (or failed): nothing to send


def _margin() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "MEETINGS_TOKEN_MARGIN_MINUTES", 60))


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def meeting_link(appointment: Appointment) -> AppointmentMeeting | None:
    """The appointment's link row (select_related("meeting_link__meeting") saves the query)."""
    try:
        return appointment.meeting_link
    except AppointmentMeeting.DoesNotExist:
        return None


def test_slot_key(appointment: Appointment) -> str:
    """The connection-test slot of a booking: its proctor and its times (a booking copies the slot's;
    scheduling knows nothing of slots, which live in the portal)."""
    def utc(moment: dt.datetime) -> str:
        return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")

    return f"{appointment.proctor_id or '-'}/{utc(appointment.starts_at)}/{utc(appointment.ends_at)}"


def matches(meeting: Meeting, appointment: Appointment) -> bool:
    """The meeting is the one the appointment's current jury and day (or slot) call for."""
    if meeting.scope == Scope.JURY_DAY:
        return meeting.jury_id == appointment.jury_id and meeting.day == local_day(appointment.starts_at)
    if meeting.scope == TEST_SLOT:
        return meeting.group_key == test_slot_key(appointment)
    return True


def jitsi_url(meeting: Meeting, token: str) -> str:
    return f"{meeting.base_url.rstrip('/')}/{meeting.external_id}?jwt={token}"


def jitsi_links(meeting: Meeting, appointment: Appointment) -> tuple[str, str]:
    """(candidate, staff) Jitsi links: the candidate's token ends after their slot, the staff's after
    the meeting; both start to work a margin before."""
    margin = _margin()
    candidate = jitsi_token(app_id=meeting.app_id, base_url=meeting.base_url, room=meeting.external_id,
                            moderator=False, not_before=appointment.starts_at - margin,
                            expires=appointment.ends_at + margin, name="Candidate")
    staff = jitsi_token(app_id=meeting.app_id, base_url=meeting.base_url, room=meeting.external_id,
                        moderator=True, not_before=meeting.starts_at - margin, expires=meeting.ends_at + margin,
                        name="Staff")
    return jitsi_url(meeting, candidate), jitsi_url(meeting, staff)


def links_for(appointment: Appointment) -> Links:
    link = meeting_link(appointment)
    meeting = link.meeting if link is not None and not link.manual else None
    if meeting is None:
        url = appointment.join_url
        return Links(candidate=url, staff=url, platform=appointment.get_platform_display())
    platform = str(Appointment.Platform(meeting.provider).label)
    if meeting.state in (Meeting.State.FAILED, Meeting.State.DELETED) or not matches(meeting, appointment):
        return Links(candidate="", staff="", platform=platform, waiting=True)
    if meeting.provider == Provider.JITSI:
        try:
            candidate, staff = jitsi_links(meeting, appointment)
        except PermanentError:
            return Links(candidate="", staff="", platform=platform, waiting=True)
        return Links(candidate=candidate, staff=staff, platform=platform)
    if not meeting.join_url:
        return Links(candidate="", staff="", platform=platform, waiting=True)
    return Links(candidate=meeting.join_url, staff=meeting.join_url, platform=platform)


def meeting_waits(appointment: Appointment) -> bool:
    """Whether what messaging would send now would lack the meeting's link (held until it is made)."""
    return links_for(appointment).waiting


def meeting_counts(procedure) -> dict[str, int]:
    counts = Meeting.objects.filter(procedure=procedure).exclude(state=Meeting.State.DELETED).aggregate(
        ready=Count("pk", filter=Q(state=Meeting.State.READY)),
        pending=Count("pk", filter=Q(state=Meeting.State.PENDING)),
        failed=Count("pk", filter=Q(state=Meeting.State.FAILED)),
    )
    counts["total"] = counts["ready"] + counts["pending"] + counts["failed"]
    return counts


def failed_meetings(procedure, limit: int = 50):
    return (Meeting.objects.filter(procedure=procedure, state=Meeting.State.FAILED)
            .select_related("jury").annotate(appointment_count=Count("links")).order_by("starts_at")[:limit])


def waiting_appointments(procedure_ids, limit: int = 50):
    """Coming active appointments whose meeting failed: for the at-risk list (ids and reasons only)."""
    return (AppointmentMeeting.objects.filter(
        meeting__state=Meeting.State.FAILED, appointment__procedure_id__in=list(procedure_ids),
        appointment__status__in=Appointment.ACTIVE_STATUSES, appointment__starts_at__gt=timezone.now())
        .select_related("appointment__candidate", "appointment__procedure", "meeting")
        .order_by("appointment__starts_at")[:limit])


def meeting_problems(appointment_ids) -> dict[int, str]:
    """What staff must know about the meetings of these active appointments, in one query:
    "meeting failed: <reason>" or "meeting being made" (nothing when the meeting is ready, or the
    appointment uses a typed link)."""
    rows = (AppointmentMeeting.objects.filter(
        appointment_id__in=list(appointment_ids), manual=False, meeting__isnull=False,
        meeting__state__in=(Meeting.State.FAILED, Meeting.State.PENDING), meeting__delete_wanted=False,
        appointment__status__in=Appointment.ACTIVE_STATUSES)
        .values_list("appointment_id", "meeting__state", "meeting__last_error"))
    problems = {}
    for appointment_id, state, error in rows:
        if state == Meeting.State.FAILED:
            problems[appointment_id] = _("meeting failed: %(reason)s") % {"reason": error[:200]}
        else:
            problems[appointment_id] = _("meeting being made")
    return problems


def coming_appointments(procedure):
    """The procedure's coming active interviews and preparations, with their meeting (Meetings page)."""
    return (Appointment.objects.filter(procedure=procedure, status__in=Appointment.ACTIVE_STATUSES,
                                       kind__in=OVERRIDE_KINDS, starts_at__gt=timezone.now())
            .select_related("jury", "meeting_link__meeting").order_by("starts_at", "id"))


def meeting_state(appointment: Appointment) -> str:
    """How the appointment's meeting stands, in words (Meetings page; select_related saves the query)."""
    link = meeting_link(appointment)
    meeting = link.meeting if link is not None and not link.manual else None
    if meeting is None:
        return _("typed link")
    if meeting.state == Meeting.State.FAILED:
        return _("meeting failed: %(reason)s") % {"reason": meeting.last_error[:200]}
    if meeting.state == Meeting.State.PENDING:
        return _("meeting being made")
    return _("%(provider)s meeting ready") % {"provider": Appointment.Platform(meeting.provider).label}
