"""Staff page: calendar answers the reply reader did not apply by itself (docs/messaging.md)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from interviewdesk.procedures.permissions import can, procedure_or_404

from . import selectors
from .models import ReplyReview
from .services.replies import reply_review_handle


@login_required
@require_GET
def reply_reviews(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "mail.view")
    page = Paginator(selectors.reply_reviews(procedure), 50).get_page(request.GET.get("page"))
    return render(request, "messaging/reply_reviews.html", {
        "procedure": procedure, "page": page, "can_handle": can(request.user, "appointment.manage", procedure),
    })


@login_required
@require_POST
def reply_review_handled(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "appointment.manage")
    review = get_object_or_404(ReplyReview, procedure=procedure, pk=rid)
    reply_review_handle(actor=request.user, review=review)
    messages.success(request, _("Marked as dealt with."))
    return redirect("messaging:reply_reviews", pk=procedure.pk)
