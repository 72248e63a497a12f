"""Every staff login, failed or successful, in the audit log with the client address.

No password ever, and no typed user name unless it names an existing account (people type
their password into the name field by mistake)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from interviewdesk.core.audit import audit_record
from interviewdesk.core.clientaddress import client_address
from interviewdesk.core.middleware import session_lifetime_start
from interviewdesk.core.models import AuditEntry


@receiver(user_logged_in, dispatch_uid="accounts.login_session_clock")
def _logged_in(sender, request, user, **kwargs):
    # The password alone is half a login: the audit entry of a successful one is written when the
    # second factor passes (services.second_factor_verify / totp_enrol).
    if request is not None:
        session_lifetime_start(request, idle_seconds=settings.STAFF_SESSION_IDLE_SECONDS)


@receiver(user_login_failed, dispatch_uid="accounts.login_failed_audit")
def _login_failed(sender, credentials, request=None, **kwargs):
    address = client_address(request) if request is not None else None
    reason = "locked out" if getattr(request, "axes_locked_out", False) else ""
    user = get_user_model().objects.filter(username=credentials.get("username") or "").first()
    if user is not None:
        audit_record(actor=None, actor_label="anonymous", action="login.failed", obj=user, client_address=address,
                     reason=reason)
    else:  # no object to name: an entry about no account, without the typed name
        AuditEntry.objects.create(actor_label="anonymous", action="login.failed", object_type="core.user",
                                  object_id="", client_address=address, reason=f"unknown user name {reason}".strip())
