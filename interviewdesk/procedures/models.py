"""Selection procedures and the people in them.

The competency dictionary and the rating scale are versioned *data*: the service
replaced its competency model in 2025 and will do so again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from interviewdesk.core.i18n import pick

CANDIDATE_LANGUAGE_CHOICES = [("nl", _("Dutch")), ("fr", _("French")), ("de", _("German"))]


class CompetencyDictionary(models.Model):
    name = models.CharField(_("name"), max_length=100)
    version = models.CharField(_("version"), max_length=20)
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="dictionary_name_version_unique")]
        verbose_name = _("competency dictionary")
        verbose_name_plural = _("competency dictionaries")

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class Competency(models.Model):
    dictionary = models.ForeignKey(CompetencyDictionary, on_delete=models.PROTECT, related_name="competencies")
    code = models.SlugField(_("code"), max_length=50)
    name = models.JSONField(_("name"), help_text=_('Per language, e.g. {"nl": "…", "fr": "…"}'))
    definition = models.JSONField(_("definition"), default=dict, blank=True)

    class Meta:
        ordering = ["dictionary", "code"]
        constraints = [models.UniqueConstraint(fields=["dictionary", "code"], name="competency_code_unique")]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")

    def __str__(self) -> str:
        return self.label()

    def label(self, language: str | None = None) -> str:
        return pick(self.name, language)

    def definition_text(self, language: str | None = None) -> str:
        return pick(self.definition, language)


class Dimension(models.Model):
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="dimensions")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.JSONField(_("name"))

    class Meta:
        ordering = ["competency", "order"]

    def __str__(self) -> str:
        return pick(self.name)


class BehaviouralIndicator(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.JSONField(_("text"))

    class Meta:
        ordering = ["dimension", "order"]

    def __str__(self) -> str:
        return pick(self.text)


class RatingScale(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("rating scale")

    def __str__(self) -> str:
        return self.name


class ScaleLevel(models.Model):
    """One level of a scale with its percentage band, e.g. "rather good" 50–76 %."""

    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="levels")
    order = models.PositiveSmallIntegerField(help_text=_("1 is the lowest level"))
    label = models.JSONField(_("label"))
    min_pct = models.DecimalField(max_digits=5, decimal_places=2)
    max_pct = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["scale", "order"]
        constraints = [models.UniqueConstraint(fields=["scale", "order"], name="scale_level_order_unique")]

    def __str__(self) -> str:
        return pick(self.label)

    @property
    def midpoint(self) -> Decimal:
        return (self.min_pct + self.max_pct) / 2


class Procedure(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    class PreStage(models.TextChoices):
        NONE = "none", _("none")
        TECHNICAL_TEST = "technical_test", _("technical test")
        CASE = "case", _("case")

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=2, choices=CANDIDATE_LANGUAGE_CHOICES)
    contact_name = models.CharField(_("contact person"), max_length=120)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    pre_stage = models.CharField(_("stage before the interview"), max_length=20, choices=PreStage.choices,
                                 default=PreStage.NONE)
    pre_stage_minutes = models.PositiveSmallIntegerField(_("minutes for the stage before"), default=0)
    extra_material = models.TextField(_("extra material the candidate must have"), blank=True)
    interview_minutes = models.PositiveSmallIntegerField(_("interview minutes"), default=60,
                                                         validators=[MinValueValidator(10), MaxValueValidator(480)])
    pass_mark_pct = models.DecimalField(_("pass mark (%)"), max_digits=5, decimal_places=2, default=Decimal("60"),
                                        validators=[MinValueValidator(0), MaxValueValidator(100)])
    scale = models.ForeignKey(RatingScale, on_delete=models.PROTECT, related_name="+", verbose_name=_("rating scale"))
    disconnection_minutes = models.PositiveSmallIntegerField(
        _("reconnection attempts stop after (minutes)"), default=10
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    # --- Languages and planning settings (issue 13). The planner reads these; the officer sets
    # them on the procedure's set-up page. Times are local (Europe/Brussels) wall-clock times.
    extra_languages = models.JSONField(
        _("other languages"), default=list, blank=True,
        help_text=_("Languages candidates may also take part in, besides the main language, e.g. [\"fr\"]"),
    )
    scoring_buffer_minutes = models.PositiveSmallIntegerField(
        _("scoring time after each interview (minutes)"), default=15, validators=[MaxValueValidator(120)],
        help_text=_("The jury needs this time after an interview before the next one starts."),
    )
    first_interview_day = models.DateField(_("first interview day"), null=True, blank=True)
    last_interview_day = models.DateField(_("last interview day"), null=True, blank=True)
    day_starts_at = models.TimeField(_("first interview starts at the earliest"), default=dt.time(8, 30))
    day_ends_at = models.TimeField(_("last interview ends at the latest"), default=dt.time(17, 0))
    lunch_starts_at = models.TimeField(_("lunch break from"), null=True, blank=True, default=dt.time(12, 0))
    lunch_ends_at = models.TimeField(_("lunch break until"), null=True, blank=True, default=dt.time(13, 0))
    max_interviews_per_jury_day = models.PositiveSmallIntegerField(
        _("most interviews per jury per day"), default=6, validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    connection_test_days_before = models.PositiveSmallIntegerField(
        _("connection test: working days before the interview"), default=2, validators=[MaxValueValidator(30)],
    )
    connection_test_minutes = models.PositiveSmallIntegerField(
        _("connection test: length (minutes)"), default=15, validators=[MinValueValidator(5), MaxValueValidator(120)],
    )
    connection_test_group_size = models.PositiveSmallIntegerField(
        _("connection test: candidates per proctor at once"), default=4,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    house_rules = models.JSONField(
        _("house rules"), default=dict, blank=True,
        help_text=_("Per language, one rule per line; a language left empty shows the service's rules."),
    )
    house_rules_version = models.PositiveIntegerField(_("house rules version"), default=1)
    unavailability_deadline = models.DateField(
        _("candidates state the half-days they cannot come until"), null=True, blank=True,
        help_text=_("Last day (included) on which candidates can change their unavailable half-days in the portal."),
    )

    class Meta:
        ordering = ["reference"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_interview_day__isnull=True) | models.Q(last_interview_day__isnull=True)
                | models.Q(last_interview_day__gte=models.F("first_interview_day")),
                name="procedure_planning_window_ordered",
            ),
            models.CheckConstraint(condition=models.Q(day_ends_at__gt=models.F("day_starts_at")),
                                   name="procedure_day_window_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def has_pre_stage(self) -> bool:
        return self.pre_stage != self.PreStage.NONE

    @property
    def languages(self) -> list[str]:
        """Every language candidates may take part in, the main one first."""
        return [self.language, *(code for code in self.extra_languages if code != self.language)]

    def planning_days(self) -> list[dt.date]:
        """Every calendar day of the planning window (empty when it is not set); weekends included,
        callers filter with core.workdays.is_working_day when they need working days."""
        if not (self.first_interview_day and self.last_interview_day):
            return []
        count = (self.last_interview_day - self.first_interview_day).days + 1
        return [self.first_interview_day + dt.timedelta(days=n) for n in range(count)]


class ProfileCompetency(models.Model):
    """The function profile: ordered competencies with optional weights."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="profile")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    weight = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("1"),
                                 validators=[MinValueValidator(Decimal("0.01"))])

    class Meta:
        ordering = ["procedure", "order"]
        constraints = [models.UniqueConstraint(fields=["procedure", "competency"], name="profile_competency_unique")]

    def __str__(self) -> str:
        return f"{self.procedure.reference}: {self.competency}"


class Candidate(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="candidates")
    needs: frozenset[str]  # what the viewer may read of them; set by scheduling.visibility.candidate_or_404
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=20, help_text=_("E.164"))
    language = models.CharField(_("language"), max_length=2, choices=CANDIDATE_LANGUAGE_CHOICES)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    cv_text = models.TextField(_("CV"), blank=True)
    motivation = models.TextField(_("motivation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [models.UniqueConstraint(fields=["procedure", "email"], name="candidate_email_per_procedure")]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Role(models.TextChoices):
    SELECTION_OFFICER = "selection_officer", _("selection officer")
    PROCTOR = "proctor", _("proctor")
    JURY_CHAIR = "jury_chair", _("jury chair")
    ASSESSOR = "assessor", _("assessor")


class Membership(models.Model):
    """A staff user's role in one procedure. Rights are always per procedure."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["procedure", "user", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.procedure.reference}"


class Jury(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="juries")
    name = models.CharField(_("name"), max_length=100)
    languages = models.JSONField(_("languages"), default=list, help_text=_('e.g. ["nl", "fr"]'))

    class Meta:
        ordering = ["procedure", "name"]
        verbose_name = _("jury")
        verbose_name_plural = _("juries")

    def __str__(self) -> str:
        return self.name

    @property
    def chair(self):
        member = next((m for m in self.members.all() if m.role == JuryMember.Role.CHAIR), None)
        return member.user if member else None


class JuryMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        ASSESSOR = "assessor", _("assessor")

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jury_seats")
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        ordering = ["jury", "-role", "id"]  # chair first
        constraints = [
            models.UniqueConstraint(fields=["jury", "user"], name="jury_member_unique"),
            models.UniqueConstraint(fields=["jury"], condition=models.Q(role="chair"), name="one_chair_per_jury"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class HalfDay(models.TextChoices):
    """The unit of availability: people and rooms are free (or not) per morning or afternoon."""

    MORNING = "am", _("morning")
    AFTERNOON = "pm", _("afternoon")


# A room's name and address for a reader whose language has none: German readers in Belgium
# read French before Dutch; everyone ends at the text the officer entered as the main one.
ROOM_TEXT_FALLBACK: dict[str, tuple[str, ...]] = {"nl": ("nl",), "fr": ("fr",), "de": ("de", "fr")}


class Room(models.Model):
    """A room the service provides, with equipment, for candidates who cannot take part from home.

    Rooms belong to the service, not to one procedure. `name`/`site`/`address` are the main
    texts staff see; `name_nl`… and `address_nl`… are what a candidate reads in their language
    (`name_in`, `address_in` fall back per ROOM_TEXT_FALLBACK, then to the main text).
    The days a room is free are RoomFreeDay rows.
    """

    name = models.CharField(_("name"), max_length=100)
    site = models.CharField(_("site"), max_length=100)
    address = models.CharField(_("address"), max_length=250)
    name_nl = models.CharField(_("name in Dutch"), max_length=100, blank=True)
    name_fr = models.CharField(_("name in French"), max_length=100, blank=True)
    name_de = models.CharField(_("name in German"), max_length=100, blank=True)
    address_nl = models.CharField(_("address in Dutch"), max_length=250, blank=True)
    address_fr = models.CharField(_("address in French"), max_length=250, blank=True)
    address_de = models.CharField(_("address in German"), max_length=250, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=1, validators=[MinValueValidator(1)])
    equipment = models.TextField(_("equipment"), blank=True)

    class Meta:
        ordering = ["site", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self) -> str:
        return f"{self.site} — {self.name}"

    def _text_in(self, field: str, language: str | None) -> str:
        from django.utils.translation import get_language

        lang = (language or get_language() or "")[:2]
        for code in ROOM_TEXT_FALLBACK.get(lang, ()):
            value = getattr(self, f"{field}_{code}")
            if value:
                return value
        return getattr(self, field)

    def name_in(self, language: str | None = None) -> str:
        """The room's name for a reader of `language` (default: the active language)."""
        return self._text_in("name", language)

    def address_in(self, language: str | None = None) -> str:
        """The room's address for a reader of `language` (default: the active language)."""
        return self._text_in("address", language)

    @property
    def local_name(self) -> str:
        """For templates: the name in the active language."""
        return self.name_in()

    @property
    def local_address(self) -> str:
        """For templates: the address in the active language."""
        return self.address_in()


class RoomFreeDay(models.Model):
    """A half-day on which a room is free for candidates. A room without rows is never planned."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="free_days")
    date = models.DateField(_("date"))
    part = models.CharField(_("part of the day"), max_length=2, choices=HalfDay.choices)

    class Meta:
        ordering = ["room", "date", "part"]
        constraints = [models.UniqueConstraint(fields=["room", "date", "part"], name="room_free_day_unique")]

    def __str__(self) -> str:
        return f"{self.room} {self.date} {self.part}"


class StaffAvailability(models.Model):
    """One staff member's answer for one half-day of one procedure's planning window.

    Jury members (chairs, assessors) and proctors enter their own; the officer may edit anyone's.
    A half-day without a row is *not answered*; the planner treats it as unavailable.
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="staff_availability")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability")
    date = models.DateField(_("date"))
    part = models.CharField(_("part of the day"), max_length=2, choices=HalfDay.choices)
    available = models.BooleanField(_("available"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["procedure", "user", "date", "part"]
        constraints = [models.UniqueConstraint(fields=["procedure", "user", "date", "part"],
                                               name="staff_availability_unique")]
        verbose_name = _("staff availability")
        verbose_name_plural = _("staff availability")

    def __str__(self) -> str:
        return f"{self.user} {self.date} {self.part} {'yes' if self.available else 'no'}"


class CandidateUnavailability(models.Model):
    """A half-day a candidate says they cannot come, stated in the portal before the procedure's
    `unavailability_deadline`. The reason is one of UNAVAILABILITY_REASONS: never health data."""

    class Reason(models.TextChoices):
        WORK = "work", _("work")
        STUDIES = "studies", _("studies or an exam")
        TRAVEL = "travel", _("a journey planned earlier")
        FAMILY = "family", _("family duties")
        OTHER = "other", _("another reason")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="unavailability")
    date = models.DateField(_("date"))
    part = models.CharField(_("part of the day"), max_length=2, choices=HalfDay.choices)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["candidate", "date", "part"]
        constraints = [models.UniqueConstraint(fields=["candidate", "date", "part"],
                                               name="candidate_unavailability_unique")]

    def __str__(self) -> str:
        return f"candidate #{self.candidate_id} {self.date} {self.part}"


class CandidatePreference(models.Model):
    """A half-day a candidate would rather come (optional, in the portal before the deadline). Never
    also a half-day they cannot come: `portal.services.unavailability` refuses both at once. The
    planner tries to honour it (objective "preferred half-days") but may plan elsewhere."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="preferences")
    date = models.DateField(_("date"))
    part = models.CharField(_("part of the day"), max_length=2, choices=HalfDay.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["candidate", "date", "part"]
        constraints = [models.UniqueConstraint(fields=["candidate", "date", "part"],
                                               name="candidate_preference_unique")]

    def __str__(self) -> str:
        return f"candidate #{self.candidate_id} prefers {self.date} {self.part}"


class ServiceHouseRules(models.Model):
    """One version of the service-wide house rules, in nl/fr/de: what candidates of a procedure read
    where the procedure has no text of its own (procedures.house_rules). A change adds a row and
    never edits one, so the text of every version stays known; the highest version is current."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    # Per language, one rule per line; a language missing here reads the rules built into the product.
    texts = models.JSONField(_("house rules"), default=dict, blank=True)
    # Per language, an optional https link to the full rules (e.g. the rules of 4 August 2020).
    links = models.JSONField(_("links to the full rules"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-version"]
        verbose_name = _("service house rules")
        verbose_name_plural = _("service house rules")

    def __str__(self) -> str:
        return f"service house rules v{self.version}"
