"""Session lifetimes and privacy headers, for staff and candidate sessions alike."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

SESSION_STARTED = "session_started"
SESSION_SEEN = "session_seen"
SESSION_IDLE = "session_idle"
SEEN_RESOLUTION = 60  # seconds: the "last seen" time is written at most once a minute


def session_lifetime_start(request, *, idle_seconds: int) -> None:
    """Called when a session gets its rights (staff login, candidate link): the clock starts."""
    now = int(time.time())
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now
    request.session[SESSION_IDLE] = idle_seconds


class SessionLifetimeMiddleware:
    """Ends a session after its idle period or after STAFF_SESSION_MAX_SECONDS since it started.

    The last-seen time is rewritten at most once a minute, so most requests do not write the
    session. A staff session from before this existed gets its clock started now."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        started = session.get(SESSION_STARTED)
        if started is None and request.user.is_authenticated:
            session_lifetime_start(request, idle_seconds=settings.STAFF_SESSION_IDLE_SECONDS)
        elif started is not None:
            now = int(time.time())
            idle = session.get(SESSION_IDLE, settings.STAFF_SESSION_IDLE_SECONDS)
            if now - session.get(SESSION_SEEN, started) > idle or now - started > settings.STAFF_SESSION_MAX_SECONDS:
                was_staff = request.user.is_authenticated
                logout(request)  # flushes the whole session: staff and candidate alike
                if was_staff:
                    messages.info(request, _("Your session ended. Please log in again."))
            elif now - session.get(SESSION_SEEN, started) >= SEEN_RESOLUTION:
                session[SESSION_SEEN] = now
        return self.get_response(request)


class PrivacyHeadersMiddleware:
    """`Cache-Control: no-store` on staff pages and every download; a Permissions-Policy that
    gives camera and microphone only to the candidate's device check."""

    CAMERA_PAGES = {"portal:device_check"}
    POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()"
    CAMERA_POLICY = "camera=(self), microphone=(self), geolocation=(), payment=(), usb=(), display-capture=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        view_name = match.view_name if match is not None else ""
        response.setdefault("Permissions-Policy",
                            self.CAMERA_POLICY if view_name in self.CAMERA_PAGES else self.POLICY)
        is_download = response.has_header("Content-Disposition") or response.get("Content-Type", "").startswith(
            ("application/pdf", "text/calendar", "text/csv", "application/vnd."))
        user = getattr(request, "user", None)
        if is_download or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True)  # keeps never_cache's max-age=0 etc.
        return response
