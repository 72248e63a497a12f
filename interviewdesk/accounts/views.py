"""The second-factor pages: the code after the password, the set-up at first login, new
recovery codes; and the page a throttled login gets."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from interviewdesk.core.clientaddress import client_address

from . import services
from .forms import CodeForm, EnrolForm
from .middleware import second_factor_exempt


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


@second_factor_exempt
@never_cache
@sensitive_post_parameters("code")
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Second step of the login: a code from the app or a recovery code."""
    if services.session_is_verified(request):
        return redirect(_next_url(request))
    if not services.has_second_factor(request.user):
        return redirect(f"{_url('accounts:setup')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST or None)
    wait = services.verification_wait_seconds(request.user)
    if request.method == "POST" and form.is_valid():
        if wait:
            form.add_error("code", _("Too many wrong codes. Wait %(seconds)d seconds, then try again.")
                           % {"seconds": wait})
        else:
            device = services.second_factor_verify(request=request, code=form.cleaned_data["code"],
                                                   client_address=client_address(request))
            if device is not None:
                return redirect(_next_url(request))
            form.add_error("code", _("This code is not valid, or it has been used already."))
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


@second_factor_exempt
@never_cache
@sensitive_post_parameters("code", "key")
@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """First login (or after a reset): add the account to an authenticator app and confirm it."""
    if services.has_second_factor(request.user):
        return redirect(f"{_url('accounts:verify')}?{request.GET.urlencode()}")
    form = EnrolForm(request.POST or None, user=request.user)
    key = None
    if request.method == "POST":
        if form.is_valid():
            codes = services.totp_enrol(request=request, key=form.cleaned_data["key"],
                                        code=form.cleaned_data["code"], client_address=client_address(request))
            if codes is not None:
                return render(request, "accounts/recovery_codes.html",
                              {"codes": codes, "next": _next_url(request), "first_time": True})
            form.add_error("code", _("This code does not match. Check the time on your phone, "
                                     "then type the code the app shows now."))
        key = form.cleaned_data.get("key")  # None when the page expired: a new secret then
    key = key or services.totp_new_key()
    return render(request, "accounts/setup.html", {
        "form": form, "signed_key": EnrolForm.sign(request.user, key), "next": _next_url(request),
        "qr_svg": services.qr_svg(services.totp_uri(user=request.user, key=key)),
        "secret": services.totp_secret_text(key),
    })


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many recovery codes are left; a POST replaces them with new ones, shown once."""
    if request.method == "POST":
        codes = services.recovery_codes_renew(user=request.user)
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _url("dashboard")})
    return render(request, "accounts/recovery_codes_status.html",
                  {"left": services.recovery_codes_left(request.user)})


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a throttled login: the login page again, saying why (429)."""
    form = AuthenticationForm(request, data=None, initial={"username": (credentials or {}).get("username", "")})
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/login.html", {
        "form": form, "next": request.POST.get("next", ""),
        "locked_out": _("Too many failed attempts for this account from your address. "
                        "Wait %(minutes)d minutes, then try again. If you forgot your password, "
                        "ask an administrator to set a new one.") % {"minutes": minutes},
    }, status=429)


def _url(name: str) -> str:
    return reverse(name)
