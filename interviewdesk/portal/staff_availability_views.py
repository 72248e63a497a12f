"""The officer asks every candidate not yet planned when they cannot come (or reminds those who
have not answered), after a page that says how many will be mailed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from interviewdesk.core import dates
from interviewdesk.procedures.permissions import procedure_or_404

from .services.availability_requests import (
    ASK,
    REMIND,
    availability_request_audience,
    availability_request_counts,
    availability_request_refusal,
    availability_request_send,
)


@login_required
@require_http_methods(["GET", "POST"])
def availability_requests(request: HttpRequest, pk: int) -> HttpResponse:
    """GET (or a POST without confirmed=yes) says what will happen and changes nothing."""
    procedure = procedure_or_404(request.user, pk, "candidate.manage")
    data = request.POST if request.method == "POST" else request.GET
    mode = REMIND if data.get("mode") == REMIND else ASK
    back = reverse("planning:home", args=[procedure.pk])
    refusal = availability_request_refusal(procedure)
    if refusal:
        messages.error(request, refusal)
        return redirect(back)
    if request.method == "POST" and data.get("confirmed") == "yes":
        try:
            sent = availability_request_send(procedure=procedure, actor=request.user, mode=mode)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(back)
        if sent:
            messages.success(request, ngettext(
                "%(count)d candidate is asked by e-mail when they cannot come.",
                "%(count)d candidates are asked by e-mail when they cannot come.", sent) % {"count": sent})
        else:  # a second click, or another officer was quicker
            messages.info(request, _nobody(mode))
        return redirect(back)
    count = availability_request_audience(procedure, mode).count()
    if not count:
        messages.info(request, _nobody(mode))
        return redirect(back)
    counts = availability_request_counts(procedure)
    deadline = dates.long_date(procedure.unavailability_deadline)
    if mode == REMIND:
        heading, button = _("Remind those who have not answered"), _("Send the reminders")
        who = ngettext("%(count)d candidate was asked and has not answered yet.",
                       "%(count)d candidates were asked and have not answered yet.", count) % {"count": count}
    else:
        heading, button = _("Ask the candidates when they cannot come"), _("Send the e-mails")
        who = ngettext("%(count)d candidate not yet planned has not been asked yet.",
                       "%(count)d candidates not yet planned have not been asked yet.", count) % {"count": count}
    return render(request, "confirm.html", {
        "procedure": procedure, "heading": heading, "button": button,
        "facts": [(_("E-mails to send"), count), (_("Deadline for the candidates"), deadline),
                  (_("Candidates who answered already"), counts["answered"])],
        "consequences": [
            who,
            _("Each receives one e-mail in their language (Dutch, French or German) with their personal link "
              "and the deadline, %(deadline)s. On their page they mark the half-days they cannot come and, "
              "if they wish, those they prefer.") % {"deadline": deadline},
            _("Candidates mailed now are not mailed again by this button; later you can remind those "
              "who have not answered."),
        ],
        "action_url": reverse("portal:availability_requests", args=[procedure.pk]),
        "hidden": {"mode": mode}, "cancel_url": back,
        "destructive": False,  # it sends e-mails and changes no data: an ordinary button
    })


def _nobody(mode: str) -> str:
    if mode == REMIND:
        return _("Nobody to remind: every candidate asked has answered or is planned.")
    return _("Nobody to ask: every candidate not yet planned was asked already. "
             "You can remind those who have not answered.")
