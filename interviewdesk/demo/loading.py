"""Demo data: two open procedures with people, juries, rooms, candidates and appointments.

`demo_load` builds everything in one transaction, through the real services where a state
changes (appointments are planned with `appointment_plan`, so conflicts are checked and
audited). Dates are relative to the day it runs; some sessions are always today, even on a
weekend, so the dashboard and the live pages have something to show. It is idempotent:
when the demo procedures exist it does nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from interviewdesk.core.models import User
from interviewdesk.core.workdays import closed_days, is_working_day
from interviewdesk.meetings.models import Provider, Scope
from interviewdesk.meetings.services import meeting_settings_save
from interviewdesk.messaging.services.invitations import appointments_for_sending, invitation_send_locked
from interviewdesk.portal.services import appointment_accept
from interviewdesk.procedures.models import (
    BehaviouralIndicator,
    Candidate,
    Competency,
    CompetencyDictionary,
    Dimension,
    HalfDay,
    Jury,
    JuryMember,
    Membership,
    Procedure,
    ProfileCompetency,
    Role,
    Room,
    RoomFreeDay,
    StaffAvailability,
)
from interviewdesk.procedures.permissions import officer_group
from interviewdesk.procedures.scales import ensure_default_scale
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_plan

from . import data

DEMO_CANDIDATE = ("ANG25123", "lotte.claes@example.net")  # receives the personal link run_demo prints
GAP = 15  # minutes between a preparation and its interview, and between sessions
SCHEDULED = {"ANG25123": 15, "AFG25124": 10}  # the other candidates are still to be planned
PLANNING_AFTER_DAYS = 15  # the planning window starts on the first working day this many days from today
PLANNING_DAYS = 5  # working days in it


def demo_loaded() -> bool:
    return Procedure.objects.filter(reference__in=list(data.PROCEDURES)).exists()


def demo_candidate() -> Candidate:
    reference, email = DEMO_CANDIDATE
    return Candidate.objects.get(procedure__reference=reference, email=email)


@transaction.atomic
def demo_load(*, now: dt.datetime | None = None) -> bool:
    """Create the demo data; False (and nothing changed) when it is already there."""
    if demo_loaded():
        return False
    now = timezone.localtime(now or timezone.now())
    competencies = _dictionary()
    users = _staff()
    rooms = [Room.objects.get_or_create(site=r["site"], name=r["name"], defaults=r)[0] for r in data.ROOMS]
    for reference, spec in data.PROCEDURES.items():
        procedure = _procedure(reference, spec, competencies, users)
        _meetings(procedure, users)
        candidates = _candidates(procedure)
        _Planner(procedure, candidates, users, rooms, now).plan()
        days = _planning_window(procedure, now)
    _rooms_free(rooms, days)
    return True


def _planning_window(procedure: Procedure, now: dt.datetime) -> list[dt.date]:
    """The candidates not planned yet are for the planner: interviews on the first working days
    after the demo's appointments (which run until 14 days from today), every jury member and
    proctor available from tomorrow on (one chair not on the first afternoon), candidates able to
    state the half-days they cannot come for another week."""
    today = now.date()
    closed = closed_days({today.year, today.year + 1})
    days: list[dt.date] = []
    day = today + dt.timedelta(days=PLANNING_AFTER_DAYS)
    while len(days) < PLANNING_DAYS:
        if is_working_day(day, closed):
            days.append(day)
        day += dt.timedelta(days=1)
    procedure.first_interview_day, procedure.last_interview_day = days[0], days[-1]
    procedure.unavailability_deadline = today + dt.timedelta(days=7)
    procedure.save(update_fields=["first_interview_day", "last_interview_day", "unavailability_deadline"])
    people = set(JuryMember.objects.filter(jury__procedure=procedure).values_list("user_id", flat=True))
    people |= set(Membership.objects.filter(procedure=procedure, role=Role.PROCTOR).values_list("user_id", flat=True))
    busy_chair = User.objects.get(username="chair2").pk
    StaffAvailability.objects.bulk_create(
        StaffAvailability(procedure=procedure, user_id=user_id, date=today + dt.timedelta(days=n), part=part,
                          available=not (user_id == busy_chair and (n, part) == ((days[0] - today).days, HalfDay.AFTERNOON)))
        for user_id in sorted(people) for n in range(1, (days[-1] - today).days + 1) for part in HalfDay.values
    )
    return days


def _rooms_free(rooms: list[Room], days: list[dt.date]) -> None:
    """Both rooms are free every half-day of the planning window."""
    RoomFreeDay.objects.bulk_create(
        [RoomFreeDay(room=room, date=day, part=part) for room in rooms for day in days for part in HalfDay.values],
        ignore_conflicts=True,
    )


def _dictionary() -> dict[str, Competency]:
    name, version = data.DICTIONARY
    dictionary, _created = CompetencyDictionary.objects.get_or_create(
        name=name, version=version, defaults={"published_on": dt.date(2025, 1, 1)}
    )
    result = {}
    for code, (label, definition, dimensions) in data.COMPETENCIES.items():
        competency, created = Competency.objects.get_or_create(
            dictionary=dictionary, code=code, defaults={"name": label, "definition": definition}
        )
        if created:
            for order, (dimension_name, indicators) in enumerate(dimensions):
                dimension = Dimension.objects.create(competency=competency, order=order, name=dimension_name)
                BehaviouralIndicator.objects.bulk_create(
                    BehaviouralIndicator(dimension=dimension, order=i, text=text) for i, text in enumerate(indicators)
                )
        result[code] = competency
    return result


def _staff() -> dict[str, User]:
    users = {}
    password = make_password(data.PASSWORD)  # hashed once: the hasher is slow on purpose
    for username, (first, last, language) in data.STAFF.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "language": language,
                      "email": f"{username}@interviewdesk.example.org",
                      "is_superuser": username == "admin", "is_staff": username == "admin"},
        )
        if created:
            user.password = password
            user.save(update_fields=["password"])
            # Enrolled already, with the published demo secret: demo logins need its code.
            TOTPDevice.objects.create(user=user, name="demo app", key=data.TOTP_KEY, confirmed=True)
        if username == "officer":  # may set up procedures and rooms (docs/setup.md)
            user.groups.add(officer_group())
        users[username] = user
    return users


def demo_totp_secret() -> str:
    """The demo secret as an authenticator app wants it typed (base32)."""
    return base64.b32encode(bytes.fromhex(data.TOTP_KEY)).decode().rstrip("=")


def demo_totp_code() -> str:
    """The code the demo staff's authenticator shows now."""
    totp = TOTP(bytes.fromhex(data.TOTP_KEY))
    return f"{totp.token():06d}"


def _procedure(reference: str, spec: dict, competencies: dict[str, Competency], users: dict[str, User]) -> Procedure:
    fields = {k: v for k, v in spec.items() if k != "profile"}
    procedure = Procedure.objects.create(reference=reference, status=Procedure.Status.OPEN, scale=ensure_default_scale(),
                                         **fields)
    for order, code in enumerate(spec["profile"]):
        ProfileCompetency.objects.create(procedure=procedure, competency=competencies[code], order=order)
    memberships = [("officer", Role.SELECTION_OFFICER), ("proctor1", Role.PROCTOR), ("proctor2", Role.PROCTOR)]
    for jury_reference, name, languages, chair, assessors in data.JURIES:
        if jury_reference != reference:
            continue
        jury = Jury.objects.create(procedure=procedure, name=name, languages=languages)
        JuryMember.objects.create(jury=jury, user=users[chair], role=JuryMember.Role.CHAIR)
        memberships.append((chair, Role.JURY_CHAIR))
        for username in assessors:
            JuryMember.objects.create(jury=jury, user=users[username], role=JuryMember.Role.ASSESSOR)
            memberships.append((username, Role.ASSESSOR))
    Membership.objects.bulk_create(
        Membership(procedure=procedure, user=users[username], role=role) for username, role in memberships
    )
    return procedure


def _meetings(procedure: Procedure, users: dict[str, User]) -> None:
    """The procedure without a case (the French one) gets Jitsi links made by the product, one room per
    jury and day, when a Jitsi secret is configured (`make demo` sets a demo one): its appointments
    show generated links. The other keeps links typed by staff."""
    if procedure.has_pre_stage or not settings.MEETINGS_JITSI_APP_SECRET:
        return
    meeting_settings_save(procedure=procedure, actor=users["officer"], provider=Provider.JITSI, scope=Scope.JURY_DAY,
                          jitsi_base_url="https://meet.example.org", jitsi_app_id="interviewdesk")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


def _candidates(procedure: Procedure) -> list[Candidate]:
    offset = 0 if procedure.reference == "ANG25123" else 100
    candidates = []
    for i, (first, last, language) in enumerate(data.CANDIDATES[procedure.reference]):
        n = offset + i
        cvs = data.CV[language]
        candidates.append(Candidate(
            procedure=procedure, first_name=first, last_name=last, language=language,
            email=f"{_ascii(first)}.{_ascii(last)}@example.{('net', 'org', 'com')[n % 3]}",
            # Belgian mobile numbers (+32 47x xx xx xx), all valid for libphonenumber.
            phone=f"+3247{n % 10}{(n * 7919 + 123457) % 1_000_000:06d}",
            date_of_birth=dt.date(1975 + (n * 7) % 25, 1 + (n * 5) % 12, 1 + (n * 11) % 28),
            cv_text=cvs[n % len(cvs)], motivation=data.MOTIVATION[language],
        ))
    return Candidate.objects.bulk_create(candidates)


@dataclass(frozen=True)
class _Slot:
    day: dt.date
    start: int  # minutes after midnight, local time
    jury: str
    proctor: str


class _Planner:
    """Places the procedure's candidates in slots: some today, the rest spread over two weeks."""

    def __init__(self, procedure, candidates, users, rooms, now):
        self.procedure, self.candidates, self.users, self.rooms, self.now = procedure, candidates, users, rooms, now
        self.juries = {jury.name: jury for jury in procedure.juries.all()}
        self.dutch = procedure.has_pre_stage  # the Dutch demo procedure is the one with a case

    def _today_start(self) -> int:
        """Half an hour ago rounded up to the quarter, so one session is under way, but all of
        today's sessions end before midnight and none starts before 08:00."""
        minutes = self.now.hour * 60 + self.now.minute - 30
        minutes = -(-minutes // GAP) * GAP
        return max(8 * 60, min(minutes, 19 * 60 + 30))

    def _slots(self) -> list[_Slot]:
        today = self.now.date()
        s = self._today_start()
        if self.dutch:
            todays = [_Slot(today, s, "Jury A", "proctor1"), _Slot(today, s + 135, "Jury A", "proctor1")]
            pattern = [(9 * 60, "Jury A", "proctor1"), (9 * 60, "Jury B", "proctor2"), (13 * 60 + 30, "Jury A", "proctor1")]
        else:
            todays = [_Slot(today, s + k * 75, "Jury C", "proctor2") for k in range(3)]
            pattern = [(13 * 60 + 30, "Jury C", "proctor2"), (15 * 60, "Jury C", "proctor2")]
        closed = closed_days({today.year, today.year + 1})
        days = [today + dt.timedelta(days=d) for d in range(1, 15)]
        later = [_Slot(day, start, jury, proctor) for day in days if is_working_day(day, closed)
                 for start, jury, proctor in pattern]
        wanted = SCHEDULED[self.procedure.reference] - len(todays)
        # Spread the remaining candidates evenly over the two weeks.
        return todays + [later[k * len(later) // wanted] for k in range(wanted)]

    def _at(self, day: dt.date, minutes: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60)))

    def _link(self, kind: str, candidate: Candidate, index: int) -> tuple[str, str]:
        token = hashlib.sha256(f"{self.procedure.reference}-{kind}-{candidate.email}".encode()).hexdigest()[:24]
        if self.dutch:
            return Appointment.Platform.TEAMS, f"https://teams.example.org/l/meetup-join/19%3ameeting_{token}%40thread.v2/0"
        if index % 2:
            return Appointment.Platform.JITSI, f"https://jitsi.example.org/interviewdesk-{token[:12]}"
        return Appointment.Platform.SKYPE, f"https://meet.example.org/selection/{token[:10]}"

    def _plan(self, candidate, kind, starts_at, minutes, index, **extra) -> Appointment:
        platform, url = self._link(kind, candidate, index)
        appointment = Appointment(procedure=self.procedure, candidate=candidate, kind=kind, starts_at=starts_at,
                                  ends_at=starts_at + dt.timedelta(minutes=minutes), platform=platform, join_url=url,
                                  **extra)
        return appointment_plan(actor=self.users["officer"], appointment=appointment)

    @staticmethod
    def _invite(appointment: Appointment, officer) -> None:
        """The officer's send for one appointment. Today's sessions may already have begun when the demo
        loads (it loads at any hour): their invitations were sent days before in the story, so the send
        skips the "already started" refusal of the officer's button, as a bulk send checks for itself."""
        with transaction.atomic():
            locked = appointments_for_sending().get(pk=appointment.pk)
            invitation_send_locked(appointment=locked, actor=officer)
        appointment.refresh_from_db()

    def plan(self) -> None:
        officer = self.users["officer"]
        p = self.procedure
        slots = self._slots()
        first_later_day = next((slot.day for slot in slots if slot.day != self.now.date()), None)
        for index, (candidate, slot) in enumerate(zip(self.candidates, slots, strict=False)):
            # One candidate per procedure takes part from a room the service provides.
            room = self.rooms[1 if self.dutch else 0] if index == 3 else None
            mode = Appointment.Mode.PROVIDED_ROOM if room else Appointment.Mode.HOME
            proctor = self.users[slot.proctor]
            start = self._at(slot.day, slot.start)
            made = []
            if p.has_pre_stage:
                made.append(self._plan(candidate, Appointment.Kind.PREPARATION, start, p.pre_stage_minutes, index,
                                       proctor=proctor, room=room, mode=mode))
                start += dt.timedelta(minutes=p.pre_stage_minutes + GAP)
            made.append(self._plan(candidate, Appointment.Kind.INTERVIEW, start, p.interview_minutes, index,
                                   jury=self.juries[slot.jury], proctor=proctor, room=room, mode=mode))
            # Today's sessions are invited and accepted, the next working day's invited, the rest still planned.
            # Both go through the product's own paths: the officer's send (invitation e-mails queued) and the
            # candidate's acceptance, as from the portal's button or a calendar's ACCEPTED reply.
            steps = {self.now.date(): ["invited", "confirmed"], first_later_day: ["invited"]}.get(slot.day, [])
            for appointment in made:
                if "invited" in steps:
                    self._invite(appointment, officer)
                if "confirmed" in steps:
                    appointment_accept(candidate=candidate, appointment=appointment)
        if self.dutch and first_later_day:
            # A group connection test at the end of the first working day for three later candidates.
            for k, candidate in enumerate(self.candidates[SCHEDULED[p.reference] - 3:SCHEDULED[p.reference]]):
                self._plan(candidate, Appointment.Kind.CONNECTION_TEST, self._at(first_later_day, 16 * 60 + 30 + 15 * k),
                           15, k, proctor=self.users["proctor1"])
