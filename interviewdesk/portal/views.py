"""Candidate pages. The personal link lands on `open_link`; everything after it uses the session."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .access import access_token_find


@never_cache
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    found, state = access_token_find(token)
    response = render(request, "portal/open.html", {"state": state, "candidate": found.candidate if found else None})
    response["Referrer-Policy"] = "no-referrer"
    return response
