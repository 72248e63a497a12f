"""Cross-cutting data: staff users, the audit log, closure days, worker heartbeat."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff member. Candidates have no account: they use a personal link.

    Administrators are superusers; every other right comes from a procedure
    membership (procedures.Membership).
    """

    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("E.164, e.g. +3225551234"))
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="en")
    # Raised when an administrator resets the user's second factor: it is part of the session
    # hash, so every session the user had open ends, as after a password change.
    second_factor_epoch = models.PositiveIntegerField(default=0, editable=False)

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret=None):
        # Django's own hash is of the password only (private API, stable since Django 4.1: it also
        # serves the SECRET_KEY_FALLBACKS check). The epoch joins it; no extra query per request.
        key_salt = "interviewdesk.core.User.get_session_auth_hash"
        return salted_hmac(key_salt, f"{self.password}:{self.second_factor_epoch}", secret=secret,
                           algorithm="sha256").hexdigest()


class AuditEntry(models.Model):
    """One fact in the audit log: who did what to which object, from which state to which.

    Append-only: rows are created by core.audit.audit_record and never edited.
    """

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "system", "worker", "candidate" when there is no staff user behind the change.
    actor_label = models.CharField(max_length=50, blank=True)
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=40)
    procedure_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    # Where the request came from, for logins (staff, candidates): core.clientaddress.
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class ClosureDay(models.Model):
    """A day the service is closed on top of Belgian public holidays (federal days, bridge days)."""

    class Kind(models.TextChoices):
        FEDERAL = "federal", _("federal civil-service day")
        BRIDGE = "bridge", _("bridge day")
        OTHER = "other", _("other closure")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BRIDGE)
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("closure day")
        verbose_name_plural = _("closure days")

    def __str__(self) -> str:
        return f"{self.date} {self.name or self.get_kind_display()}"


class WorkerHeartbeat(models.Model):
    """Last sign of life of a background worker, shown by /healthz."""

    name = models.CharField(max_length=100, primary_key=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_seen}"
