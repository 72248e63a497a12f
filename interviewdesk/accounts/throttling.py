"""Login throttling on top of django-axes.

axes counts failed logins per (account, client address) and refuses that pair for the cool-off
once AXES_FAILURE_LIMIT is reached: someone typing a colleague's name elsewhere cannot lock the
colleague out. A client that tries many accounts (password spraying) is refused too, at the higher
LOGIN_CLIENT_FAILURE_LIMIT summed over every account it tried in the cool-off period: that stops a
guesser without a handful of typos behind an office's shared address locking everybody out.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class AccountAndClientHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return False
        failures = AccessAttempt.objects.filter(
            ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(total=Sum("failures_since_start"))["total"] or 0
        return failures >= settings.LOGIN_CLIENT_FAILURE_LIMIT
