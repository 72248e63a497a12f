"""Public pages: the privacy notice and the accessibility statement (no login, no writes)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import get_language_info
from django.views.decorators.http import require_GET

from interviewdesk.accounts.middleware import second_factor_exempt

from .contact import service_contact

PAGE_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _public_page(request: HttpRequest, template: str, lang: str | None) -> HttpResponse:
    if lang is not None and lang not in PAGE_LANGUAGES:
        raise Http404
    with translation.override(lang or translation.get_language()):
        current = translation.get_language()
        return render(request, template, {"contact": service_contact(), "other_languages": [
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES if code != current]})


@require_GET
def notice(request: HttpRequest, lang: str | None = None) -> HttpResponse:
    return _public_page(request, "privacy/notice.html", lang)


@require_GET
def accessibility(request: HttpRequest, lang: str | None = None) -> HttpResponse:
    return _public_page(request, "privacy/accessibility.html", lang)


# Readable before the second factor too: someone half-way through logging in may open them.
second_factor_exempt(notice)
second_factor_exempt(accessibility)
