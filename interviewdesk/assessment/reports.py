"""PDF reports with WeasyPrint, rendered in the candidate's language, never fetching anything remote."""

from __future__ import annotations

import logging
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from interviewdesk.core.audit import audit_history

from . import selectors
from .models import Result

# WeasyPrint reports every rendering step at INFO; keep the logs for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

STYLESHEET = Path(__file__).parent / "templates" / "assessment" / "pdf" / "report.css"


def render_pdf(template: str, context: dict, language: str) -> bytes:
    from weasyprint import CSS, HTML  # imported late: loading Pango costs time at start-up
    from weasyprint.urls import URLFetcher

    with translation.override(language):
        html = render_to_string(template, {**context, "language": language})
    # Only data: URLs may load; no http(s), no file: — the report is self-contained.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher)])


def _base(result: Result) -> dict:
    result = selectors.result_detail(result)
    appointment = result.appointment
    return {"result": result, "appointment": appointment, "candidate": appointment.candidate,
            "procedure": appointment.procedure}


def feedback_pdf(result: Result) -> bytes:
    """The candidate's feedback report: levels and justification per competency; no names, no individual scores."""
    context = _base(result)
    return render_pdf("assessment/pdf/feedback.html", context, context["candidate"].language)


def jury_pdf(result: Result, timeline: list[dict] | None = None) -> bytes:
    """The jury report. `timeline` is the live session's events as {at, label, detail} (wired by the integrator)."""
    context = _base(result)
    appointment = context["appointment"]
    sheets = [selectors.sheet_detail(s) for s in selectors.submitted_sheets(appointment)]
    context.update({
        "timeline": timeline or [],
        "sheets": sheets,
        "comparison": selectors.comparison(appointment),
        "corrections": [e for e in audit_history(context["result"]) if e.action == "result.corrected"],
    })
    return render_pdf("assessment/pdf/jury.html", context, context["candidate"].language)


def candidate_feedback_pdf(candidate) -> bytes | None:
    """The feedback report the candidate may download: only once their result is published."""
    result = selectors.published_result(candidate)
    return feedback_pdf(result) if result else None
