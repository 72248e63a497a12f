"""The candidate downloads what the service holds on them, from their personal page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from interviewdesk.portal.session import CandidateRequest, candidate_view

from .staff_views import export_response


@require_GET
@candidate_view
def my_data(request: CandidateRequest) -> HttpResponse:
    return render(request, "privacy/my_data.html", {"candidate": request.candidate})


@require_GET
@candidate_view
def my_data_download(request: CandidateRequest, file_format: str) -> HttpResponse:
    return export_response(request.candidate, for_officer=False, file_format=file_format, request=request)
