"""Planning, moving, cancelling appointments, with conflict checks.

Conflicts (a candidate, a jury member, a proctor or a room in two active appointments
at once) are refused here on every database; on PostgreSQL exclusion constraints
(migration 0002) also stop two concurrent requests that each passed the check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from interviewdesk.core import localtime
from interviewdesk.core.audit import audit_record
from interviewdesk.core.batching import update

from .models import Appointment
from .signals import appointment_changed

# Changing any of these must reach the candidate's calendar (iCalendar SEQUENCE + 1).
CALENDAR_FIELDS = ("starts_at", "ends_at", "join_url", "platform", "mode", "room_id")
EDITABLE_FIELDS = (*CALENDAR_FIELDS, "jury_id", "proctor_id")
# Changing any of these asks the candidate to answer again: a confirmed appointment goes back to
# invited (a new link or platform is only news, not a new question).
REANSWER_FIELDS = ("starts_at", "ends_at", "mode", "room_id")


@dataclass(frozen=True)
class Conflict:
    what: str  # "candidate", "jury member", "proctor", "room"
    name: str
    other: Appointment

    def message(self) -> str:
        start = timezone.localtime(self.other.starts_at)
        end = timezone.localtime(self.other.ends_at)
        return _("%(what)s %(name)s already has %(kind)s on %(day)s %(start)s–%(end)s (%(zone)s).") % {
            "what": self.what,
            "name": self.name,
            "kind": self.other.get_kind_display(),
            "day": date_format(start, "DATE_FORMAT"),
            "start": start.strftime("%H:%M"),
            "end": end.strftime("%H:%M"),
            "zone": start.tzname(),
        }


class SchedulingConflict(ValidationError):
    def __init__(self, conflicts: list[Conflict]):
        self.conflicts = conflicts
        super().__init__([c.message() for c in conflicts], code="conflict")


def _people(appointment: Appointment) -> dict[int, str]:
    """Staff user id → display name of everybody the appointment needs."""
    people: dict[int, str] = {}
    if appointment.jury is not None:
        jury = appointment.jury
        prefetched = "members" in getattr(jury, "_prefetched_objects_cache", {})
        for member in jury.members.all() if prefetched else jury.members.select_related("user"):
            people[member.user_id] = str(member.user)
    if appointment.proctor_id:
        people[appointment.proctor_id] = str(appointment.proctor)
    return people


def find_conflicts(appointment: Appointment) -> list[Conflict]:
    """Active appointments that overlap this one and share a candidate, a staff member or a room."""
    overlapping = (
        Appointment.objects.filter(
            status__in=Appointment.ACTIVE_STATUSES,
            starts_at__lt=appointment.ends_at,
            ends_at__gt=appointment.starts_at,
        )
        .exclude(pk=appointment.pk)
        .select_related("candidate", "room", "proctor", "jury")
        .prefetch_related("jury__members__user")
    )
    people = _people(appointment)
    relevant = Q(candidate_id=appointment.candidate_id) | Q(proctor_id__in=people) | Q(jury__members__user_id__in=people)
    if appointment.room_id:
        relevant |= Q(room_id=appointment.room_id)
    conflicts: list[Conflict] = []
    for other in overlapping.filter(relevant).distinct():
        if other.candidate_id == appointment.candidate_id:
            conflicts.append(Conflict(_("Candidate"), other.candidate.full_name, other))
        if appointment.room_id and other.room_id == appointment.room_id:
            conflicts.append(Conflict(_("Room"), str(other.room), other))
        other_people = _people(other)
        both_tests = appointment.kind == other.kind == Appointment.Kind.CONNECTION_TEST
        for user_id in sorted(set(people) & set(other_people)):
            # A proctor may hold a group connection test: several candidates at once.
            if both_tests and user_id == other.proctor_id == appointment.proctor_id:
                continue
            role = _("Proctor") if user_id == other.proctor_id else _("Jury member")
            conflicts.append(Conflict(role, people[user_id], other))
    return conflicts


def staff_busy(*, user_ids, start: dt.datetime, end: dt.datetime) -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
    """{user id: [(start, end)]} of the active appointments between `start` and `end` that hold
    these staff members, by the rule `find_conflicts` applies (one query, for pages that list
    many slots): a proctor's own connection tests do not count, as a proctor may hold a group
    test, i.e. several candidates at once."""
    user_ids = set(user_ids)
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {uid: [] for uid in user_ids}
    if not user_ids:
        return busy
    others = (Appointment.objects.filter(status__in=Appointment.ACTIVE_STATUSES, starts_at__lt=end, ends_at__gt=start)
              .filter(Q(proctor_id__in=user_ids) | Q(jury__members__user_id__in=user_ids)).distinct()
              .select_related("proctor", "jury").prefetch_related("jury__members__user"))
    for other in others:
        for user_id in set(_people(other)) & user_ids:
            if other.kind == Appointment.Kind.CONNECTION_TEST and other.proctor_id == user_id:
                continue
            busy[user_id].append((other.starts_at, other.ends_at))
    return busy


def _validate(appointment: Appointment) -> None:
    errors = []
    for value in (appointment.starts_at, appointment.ends_at):
        try:
            localtime.check_zoned(value)  # a wall-clock time that does not exist, or happens twice
        except ValidationError as exc:
            errors.extend(exc.messages)
    # Compare instants in UTC: two datetimes sharing a zoneinfo compare by wall-clock time,
    # which is wrong across a daylight-saving change.
    if appointment.ends_at.astimezone(dt.UTC) <= appointment.starts_at.astimezone(dt.UTC):
        errors.append(_("The end must be after the start."))
    if appointment.candidate.procedure_id != appointment.procedure_id:
        errors.append(_("The candidate belongs to another procedure."))
    if appointment.jury is not None and appointment.jury.procedure_id != appointment.procedure_id:
        errors.append(_("The jury belongs to another procedure."))
    if appointment.kind == Appointment.Kind.INTERVIEW and not appointment.jury_id:
        errors.append(_("An interview needs a jury."))
    if appointment.mode == Appointment.Mode.PROVIDED_ROOM and not appointment.room_id:
        errors.append(_("Choose the room the candidate will use."))
    if errors:
        raise ValidationError(errors)
    conflicts = find_conflicts(appointment)
    if conflicts:
        raise SchedulingConflict(conflicts)


def _save_checked(appointment: Appointment) -> None:
    """Save, turning a PostgreSQL exclusion-constraint violation (a concurrent booking) into a conflict."""
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError as exc:
        conflicts = find_conflicts(appointment)
        if conflicts:
            raise SchedulingConflict(conflicts) from exc
        raise


@transaction.atomic
def appointment_plan(*, actor, appointment: Appointment) -> Appointment:
    """Save a new (unsaved) appointment after validation and conflict checks."""
    if appointment.pk:
        raise ValueError("appointment_plan takes a new appointment")
    appointment.status = Appointment.Status.PLANNED
    _validate(appointment)
    _save_checked(appointment)
    audit_record(actor=actor, action="appointment.planned", obj=appointment, procedure_id=appointment.procedure_id,
                 to_state=appointment.status,
                 changes={"starts_at": (None, appointment.starts_at.isoformat())})
    appointment_changed.send(sender=Appointment, appointment=appointment, change="planned", actor=actor, fields=())
    return appointment


@transaction.atomic
def appointment_update(*, actor, appointment: Appointment, reason: str = "", **values) -> Appointment:
    """Move an appointment or change its link, mode, room, jury or proctor.

    A change the candidate's calendar must apply raises the iCalendar SEQUENCE; one they must answer
    again (REANSWER_FIELDS) takes a confirmed appointment back to invited.
    A stopped or no-show interview that gets a new time goes back to planned.
    """
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if locked.status in (Appointment.Status.CANCELLED, Appointment.Status.DONE):
        raise ValidationError(_("A %(status)s appointment can no longer be changed.") % {"status": locked.get_status_display()})
    changes = {name: (getattr(locked, name), value) for name, value in values.items() if getattr(locked, name) != value}
    if not changes:
        return locked
    from_state = to = locked.status
    if locked.status in (Appointment.Status.STOPPED, Appointment.Status.NO_SHOW):
        if "starts_at" not in changes:
            raise ValidationError(_("Choose a new time for a stopped or missed interview."))
        to = Appointment.Status.PLANNED
    elif locked.status == Appointment.Status.CONFIRMED and set(changes) & set(REANSWER_FIELDS):
        to = Appointment.Status.INVITED  # (the candidate answers the new time again)
    if to != from_state:
        _refuse_unless_allowed(locked, to)  # (saved and audited below, with the other changes)
    for name, (_old, new) in changes.items():
        setattr(locked, name, new)
    locked.status = to
    if locked.starts_at <= timezone.now() and "starts_at" in changes:
        raise ValidationError(_("The new time must be in the future."))
    _validate(locked)
    if set(changes) & set(CALENDAR_FIELDS):
        locked.sequence += 1
    _save_checked(locked)
    audit_record(actor=actor, action="appointment.updated", obj=locked, procedure_id=locked.procedure_id,
                 from_state=from_state, to_state=locked.status, changes=changes, reason=reason)
    appointment_changed.send(sender=Appointment, appointment=locked, change="updated", actor=actor,
                             fields=tuple(changes))
    return locked


@transaction.atomic
def appointment_place_changed(*, actor, appointment: Appointment, reason: str = "") -> Appointment:
    """The room the appointment is held in now reads differently (its address or name was edited):
    the calendar's copy must follow, so the SEQUENCE goes up and whoever holds a copy gets the
    update (messaging). Answers stand: the place is the same room."""
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if not locked.is_active:
        return locked
    locked.sequence += 1
    locked.save(update_fields=["sequence"])
    audit_record(actor=actor, action="appointment.updated", obj=locked, procedure_id=locked.procedure_id,
                 from_state=locked.status, to_state=locked.status, changes={"place": (None, str(locked.room))},
                 reason=reason)
    appointment_changed.send(sender=Appointment, appointment=locked, change="updated", actor=actor, fields=("place",))
    return locked


def appointment_set_status(*, actor, appointment: Appointment, to: str, reason: str = "",
                           actor_label: str = "", locked: bool = False) -> Appointment:
    """The one place an appointment's status changes. Refuses transitions not in Appointment.TRANSITIONS.

    `locked=True`: the caller holds the row's lock in its open transaction and `appointment` is
    that fresh row (a bulk send locks a whole group in one query), so it is neither read again
    nor wrapped in a savepoint of its own; a refusal is raised before anything is written."""
    if locked:
        return _status_write(actor, appointment, to, reason, actor_label)
    with transaction.atomic():
        current = Appointment.objects.select_for_update().get(pk=appointment.pk)
        return _status_write(actor, current, to, reason, actor_label)


def _refuse_unless_allowed(appointment: Appointment, to: str) -> None:
    """Every status change, here or in `appointment_update`, is checked against Appointment.TRANSITIONS."""
    if to not in Appointment.TRANSITIONS[appointment.status]:
        raise ValidationError(
            _("An appointment that is %(from)s cannot become %(to)s.")
            % {"from": appointment.get_status_display(), "to": Appointment.Status(to).label}
        )


def _status_write(actor, locked: Appointment, to: str, reason: str, actor_label: str) -> Appointment:
    _refuse_unless_allowed(locked, to)
    from_state = locked.status
    locked.status = to
    if to == Appointment.Status.CANCELLED:
        locked.sequence += 1  # the CANCEL must outrank every earlier REQUEST
    update(locked, ["status", "sequence", "updated_at"])  # (in a bulk send: one UPDATE for the group)
    audit_record(actor=actor, action="appointment.status", obj=locked, procedure_id=locked.procedure_id,
                 from_state=from_state, to_state=to, reason=reason, actor_label=actor_label)
    change = "cancelled" if to == Appointment.Status.CANCELLED else "status"
    appointment_changed.send(sender=Appointment, appointment=locked, change=change, actor=actor, fields=("status",))
    return locked


def appointment_cancel(*, actor, appointment: Appointment, reason: str = "") -> Appointment:
    return appointment_set_status(actor=actor, appointment=appointment, to=Appointment.Status.CANCELLED, reason=reason)
