"""No staff page without a verified second factor."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .services import has_second_factor, session_is_verified

# Views a staff member may open between the password and the second factor.
OPEN_BEFORE_SECOND_FACTOR = {"login", "logout", "set_language", "healthz", "javascript-catalog"}



def second_factor_exempt(view):
    """The views of the second-factor pages themselves."""
    view.second_factor_exempt = True
    return view


class SecondFactorMiddleware:
    """No staff page without a verified second factor: a logged-in user whose session is not
    verified is sent to the code page, or to the set-up page when they have no app yet."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "second_factor_exempt", False):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if not request.user.is_authenticated or session_is_verified(request):
            return None
        target = "accounts:verify" if has_second_factor(request.user) else "accounts:setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
