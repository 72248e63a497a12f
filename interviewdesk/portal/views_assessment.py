"""The candidate's feedback report, downloaded from their personal page once the result is published."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from interviewdesk.assessment.reports import candidate_feedback_pdf

from .session import CandidateRequest, candidate_view


@require_GET
@candidate_view
def feedback_pdf(request: CandidateRequest) -> HttpResponse:
    """Only the session's own candidate, only a published result: anything else is a 404."""
    data = candidate_feedback_pdf(request.candidate)
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="feedback.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
