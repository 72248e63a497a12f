"""Every change the set-up pages make: one function per user action, one transaction, audited.

Procedures, their function profile, people (memberships, invited staff), juries, rooms and
availability. Views call these; the Django admin is not a product path for any of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from interviewdesk.assessment.models import ScoreSheet
from interviewdesk.assessment.services import aggregation_set
from interviewdesk.core.audit import audit_record
from interviewdesk.core.models import ClosureDay
from interviewdesk.messaging.services import Recipient, message_queue
from interviewdesk.procedures.house_rules import LANGUAGES as RULE_LANGUAGES
from interviewdesk.procedures.house_rules import (
    built_in_rules,
    follows_service,
    forget_links_for_mail,
    house_rules_for,
    service_link,
    service_rules,
    split_lines,
)
from interviewdesk.procedures.models import (
    Competency,
    Jury,
    JuryMember,
    Membership,
    Procedure,
    ProfileCompetency,
    Role,
    Room,
    RoomFreeDay,
    ServiceHouseRules,
    StaffAvailability,
)
from interviewdesk.procedures.services import normalize_email
from interviewdesk.procedures.signals import jury_changed
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_place_changed

from .selectors import ROOM_PLACE_FIELDS, room_coming_appointments

User = get_user_model()
HalfDaySlot = tuple[dt.date, str]
JURY_ROLE_TO_PROCEDURE_ROLE = {JuryMember.Role.CHAIR: Role.JURY_CHAIR, JuryMember.Role.ASSESSOR: Role.ASSESSOR}


def _changes(instance, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {name: (getattr(instance, name), value) for name, value in values.items() if getattr(instance, name) != value}


# --- procedures ---------------------------------------------------------------------------------

@transaction.atomic
def procedure_create(*, actor, aggregation: str | None = None, **values) -> Procedure:
    """A new draft procedure; the person creating it becomes its selection officer."""
    if not actor.has_perm("procedures.add_procedure"):
        raise PermissionDenied
    procedure = Procedure(status=Procedure.Status.DRAFT, **values)
    procedure.full_clean()
    procedure.save()
    Membership.objects.create(procedure=procedure, user=actor, role=Role.SELECTION_OFFICER)
    if aggregation:
        aggregation_set(procedure=procedure, actor=actor, aggregation=aggregation)
    audit_record(actor=actor, action="procedure.created", obj=procedure, procedure_id=procedure.pk)
    return procedure


@transaction.atomic
def procedure_update(*, actor, procedure: Procedure, aggregation: str | None = None, **values) -> Procedure:
    """Change a procedure's settings; the audit entry lists each changed field from → to."""
    locked = Procedure.objects.select_for_update().get(pk=procedure.pk)
    changes = _changes(locked, values)
    for name, (_old, new) in changes.items():
        setattr(locked, name, new)
    if changes:
        locked.full_clean()
        locked.save()
        audit_record(actor=actor, action="procedure.updated", obj=locked, procedure_id=locked.pk, changes=changes)
    if aggregation:
        aggregation_set(procedure=locked, actor=actor, aggregation=aggregation)
    return locked


@transaction.atomic
def profile_set(*, actor, procedure: Procedure, competencies: list[tuple[Competency, Any]]) -> None:
    """Replace the function profile by `competencies` (in order, with weights).

    Refused once interviews have been scored: the score sheets are built on the profile."""
    if ScoreSheet.objects.filter(appointment__procedure=procedure).exists():
        raise ValidationError(_("Interviews of this procedure have been scored: the function profile can no longer "
                                "change."))
    if not competencies:
        raise ValidationError(_("Choose at least one competency."))
    dictionaries = {competency.dictionary_id for competency, _weight in competencies}
    if len(dictionaries) > 1:
        raise ValidationError(_("All competencies of a profile come from the same dictionary version."))
    before = list(procedure.profile.values_list("competency_id", flat=True))
    procedure.profile.all().delete()
    ProfileCompetency.objects.bulk_create([
        ProfileCompetency(procedure=procedure, competency=competency, order=order, weight=weight)
        for order, (competency, weight) in enumerate(competencies)
    ])
    audit_record(actor=actor, action="procedure.profile_set", obj=procedure, procedure_id=procedure.pk,
                 changes={"profile": (before, [competency.pk for competency, _weight in competencies])})


@transaction.atomic
def house_rules_set(*, actor, procedure: Procedure, texts: dict[str, str]) -> Procedure:
    """Set the house rules candidates read, per language (one rule per line). A language left empty,
    or equal to the service's rules, keeps following the service's rules. A change of what any
    candidate reads raises the version, so acceptances of the earlier text are asked again."""
    locked = Procedure.objects.select_for_update().get(pk=procedure.pk)
    stored = {}
    for language in RULE_LANGUAGES:
        lines = split_lines(texts.get(language, ""))
        if lines and lines != service_rules(language):
            stored[language] = "\n".join(lines)
    before = {language: house_rules_for(locked, language) for language in RULE_LANGUAGES}
    locked.house_rules = stored
    changed = [language for language in RULE_LANGUAGES if house_rules_for(locked, language) != before[language]]
    if not changed:
        return locked
    old_version = locked.house_rules_version
    locked.house_rules_version = old_version + 1
    locked.save(update_fields=["house_rules", "house_rules_version"])
    audit_record(actor=actor, action="procedure.house_rules_changed", obj=locked, procedure_id=locked.pk,
                 changes={"version": (old_version, locked.house_rules_version), "languages": (None, changed)})
    return locked


def current_service_house_rules() -> ServiceHouseRules | None:
    return ServiceHouseRules.objects.select_related("created_by").order_by("-version").first()


def may_edit_service_house_rules(user) -> bool:
    """The service-wide house rules are for whoever may set up procedures (docs/setup.md)."""
    return user_may_create_procedures(user)


@transaction.atomic
def service_house_rules_set(*, actor, texts: dict[str, str], links: dict[str, str]) -> ServiceHouseRules | None:
    """Write a new version of the service's house rules (per language: one rule per line, and an
    optional link to the full rules). A text equal to the built-in one is not stored, so the product's
    own wording keeps following its translations. When what candidates read changes in a language,
    every procedure still running that follows the service's rules in that language gets a new
    house rules version: its candidates who accepted the earlier text are asked to accept again.
    Returns the new version, or None when nothing changed."""
    if not may_edit_service_house_rules(actor):
        raise PermissionDenied
    current = ServiceHouseRules.objects.select_for_update().order_by("-version").first()
    new_texts, new_links = {}, {}
    for language in RULE_LANGUAGES:
        lines = split_lines(texts.get(language, ""))
        with translation.override(language):
            if lines and lines != built_in_rules():
                new_texts[language] = "\n".join(lines)
        if links.get(language, "").strip():
            new_links[language] = links[language].strip()
    before = {language: (service_rules(language, current=current), service_link(language, current=current))
              for language in RULE_LANGUAGES}
    candidate = ServiceHouseRules(version=(current.version if current else 0) + 1, texts=new_texts, links=new_links,
                                  created_by=actor)
    changed = [language for language in RULE_LANGUAGES
               if (service_rules(language, current=candidate), service_link(language, current=candidate))
               != before[language]]
    if not changed:
        return None
    candidate.save()
    forget_links_for_mail()
    transaction.on_commit(forget_links_for_mail)  # a mail rendered meanwhile may have cached the old links
    audit_record(actor=actor, action="service.house_rules_changed", obj=candidate,
                 changes={"version": (current.version if current else 0, candidate.version),
                          "languages": (None, changed)})
    running = Procedure.objects.select_for_update().exclude(status=Procedure.Status.CLOSED).order_by("pk")
    for procedure in running:
        if not any(follows_service(procedure, language) for language in changed):
            continue
        old_version = procedure.house_rules_version
        procedure.house_rules_version = old_version + 1
        procedure.save(update_fields=["house_rules_version"])
        audit_record(actor=actor, action="procedure.house_rules_changed", obj=procedure, procedure_id=procedure.pk,
                     changes={"version": (old_version, procedure.house_rules_version),
                              "languages": (None, [language for language in changed
                                                   if follows_service(procedure, language)])},
                     reason="service house rules changed")
    return candidate


# --- people -------------------------------------------------------------------------------------

def _proctored_count(procedure: Procedure, user) -> int:
    """Coming active appointments `user` proctors in this procedure."""
    return Appointment.objects.filter(procedure=procedure, proctor=user, status__in=Appointment.ACTIVE_STATUSES,
                                      starts_at__gte=timezone.now()).count()


@transaction.atomic
def membership_add(*, actor, procedure: Procedure, user, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    if not user.is_active and user.has_usable_password():
        raise ValidationError(_("This account is disabled."))
    membership, created = Membership.objects.get_or_create(procedure=procedure, user=user, role=role)
    if created:
        audit_record(actor=actor, action="membership.added", obj=membership, procedure_id=procedure.pk,
                     changes={"role": ("", role), "user": ("", user.pk)})
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """Refused while the role is still in use: a jury seat, or coming appointments to proctor."""
    procedure, user, role = membership.procedure, membership.user, membership.role
    seats: dict[str, str] = {Role.JURY_CHAIR: JuryMember.Role.CHAIR, Role.ASSESSOR: JuryMember.Role.ASSESSOR}
    jury_role = seats.get(role)
    if jury_role and JuryMember.objects.filter(jury__procedure=procedure, user=user, role=jury_role).exists():
        raise ValidationError(_("%(name)s still sits on a jury of this procedure in that role: change the jury "
                                "first.") % {"name": user})
    proctored = _proctored_count(procedure, user) if role == Role.PROCTOR else 0
    if proctored:
        raise ValidationError(_("%(name)s proctors %(n)d coming appointments: give them another proctor first.")
                              % {"name": user, "n": proctored})
    if role == Role.SELECTION_OFFICER and procedure.memberships.filter(role=Role.SELECTION_OFFICER).count() == 1:
        raise ValidationError(_("A procedure needs at least one selection officer."))
    audit_record(actor=actor, action="membership.removed", obj=membership, procedure_id=procedure.pk,
                 changes={"role": (role, ""), "user": (user.pk, "")})
    membership.delete()


def _unique_username(email: str) -> str:
    base = email.split("@")[0][:100] or "staff"
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


@transaction.atomic
def staff_invite(*, actor, procedure: Procedure, email: str, first_name: str, last_name: str, language: str,
                 role: str) -> Membership:
    """Give a person who has no account yet a role: an account without a password and an e-mail
    (through the outbox, in the same transaction) with a link to choose one.

    An e-mail that already belongs to an account is refused: pick that person from the list."""
    email = normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("Somebody already has an account with this e-mail address: choose them in the list "
                                "of existing staff."))
    user = User(username=_unique_username(email), email=email, first_name=first_name.strip(),
                last_name=last_name.strip(), language=language)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor, action="staff.invited", obj=user, procedure_id=procedure.pk,
                 changes={"role": ("", role)})
    membership = membership_add(actor=actor, procedure=procedure, user=user, role=role)
    link = settings.SITE_URL.rstrip("/") + reverse("setup:welcome", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
    message_queue(kind="staff_account", to=Recipient(email=user.email, name=user.get_full_name(), language=language),
                  template="staff_account", procedure=procedure,
                  context={"procedure": procedure, "role": Role(role).label, "link": link, "inviter": str(actor),
                           "username": user.username})
    return membership


# --- juries -------------------------------------------------------------------------------------

@transaction.atomic
def jury_save(*, actor, procedure: Procedure, jury: Jury | None, name: str, languages: list[str], chair,
              assessors: Iterable) -> Jury:
    """Create or change a jury: a chair, assessors, the languages it takes.

    Members get the matching role in the procedure; a member who leaves keeps the role (remove
    it on the people page when they have no other seat)."""
    assessors = list(dict.fromkeys(assessors))
    if chair in assessors:
        raise ValidationError(_("The chair cannot also be an assessor of the same jury."))
    if not assessors:
        raise ValidationError(_("A jury needs at least one assessor besides the chair."))
    if not languages:
        raise ValidationError(_("Choose at least one language the jury takes interviews in."))
    wrong = [code for code in languages if code not in procedure.languages]
    if wrong:
        raise ValidationError(_("This procedure has no candidates in %(languages)s.") % {"languages": ", ".join(wrong)})
    namesakes = Jury.objects.filter(procedure=procedure, name__iexact=name.strip())
    if (namesakes.exclude(pk=jury.pk) if jury is not None else namesakes).exists():
        raise ValidationError(_("Another jury of this procedure already has this name."))
    created = jury is None
    before = {} if jury is None else {
        "name": jury.name, "languages": jury.languages,
        "members": sorted(f"{m.role}:{m.user_id}" for m in jury.members.all()),
    }
    jury = jury or Jury(procedure=procedure)
    jury.name, jury.languages = name.strip(), list(languages)
    jury.save()
    wanted = {chair.pk: JuryMember.Role.CHAIR, **{user.pk: JuryMember.Role.ASSESSOR for user in assessors}}
    jury.members.exclude(user_id__in=wanted).delete()
    existing = {m.user_id: m for m in jury.members.all()}
    # The chair changes last-to-first so the one-chair constraint never sees two chairs.
    for member in existing.values():
        if member.role != wanted[member.user_id] and member.role == JuryMember.Role.CHAIR:
            member.role = wanted[member.user_id]
            member.save(update_fields=["role"])
    for user_id, role in wanted.items():
        seat = existing.get(user_id)
        if seat is None:
            JuryMember.objects.create(jury=jury, user_id=user_id, role=role)
        elif seat.role != role:
            seat.role = role
            seat.save(update_fields=["role"])
    for user in [chair, *assessors]:
        membership_add(actor=actor, procedure=procedure, user=user, role=JURY_ROLE_TO_PROCEDURE_ROLE[wanted[user.pk]])
    after = {"name": jury.name, "languages": jury.languages,
             "members": sorted(f"{role}:{user_id}" for user_id, role in wanted.items())}
    audit_record(actor=actor, action="jury.created" if created else "jury.updated", obj=jury, procedure_id=procedure.pk,
                 changes={key: (before.get(key), value) for key, value in after.items() if before.get(key) != value})
    if not created and before["members"] != after["members"]:
        # The jury's coming meetings change co-organizers (meetings), in this transaction.
        jury_changed.send(sender=Jury, jury=jury, actor=actor)
    return jury


# --- rooms --------------------------------------------------------------------------------------

@transaction.atomic
@transaction.atomic
def room_save(*, actor, room: Room | None, **values) -> Room:
    """Create or edit a room. A new name or address reaches the calendars: every coming appointment
    in the room gets SEQUENCE + 1, and whoever was sent it an update (`appointment_place_changed`),
    as the confirmation (impact.room_change_impact) says."""
    needed = "procedures.change_room" if room else "procedures.add_room"
    if not actor.has_perm(needed):
        raise PermissionDenied
    created = room is None
    room = room or Room()
    changes = _changes(room, values) if not created else {name: ("", value) for name, value in values.items()}
    for name, value in values.items():
        setattr(room, name, value)
    room.full_clean()
    room.save()
    if changes:
        audit_record(actor=actor, action="room.created" if created else "room.updated", obj=room, changes=changes)
    if not created and set(changes) & set(ROOM_PLACE_FIELDS):
        for appointment in room_coming_appointments(room).order_by("starts_at", "pk"):
            appointment_place_changed(actor=actor, appointment=appointment, reason="room name or address changed")
    return room


def _replace_half_days(rows, wanted: set[HalfDaySlot], make) -> tuple[list, list]:
    """Delete rows (a queryset already limited to the shown days) not in `wanted`, add the missing ones."""
    have = {(row.date, row.part): row for row in rows}
    gone = [slot for slot in have if slot not in wanted]
    new = sorted(slot for slot in wanted if slot not in have)
    if gone:
        rows.filter(pk__in=[have[slot].pk for slot in gone]).delete()
    if new:
        rows.model.objects.bulk_create([make(day, part) for day, part in new])
    return gone, new


@transaction.atomic
def room_free_days_set(*, actor, room: Room, days: list[dt.date], free: set[HalfDaySlot]) -> None:
    """The room is free on exactly the half-days `free` among `days` (other days are untouched)."""
    if not actor.has_perm("procedures.change_room"):
        raise PermissionDenied
    gone, new = _replace_half_days(RoomFreeDay.objects.filter(room=room, date__in=days), free,
                                   lambda day, part: RoomFreeDay(room=room, date=day, part=part))
    if gone or new:
        audit_record(actor=actor, action="room.free_days", obj=room,
                     changes={"added": ("", [f"{d}:{p}" for d, p in new]),
                              "removed": ([f"{d}:{p}" for d, p in gone], "")})


# --- availability -------------------------------------------------------------------------------

def availability_people(procedure: Procedure):
    """Who enters availability for a procedure: its jury members and proctors, by name."""
    return User.objects.filter(
        memberships__procedure=procedure,
        memberships__role__in=(Role.JURY_CHAIR, Role.ASSESSOR, Role.PROCTOR),
    ).distinct().order_by("last_name", "first_name", "id")


@transaction.atomic
def staff_availability_set(*, actor, procedure: Procedure, user, answers: dict[HalfDaySlot, bool]) -> int:
    """Store `user`'s answers (available or not) for the given half-days of the planning window.

    Returns the number of half-days that changed."""
    window = set(procedure.planning_days())
    outside = [day for day, _part in answers if day not in window]
    if outside:
        raise ValidationError(_("%(day)s is outside the planning window.") % {"day": outside[0]})
    existing = {(row.date, row.part): row for row in StaffAvailability.objects.filter(
        procedure=procedure, user=user, date__in={day for day, _part in answers})}
    changed, new = [], []
    for slot, available in answers.items():
        row = existing.get(slot)
        if row is None:
            new.append(StaffAvailability(procedure=procedure, user=user, date=slot[0], part=slot[1], available=available))
        elif row.available != available:
            row.available = available
            changed.append(row)
    StaffAvailability.objects.bulk_create(new)
    if changed:
        StaffAvailability.objects.bulk_update(changed, ["available"])
    if new or changed:
        audit_record(actor=actor, action="availability.set", obj=user, procedure_id=procedure.pk,
                     changes={"half_days": ("", len(new) + len(changed))})
    return len(new) + len(changed)


def user_may_create_procedures(user) -> bool:
    """Who may set up a procedure at all: the Django permission procedures.add_procedure
    (given by the "Selection officers" group); docs/setup.md."""
    return bool(user.is_authenticated and user.has_perm("procedures.add_procedure"))


# --- closure days -------------------------------------------------------------------------------

def may_edit_closure_days(user) -> bool:
    """Closure days shape every procedure's planning window and the room-request deadline: like the
    service's house rules, they are for whoever may set up procedures."""
    return user_may_create_procedures(user)


@transaction.atomic
def closure_day_add(*, actor, date: dt.date, kind: str, name: str = "") -> ClosureDay:
    day = ClosureDay.objects.create(date=date, kind=kind, name=name)
    audit_record(actor=actor, action="closure_day.added", obj=day,
                 changes={"date": (None, date.isoformat()), "kind": (None, kind), "name": (None, name)})
    return day


@transaction.atomic
def closure_day_remove(*, actor, day: ClosureDay) -> None:
    audit_record(actor=actor, action="closure_day.removed", obj=day,
                 changes={"date": (day.date.isoformat(), None), "name": (day.name, None)})
    day.delete()
