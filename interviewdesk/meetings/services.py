"""Making, moving and deleting the meetings of appointments.

`appointment_meeting_sync` runs inside the scheduling transaction (receiver of
`appointment_changed`): it links the appointment to its meeting (made if needed), marks the
meeting for work (new times, or deletion) and hands it to the worker in the same transaction.
The worker (`meeting_work`) claims the row with one UPDATE that only one worker can win, calls the
provider outside any transaction and records the result only if its claim still holds. A worker
that dies leaves its claim, which the sweep takes again as soon as the worker's heartbeat stops
(core.workers: ABANDONED_AFTER, so within about a minute with the 30 s sweep), or after
CLAIM_TIMEOUT for a claim made outside a worker process; the provider call is
idempotent (Graph createOrGet with the row's external id; a Jitsi room is its name), so a repeated
call never makes a second meeting.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import secrets
import time

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Min, Q
from django.utils import timezone

from interviewdesk.core.audit import audit_record
from interviewdesk.core.workers import BEAT_SECONDS, current_worker, workers_alive
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.signals import appointment_changed

from .models import GENERATED, TEST_SLOT, AppointmentMeeting, Meeting, MeetingSettings, Provider, Scope
from .providers import PROVIDERS, Made, PermanentError, Spec, TransientError
from .selectors import local_day, meeting_link, test_slot_key
from .signals import meeting_ready

log = logging.getLogger(__name__)

CLAIM_TIMEOUT = dt.timedelta(minutes=5)
# The sweep runs in the worker's heartbeat thread: it stops taking new meetings after this long, so
# the beats keep coming (other workers would take a silent worker's claims for abandoned).
SWEEP_BUDGET_SECONDS = BEAT_SECONDS
# Kinds that get a meeting made. A connection test is one appointment per candidate; the candidates
# who booked one slot (same proctor, same time) share its one meeting (TEST_SLOT).
MEETING_KINDS = (Appointment.Kind.INTERVIEW, Appointment.Kind.PREPARATION, Appointment.Kind.CONNECTION_TEST)
# Appointment changes a meeting must hear about.
MEETING_FIELDS = ("starts_at", "ends_at", "jury_id", "proctor_id")


def max_attempts() -> int:
    return getattr(settings, "MEETINGS_MAX_ATTEMPTS", 8)


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def meeting_settings_for(procedure) -> MeetingSettings | None:
    return MeetingSettings.objects.filter(procedure=procedure).first()


# ------------------------------------------------------------------------- linking (in the request)

def _wanted_scope(conf: MeetingSettings, appointment: Appointment) -> str:
    if appointment.kind == Appointment.Kind.CONNECTION_TEST:
        return TEST_SLOT  # the proctor holds the slot's candidates together, whatever the interviews do
    # A preparation has no jury: it always gets a meeting of its own.
    if conf.scope == Scope.JURY_DAY and appointment.kind == Appointment.Kind.INTERVIEW and appointment.jury_id:
        return Scope.JURY_DAY
    return Scope.APPOINTMENT


def _new_meeting(conf: MeetingSettings, appointment: Appointment, scope: str) -> Meeting:
    return Meeting(
        procedure_id=appointment.procedure_id, provider=conf.provider, scope=scope,
        jury_id=appointment.jury_id if scope == Scope.JURY_DAY else None,
        day=local_day(appointment.starts_at) if scope == Scope.JURY_DAY else None,
        group_key=test_slot_key(appointment) if scope == TEST_SLOT else "",
        organizer=conf.teams_organizer or getattr(settings, "MEETINGS_TEAMS_ORGANIZER", ""),
        base_url=conf.jitsi_base_url or getattr(settings, "MEETINGS_JITSI_BASE_URL", ""),
        app_id=conf.jitsi_app_id or getattr(settings, "MEETINGS_JITSI_APP_ID", ""),
        starts_at=appointment.starts_at, ends_at=appointment.ends_at)


def _target(conf: MeetingSettings, appointment: Appointment, current: Meeting | None) -> Meeting:
    scope = _wanted_scope(conf, appointment)
    if scope == Scope.APPOINTMENT:
        if current is not None and current.scope == Scope.APPOINTMENT and current.state != Meeting.State.DELETED \
                and current.provider == conf.provider:
            return current
        meeting = _new_meeting(conf, appointment, scope)
        meeting.save()
        return meeting
    if scope == TEST_SLOT:
        # (Bookings of one slot are serialised by the portal's lock on the slot row.)
        shared = (Meeting.objects.select_for_update()
                  .filter(procedure_id=appointment.procedure_id, scope=TEST_SLOT, group_key=test_slot_key(appointment))
                  .exclude(state=Meeting.State.DELETED).first())
        if shared is None:
            shared = _new_meeting(conf, appointment, scope)
            shared.save()
        return shared
    # A jury-day meeting: _wanted_scope gives it only to an interview that has its jury.
    assert appointment.jury_id is not None
    day = local_day(appointment.starts_at)
    standing = (Meeting.objects.select_for_update().filter(scope=Scope.JURY_DAY, jury_id=appointment.jury_id, day=day)
                .exclude(state=Meeting.State.DELETED).first())
    if standing is None:
        standing = _new_meeting(conf, appointment, scope)
        standing.save()
    return standing


def _window(meeting: Meeting) -> tuple[dt.datetime, dt.datetime] | None:
    """The span of the meeting's active appointments; None when none is left."""
    span = Appointment.objects.filter(meeting_link__meeting=meeting, status__in=Appointment.ACTIVE_STATUSES).aggregate(
        start=Min("starts_at"), end=Max("ends_at"))
    return (span["start"], span["end"]) if span["start"] else None


def _touch(meeting: Meeting, *, actor=None) -> None:
    """Work for the provider: the times and people as they are now, or deletion when no active
    appointment uses the meeting any more. Always sent again (the provider call is idempotent)."""
    window = _window(meeting)
    if window is None:
        if meeting.state == Meeting.State.DELETED:
            return
        meeting.delete_wanted = True
    else:
        meeting.starts_at, meeting.ends_at = window
        meeting.delete_wanted = False
    meeting.version += 1
    meeting.state = Meeting.State.PENDING
    meeting.next_try_at = None
    meeting.save()
    _hand_over(meeting, actor=actor)


def _hand_over(meeting: Meeting, *, actor=None) -> None:
    """A remote provider's work goes to the worker (a task written in this transaction); a local one
    (Jitsi: no network) is done at once."""
    from . import tasks  # (here, not at the top: tasks imports this module)

    if meeting.state != Meeting.State.PENDING:
        return
    if PROVIDERS[meeting.provider].remote:
        tasks.enqueue_meeting(meeting.pk)
    else:
        _run(meeting, claim="")


def _settings_of(appointment: Appointment, link: AppointmentMeeting | None) -> MeetingSettings | None:
    """The procedure's settings, or, for an appointment with a provider of its own, those settings with
    that provider and a meeting of its own (a jury-day meeting has one provider for all)."""
    conf = meeting_settings_for(appointment.procedure_id)
    if link is None or not link.provider:
        return conf
    own = copy.copy(conf) if conf is not None else MeetingSettings(procedure_id=appointment.procedure_id)
    own.provider, own.scope = link.provider, Scope.APPOINTMENT
    return own


def appointment_meeting_sync(*, appointment: Appointment, change: str, fields=(), actor=None) -> None:
    """Keep the appointment's meeting in step with it. Called inside the scheduling transaction."""
    if appointment.kind not in MEETING_KINDS:
        return
    if change == "status" or (change == "updated" and not set(fields) & set(MEETING_FIELDS)):
        return
    link = meeting_link(appointment)
    if change == "cancelled" or appointment.status not in Appointment.ACTIVE_STATUSES:
        if link is not None and link.meeting_id:
            _touch(Meeting.objects.select_for_update().get(pk=link.meeting_id), actor=actor)
        return
    if link is not None and link.manual:
        return
    conf = _settings_of(appointment, link)
    if conf is None or conf.provider not in GENERATED:
        return
    current = Meeting.objects.select_for_update().get(pk=link.meeting_id) if link and link.meeting_id else None
    target = _target(conf, appointment, current)
    if link is None:
        link = AppointmentMeeting(appointment=appointment, meeting=target)
        link.save()
        appointment.meeting_link = link
    elif link.meeting_id != target.pk:
        link.meeting = target
        link.save(update_fields=["meeting"])
        if current is not None and change == "updated" and not set(fields) & {"starts_at", "ends_at"} \
                and current.scope in (Scope.JURY_DAY, TEST_SLOT):
            # Another jury the same day (another proctor for a connection test): a new link the
            # candidate's calendar must take (SEQUENCE + 1),
            # which scheduling raises only for a new time. (Before messaging's receiver: INSTALLED_APPS order.)
            Appointment.objects.filter(pk=appointment.pk).update(sequence=F("sequence") + 1)
            appointment.sequence += 1
    if current is not None and current.pk != target.pk:
        _touch(current, actor=actor)
    _touch(target, actor=actor)


def meetings_jury_changed(*, jury, actor=None) -> int:
    """A jury's members changed (set-up): its coming meetings get the new co-organizers (the provider
    hears the people as they are now, as after a move). Called inside the set-up's transaction.
    Returns how many meetings were handed to the worker."""
    ids = set(AppointmentMeeting.objects.filter(
        appointment__jury=jury, appointment__status__in=Appointment.ACTIVE_STATUSES, meeting__ends_at__gt=timezone.now())
        .exclude(meeting__state=Meeting.State.DELETED).values_list("meeting_id", flat=True))
    # (Locked by id: PostgreSQL refuses FOR UPDATE with the DISTINCT a join through the links needs.)
    meetings = Meeting.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    touched = 0
    for meeting in meetings:
        _touch(meeting, actor=actor)
        touched += 1
    return touched


def meeting_settings_save(*, procedure, actor, provider: str, scope: str, teams_organizer: str = "",
                          jitsi_base_url: str = "", jitsi_app_id: str = "") -> MeetingSettings:
    """Set a procedure's meetings; coming appointments without a meeting get one."""
    with transaction.atomic():
        conf, _created = MeetingSettings.objects.select_for_update().get_or_create(procedure=procedure)
        before = {"provider": conf.provider, "scope": conf.scope, "teams_organizer": conf.teams_organizer,
                  "jitsi_base_url": conf.jitsi_base_url, "jitsi_app_id": conf.jitsi_app_id}
        after = {"provider": provider, "scope": scope, "teams_organizer": teams_organizer.strip(),
                 "jitsi_base_url": jitsi_base_url.strip(), "jitsi_app_id": jitsi_app_id.strip()}
        for name, value in after.items():
            setattr(conf, name, value)
        conf.save()
        changes = {k: (before[k], after[k]) for k in after if before[k] != after[k]}
        audit_record(actor=actor, action="meetings.settings", obj=conf, procedure_id=procedure.pk, changes=changes)
        if conf.provider in GENERATED:
            coming = (Appointment.objects.filter(procedure=procedure, kind__in=MEETING_KINDS,
                                                 status__in=Appointment.ACTIVE_STATUSES, starts_at__gt=timezone.now())
                      .filter(Q(meeting_link__isnull=True) | Q(meeting_link__meeting__isnull=True,
                                                               meeting_link__manual=False))
                      .select_related("procedure"))
            for appointment in coming:
                appointment_meeting_sync(appointment=appointment, change="planned", actor=actor)
    return conf


def meeting_invite_when_ready(*, appointment: Appointment) -> None:
    """Send the appointment's first invitation once its meeting is ready (messaging's
    on_meeting_ready): for a booking nobody else will send. Called in the booking's transaction."""
    AppointmentMeeting.objects.filter(appointment=appointment).update(invite_when_ready=True)


OVERRIDE_PROCEDURE = ""  # follow the procedure's choice
OVERRIDE_MANUAL = Provider.MANUAL


def meeting_override_set(*, appointment: Appointment, actor, provider: str, join_url: str = "",
                         reason: str = "") -> AppointmentMeeting | None:
    """This appointment's meeting: as the procedure chose (`""`), a typed link (`"manual"`, with
    `join_url`), or made by Teams or Jitsi whatever the procedure chose. One transaction, audited; the
    meeting is planned again (a meeting left without appointments is deleted) and, when the
    candidate's link changes on an invitation already sent, the update goes out (SEQUENCE + 1; held
    until a new meeting exists)."""
    if provider not in (OVERRIDE_PROCEDURE, OVERRIDE_MANUAL, *GENERATED):
        raise ValueError(f"unknown provider: {provider!r}")
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().select_related("procedure").get(pk=appointment.pk)
        link = AppointmentMeeting.objects.select_for_update().filter(appointment=locked).first()
        before = {"provider": (OVERRIDE_MANUAL if link.manual else link.provider) if link else OVERRIDE_PROCEDURE,
                  "meeting": link.meeting_id if link else None, "join_url": locked.join_url}
        if link is None:
            link = AppointmentMeeting(appointment=locked)
        link.manual = provider == OVERRIDE_MANUAL
        link.provider = provider if provider in GENERATED else ""
        old = Meeting.objects.select_for_update().get(pk=link.meeting_id) if link.meeting_id else None
        conf = _settings_of(locked, link)
        if link.manual or conf is None or conf.provider not in GENERATED:
            link.meeting = None  # the typed link
        link.save()
        locked.meeting_link = link
        fields = []
        if link.manual and join_url and join_url != locked.join_url:
            locked.join_url = join_url
            fields.append("join_url")
        if old is not None and link.meeting_id is None:
            _touch(old, actor=actor)  # deleted when no other appointment uses it
        if locked.status in Appointment.ACTIVE_STATUSES and locked.kind in MEETING_KINDS and not link.manual:
            appointment_meeting_sync(appointment=locked, change="planned", actor=actor)
        link.refresh_from_db()
        if link.meeting_id != before["meeting"] or fields:
            # The candidate's link changed: their calendar takes the new one (SEQUENCE + 1).
            locked.sequence += 1
            locked.save(update_fields=["sequence", "join_url", "updated_at"])
            fields.append("meeting")
        after = {"provider": provider, "meeting": link.meeting_id, "join_url": locked.join_url}
        changes = {k: (before[k], after[k]) for k in after if before[k] != after[k]}
        audit_record(actor=actor, action="meeting.override", obj=locked, procedure_id=locked.procedure_id,
                     changes=changes, reason=reason)
        if fields and locked.status in Appointment.ACTIVE_STATUSES:
            appointment_changed.send(sender=Appointment, appointment=locked, change="updated", actor=actor,
                                     fields=("join_url",))
    return link


# ------------------------------------------------------------------------------------ the worker

def _claimable(now: dt.datetime) -> Q:
    """Not claimed; or claimed by a worker process whose heartbeat stopped (like messaging's
    Message.claimed_by: back within about a minute); or claimed longer ago than CLAIM_TIMEOUT by
    anyone (a claim made outside a worker has no heartbeat to watch)."""
    dead = ~Q(claimed_by="") & ~Q(claimed_by__in=workers_alive(now))
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT) | dead


def _claim(meeting_id: int, worker: str) -> str:
    """Take the row for this worker: one UPDATE that only one worker can win (SQLite has one writer;
    on PostgreSQL the loser waits on the row lock, re-reads it and matches nothing). Returns the
    claim's token, or "" when another holds it (or it is not due)."""
    now = timezone.now()
    token = secrets.token_hex(16)
    won = Meeting.objects.filter(
        _claimable(now), Q(next_try_at__isnull=True) | Q(next_try_at__lte=now),
        pk=meeting_id, state=Meeting.State.PENDING,
    ).update(claimed_at=now, claimed_by=worker[:100], claim_token=token, attempts=F("attempts") + 1)
    return token if won else ""


def _spec(meeting: Meeting) -> Spec:
    procedure = meeting.procedure
    co_organizers: list[str] = []
    appointments = Appointment.objects.filter(meeting_link__meeting=meeting, status__in=Appointment.ACTIVE_STATUSES)
    users = set()
    for appointment in appointments.select_related("proctor", "jury").prefetch_related("jury__members__user"):
        if appointment.proctor is not None and appointment.proctor.email:
            users.add(appointment.proctor.email.lower())
        if appointment.jury is not None:
            users.update(m.user.email.lower() for m in appointment.jury.members.all() if m.user.email)
    co_organizers = sorted(users - {meeting.organizer.lower()})
    # The subject names the procedure and the meeting, never the candidate.
    subject = f"{procedure.reference} — {procedure.title}"[:200]
    if meeting.scope == Scope.JURY_DAY and meeting.jury is not None:
        subject = f"{subject} — {meeting.jury.name} {meeting.day:%Y-%m-%d}"
    elif meeting.scope == TEST_SLOT:
        subject = f"{subject} — connection test {timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}"
    return Spec(external_id=meeting.external_id, subject=subject, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
                organizer=meeting.organizer, co_organizers=tuple(co_organizers), provider_id=meeting.provider_id,
                base_url=meeting.base_url, app_id=meeting.app_id)


def meeting_work(*, meeting_id: int) -> str:
    """Claim the meeting and do what it needs. Returns its state afterwards, or "skipped"."""
    claim = _claim(meeting_id, current_worker())
    if not claim:
        return "skipped"
    meeting = Meeting.objects.select_related("procedure", "jury").get(pk=meeting_id)
    return _run(meeting, claim=claim)


def _run(meeting: Meeting, *, claim: str) -> str:
    """Do the meeting's work; `claim` is the worker's claim token, "" for a local provider's work
    done at once in the request (nothing to claim: no network, and the request holds the row)."""
    claimed = bool(claim)
    provider = PROVIDERS[meeting.provider]
    version, deleting = meeting.version, meeting.delete_wanted
    try:
        spec = _spec(meeting)
        made: Made | None = None
        if deleting:
            provider.delete(spec)
        elif meeting.provider_id:
            made = provider.update(spec)
        else:
            made = provider.create_or_get(spec)
    except TransientError as exc:
        return _record_failure(meeting, claim, str(exc), retry_after=exc.retry_after, permanent=False)
    except PermanentError as exc:
        return _record_failure(meeting, claim, str(exc), retry_after=None, permanent=True)
    with transaction.atomic():
        current = _locked_if_still_ours(meeting, claim)
        if current is None:
            return "lost"
        if made is None:  # deleted
            current.state = Meeting.State.DELETED if current.delete_wanted else Meeting.State.PENDING
        else:
            current.provider_id = made.provider_id
            current.join_url = made.join_url or current.join_url
            current.state = Meeting.State.READY if current.version == version else Meeting.State.PENDING
        current.done_version = version
        current.last_error, current.next_try_at, current.claimed_at, current.claimed_by = "", None, None, ""
        current.claim_token, current.attempts = "", 0
        current.save()
        audit_record(action="meeting.deleted" if deleting else "meeting.ready", obj=current,
                     procedure_id=current.procedure_id, to_state=current.state, actor_label="worker")
        if not deleting and claimed:  # (a local provider's links never waited)
            ids = list(current.links.filter(appointment__status__in=Appointment.ACTIVE_STATUSES)
                       .values_list("appointment_id", flat=True))
            meeting_ready.send(sender=Meeting, meeting=current, appointment_ids=ids)
        if current.state == Meeting.State.PENDING and claimed:
            _hand_over(current)
    return current.state


def _locked_if_still_ours(meeting: Meeting, claim: str) -> Meeting | None:
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if claim and current.claim_token != claim:
        return None  # our claim was given up (timeout, heartbeat) and another took the row: its result counts
    return current


def _record_failure(meeting: Meeting, claim: str, error: str, *, retry_after, permanent: bool) -> str:
    error = error[:1000]
    claimed = bool(claim)
    with transaction.atomic():
        current = _locked_if_still_ours(meeting, claim)
        if current is None:
            return "lost"
        attempts = current.attempts if claimed else current.attempts + 1
        current.attempts = attempts
        current.claimed_at, current.claimed_by, current.claim_token, current.last_error = None, "", "", error
        if permanent or attempts >= max_attempts():
            current.state = Meeting.State.FAILED
            current.next_try_at = None
            audit_record(action="meeting.failed", obj=current, procedure_id=current.procedure_id,
                         from_state=Meeting.State.PENDING, to_state=Meeting.State.FAILED, reason=error[:500],
                         actor_label="worker")
            log.warning("meeting %s failed: %s", current.pk, error)
        else:
            wait = backoff(attempts)
            if retry_after is not None:
                wait = max(wait, dt.timedelta(seconds=retry_after))
            current.next_try_at = timezone.now() + wait
            log.info("meeting %s: transient error, attempt %s, again at %s", current.pk, attempts, current.next_try_at)
        current.save()
        if current.state == Meeting.State.PENDING and PROVIDERS[current.provider].remote:
            from . import tasks  # (here, not at the top: tasks imports this module)

            tasks.enqueue_meeting(current.pk, run_after=current.next_try_at)
    return current.state


def meetings_retry(*, procedure, actor, ids: list[int] | None = None) -> int:
    """Failed meetings of the procedure back to work (after the cause was fixed). Audited."""
    with transaction.atomic():
        still_failed = Meeting.objects.select_for_update().filter(procedure=procedure, state=Meeting.State.FAILED)
        if ids is not None:
            still_failed = still_failed.filter(pk__in=ids)
        failed = list(still_failed)
        for meeting in failed:
            meeting.state, meeting.attempts, meeting.next_try_at = Meeting.State.PENDING, 0, None
            meeting.claimed_at, meeting.claimed_by, meeting.claim_token = None, "", ""
            meeting.save()
            audit_record(actor=actor, action="meeting.retried", obj=meeting, procedure_id=procedure.pk,
                         from_state=Meeting.State.FAILED, to_state=Meeting.State.PENDING, reason=meeting.last_error[:500])
            _hand_over(meeting, actor=actor)
            if not PROVIDERS[meeting.provider].remote:
                meeting.refresh_from_db(fields=["state"])
            if not PROVIDERS[meeting.provider].remote and meeting.state == Meeting.State.READY:
                # A local provider made it at once: what waited for the failed meeting goes now (a
                # remote one's worker says so when it has made it).
                ids = list(meeting.links.filter(appointment__status__in=Appointment.ACTIVE_STATUSES)
                           .values_list("appointment_id", flat=True))
                meeting_ready.send(sender=Meeting, meeting=meeting, appointment_ids=ids)
    return len(failed)


def meetings_due(limit: int = 50) -> list[int]:
    now = timezone.now()
    return list(Meeting.objects.filter(
        _claimable(now), Q(next_try_at__isnull=True) | Q(next_try_at__lte=now),
        state=Meeting.State.PENDING).order_by("starts_at", "id").values_list("pk", flat=True)[:limit])


def meetings_work_due(limit: int = 50, budget: float | None = None) -> int:
    """What the sweep does: every due meeting (its task died, or was never run, or waits for a retry,
    or its worker died holding it), until `budget` seconds have passed (the rest next time)."""
    budget = SWEEP_BUDGET_SECONDS if budget is None else budget
    started = time.monotonic()
    done = 0
    for meeting_id in meetings_due(limit):
        if time.monotonic() - started > budget:
            break
        if meeting_work(meeting_id=meeting_id) != "skipped":
            done += 1
    return done


__all__ = ["Provider", "appointment_meeting_sync", "meeting_override_set", "meeting_settings_save", "meeting_work",
           "meetings_jury_changed", "meetings_retry", "meetings_work_due"]
