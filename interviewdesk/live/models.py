"""The live session: its state, its facts (identity, rules, phases, incidents,
disconnections, calls, problem reports, conflict-of-interest declarations) and its clock.

No image, sound or document number is ever stored here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from interviewdesk.procedures.models import Procedure
from interviewdesk.scheduling.models import Appointment


class State(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    CANDIDATE_WAITING = "candidate_waiting", _("candidate waiting in the lobby")
    IDENTITY_CHECKED = "identity_checked", _("identity checked")
    RULES_CONFIRMED = "rules_confirmed", _("rules confirmed")
    PREPARATION = "preparation", _("preparation")
    PART_1 = "part_1", _("part 1: CV and motivation")
    PART_2 = "part_2", _("part 2: competencies")
    CLOSED = "closed", _("closed")
    NO_SHOW = "no_show", _("no show")
    STOPPED = "stopped", _("stopped")
    NEEDS_NEW_APPOINTMENT = "needs_new_appointment", _("needs a new appointment")


# Where the candidate is with us: a connection can be lost and the session stopped from here.
LIVE_STATES = frozenset({State.CANDIDATE_WAITING, State.IDENTITY_CHECKED, State.RULES_CONFIRMED,
                         State.PREPARATION, State.PART_1, State.PART_2})
PHASE_STATES = (State.PREPARATION, State.PART_1, State.PART_2)

# The one table of legal moves; services.session_transition checks every change against it.
# Whether preparation / part 1 are possible also depends on the appointment (see services).
TRANSITIONS: dict[str, frozenset[str]] = {
    State.SCHEDULED: frozenset({State.CANDIDATE_WAITING, State.NO_SHOW}),
    State.CANDIDATE_WAITING: frozenset({State.IDENTITY_CHECKED, State.STOPPED}),
    State.IDENTITY_CHECKED: frozenset({State.RULES_CONFIRMED, State.STOPPED}),
    State.RULES_CONFIRMED: frozenset({State.PREPARATION, State.PART_1, State.STOPPED}),
    State.PREPARATION: frozenset({State.PART_1, State.CLOSED, State.STOPPED}),
    State.PART_1: frozenset({State.PART_2, State.STOPPED}),
    State.PART_2: frozenset({State.CLOSED, State.STOPPED}),
    State.CLOSED: frozenset(),
    State.NO_SHOW: frozenset({State.NEEDS_NEW_APPOINTMENT}),
    State.STOPPED: frozenset({State.NEEDS_NEW_APPOINTMENT}),
    State.NEEDS_NEW_APPOINTMENT: frozenset(),
}


class StopCode(models.TextChoices):
    """Why a session stopped, stored as a code (with its parameters) and worded when read, in the
    reader's language; the words staff wrote themselves are kept apart (`stop_reason`)."""

    IDENTITY = "identity", _("identity not confirmed")
    INCIDENT = "incident", _("incident")
    TIMED_OUT = "timed_out", _("reconnection time ran out")
    BY_STAFF = "by_staff", _("stopped by staff")


def stop_reason_text(code: str, params: dict, note: str = "") -> str:
    """The reason for stopping in the active language, followed by what staff wrote (as written)."""
    if code == StopCode.IDENTITY:
        label = gettext("Identity not confirmed: %(result)s (%(document)s).") % {
            "result": IdentityCheck.Result(params["result"]).label,
            "document": IdentityCheck.Document(params["document"]).label}
    elif code == StopCode.INCIDENT:
        label = gettext("Stopped after an incident: %(category)s.") % {
            "category": Incident.Category(params["category"]).label}
    elif code == StopCode.TIMED_OUT:
        label = gettext("The connection could not be restored within %(minutes)s minutes.") % params
    else:
        label = ""
    return " ".join(part for part in (label, note) if part)


class LiveSession(models.Model):
    """One attempt at running an appointment. A rescheduled appointment (same calendar UID)
    gets a new attempt; earlier attempts stay as history."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="live_sessions")
    attempt = models.PositiveSmallIntegerField(default=1)
    # The appointment's start when this attempt was created: a new start means a new attempt.
    planned_start = models.DateTimeField()
    state = models.CharField(_("state"), max_length=30, choices=State.choices, default=State.SCHEDULED)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    stop_code = models.CharField(max_length=20, choices=StopCode.choices, blank=True)
    stop_params = models.JSONField(default=dict, blank=True)  # codes and numbers only, worded when read
    stop_reason = models.TextField(_("reason for stopping"), blank=True)  # staff's own words
    stopped_at = models.DateTimeField(null=True, blank=True)
    extra_minutes = models.PositiveSmallIntegerField(
        _("approved extra time (minutes)"), default=0,
        help_text=_("Reasonable adjustment approved for this candidate, added to the preparation."),
    )
    rules_reminded = models.BooleanField(default=False)
    camera_microphone_on = models.BooleanField(default=False)
    room_check_note = models.TextField(_("room check"), blank=True)
    # Raised on every change: consoles poll it to learn cheaply whether anything moved.
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["appointment", "attempt"]
        constraints = [
            models.UniqueConstraint(fields=["appointment", "attempt"], name="live_session_attempt_unique"),
        ]
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")

    def __str__(self) -> str:
        return f"session #{self.pk} ({self.state})"

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_STATES

    @property
    def stop_reason_display(self) -> str:
        return stop_reason_text(self.stop_code, self.stop_params, self.stop_reason)


class SessionEvent(models.Model):
    """The session timeline. Labels are built when read (selectors), in the reader's language."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("state change")
        IDENTITY = "identity", _("identity check")
        RULES = "rules", _("rules")
        INCIDENT = "incident", _("incident")
        DISCONNECTED = "disconnected", _("connection lost")
        CALL = "call", _("phone call")
        RECONNECTED = "reconnected", _("reconnected")
        TIMED_OUT = "timed_out", _("reconnection time ran out")
        PROBLEM = "problem", _("problem reported by the candidate")
        DECLARATION = "declaration", _("conflict-of-interest declaration")
        DECISION = "decision", _("conflict-of-interest decision")
        NOTE = "note", _("note")

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(max_length=50, blank=True)
    data = models.JSONField(default=dict, blank=True)  # codes (states, categories), translated when read
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.at:%H:%M}"


class IdentityCheck(models.Model):
    """What the proctor saw: the kind of document and the result. Never an image or a document number."""

    class Document(models.TextChoices):
        BELGIAN_EID = "belgian_eid", _("Belgian eID")
        PASSPORT = "passport", _("passport")
        RESIDENCE_CARD = "residence_card", _("residence card")
        OTHER = "other", _("other document")
        NONE = "none", _("no document shown")

    class Result(models.TextChoices):
        MATCH = "match", _("matches the candidate")
        MISMATCH = "mismatch", _("does not match")
        NO_DOCUMENT = "no_document", _("no document")

    session = models.OneToOneField(LiveSession, on_delete=models.CASCADE, related_name="identity_check")
    document_type = models.CharField(_("document"), max_length=20, choices=Document.choices)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    note = models.TextField(_("note"), blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.document_type}: {self.result}"


class PhaseTiming(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(max_length=20, choices=[(s.value, s.label) for s in PHASE_STATES])
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    # Time lost to disconnections during this phase, added to the phase's time.
    seconds_lost = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["session", "started_at"]
        constraints = [models.UniqueConstraint(fields=["session", "phase"], name="phase_once_per_session")]

    def __str__(self) -> str:
        return f"{self.phase} {self.started_at:%H:%M}"

    @property
    def minutes_lost(self) -> int:
        return -(-self.seconds_lost // 60)  # whole minutes, rounded up


class Incident(models.Model):
    class Category(models.TextChoices):
        THIRD_PERSON = "third_person", _("third person present")
        CAMERA_OFF = "camera_off", _("camera off")
        MICROPHONE_OFF = "microphone_off", _("microphone off")
        BACKGROUND = "background", _("background blurred or altered")
        MATERIAL = "material", _("unauthorised material")
        CONTACT = "contact", _("contact with others")
        RECORDING = "recording", _("recording attempt")
        CONNECTION_LOST = "connection_lost", _("connection lost")
        OUR_TECHNICAL = "our_technical", _("technical problem on our side")
        OTHER = "other", _("other")

    class Decision(models.TextChoices):
        NOTED = "noted", _("noted")
        WARNING = "warning", _("warning")
        STOPPED = "stopped", _("session stopped")

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="incidents")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(_("description"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.NOTED)
    phase = models.CharField(max_length=30, choices=State.choices)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.category} ({self.decision})"


class Disconnection(models.Model):
    """The reconnection clock. Open while resolved_at is empty; the deadline is server time."""

    class Outcome(models.TextChoices):
        RECONNECTED = "reconnected", _("reconnected")
        TIMED_OUT = "timed_out", _("time ran out")
        STOPPED = "stopped", _("session stopped otherwise")

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="disconnections")
    phase = models.CharField(max_length=30, choices=State.choices)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            # At most one running clock per session.
            models.UniqueConstraint(fields=["session"], condition=models.Q(resolved_at__isnull=True),
                                    name="one_open_disconnection_per_session"),
        ]

    def __str__(self) -> str:
        return f"disconnection {self.started_at:%H:%M} → {self.outcome or 'open'}"


class CallAttempt(models.Model):
    class Outcome(models.TextChoices):
        REACHED = "reached", _("reached")
        NO_ANSWER = "no_answer", _("no answer")
        BUSY = "busy", _("busy")

    disconnection = models.ForeignKey(Disconnection, on_delete=models.CASCADE, related_name="calls")
    at = models.DateTimeField()
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"call {self.at:%H:%M} {self.outcome}"


class ProblemReport(models.Model):
    """A problem the candidate reports from their page during a preparation."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="problem_reports")
    at = models.DateTimeField()
    text = models.TextField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"problem report #{self.pk}"


class ConflictDeclaration(models.Model):
    """A jury member's declaration about a link with the candidate, and the decision on it.

    Kept per appointment (a reschedule does not change who knows whom)."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        STAYS = "stays", _("stays in the jury")
        WITHDRAWS = "withdraws", _("withdraws from this interview")

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="conflict_declarations")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    has_link = models.BooleanField(_("I have a link with the candidate"))
    link_description = models.TextField(_("the link"), blank=True)
    declared_at = models.DateTimeField()
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decision_reason = models.TextField(_("reasons"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["appointment", "declared_at"]
        constraints = [models.UniqueConstraint(fields=["appointment", "member"], name="one_declaration_per_member")]

    def __str__(self) -> str:
        return f"declaration of #{self.member_id} ({self.decision})"

    @property
    def is_settled(self) -> bool:
        return not self.has_link or self.decision != self.Decision.PENDING


class FollowUp(models.Model):
    """A task for the selection officer, e.g. "new appointment needed" after a stopped session."""

    class Kind(models.TextChoices):
        NEW_APPOINTMENT_NEEDED = "new_appointment_needed", _("new appointment needed")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="live_follow_ups")
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="live_follow_ups")
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.NEW_APPOINTMENT_NEEDED)
    reason = models.TextField(blank=True)  # staff's own words
    reason_code = models.CharField(max_length=20, choices=StopCode.choices, blank=True)
    reason_params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["appointment", "kind"], condition=models.Q(done_at__isnull=True),
                                    name="one_open_follow_up_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for appointment #{self.appointment_id}"

    @property
    def reason_display(self) -> str:
        return stop_reason_text(self.reason_code, self.reason_params, self.reason)
