"""The officer's planning pages: start a run, follow it, review and adjust the proposal, apply it."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from interviewdesk.portal.services.availability_requests import availability_request_counts
from interviewdesk.procedures.permissions import procedure_or_404

from . import services
from .forms import OBJECTIVE_LABELS, ItemMoveForm, PlanningStartForm
from .models import PlanningRun, ProposalItem
from .reasons import reason_text, rule_text

CAPABILITY = "planning.manage"


def _run_or_404(request: HttpRequest, pk: int, run_id: int) -> tuple:
    procedure = procedure_or_404(request.user, pk, CAPABILITY)
    return procedure, get_object_or_404(PlanningRun, procedure=procedure, pk=run_id)


@login_required
def planning_home(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, CAPABILITY)
    form = PlanningStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.planning_run_start(actor=request.user, procedure=procedure,
                                              objective_order=form.cleaned_data["objective_order"],
                                              time_limit=form.cleaned_data["time_limit"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The planner is at work. This page shows its progress."))
            return redirect("planning:run", procedure.pk, run.pk)
    runs = procedure.planning_runs.select_related("created_by")[:20]
    window = procedure.planning_days()
    return render(request, "planning/home.html", {
        "procedure": procedure, "form": form, "runs": runs, "window": window,
        "asking": availability_request_counts(procedure) if window else None})


def _figures(run: PlanningRun) -> dict:
    f = dict(run.figures)
    if f.get("last_day"):
        f["last_day"] = dt.date.fromisoformat(f["last_day"])
    return f


def _grid(run: PlanningRun, items: list[ProposalItem]) -> dict:
    juries = sorted({(i.jury.name, i.jury_id) for i in items})
    days = sorted({timezone.localtime(i.starts_at).date() for i in items})
    cells: dict = {}
    for i in items:
        cells.setdefault((timezone.localtime(i.starts_at).date(), i.jury_id), []).append(i)
    return {"juries": [name for name, _id in juries],
            "rows": [(day, [cells.get((day, jid), []) for _n, jid in juries]) for day in days]}


def _name(candidate) -> str:
    """How the proposal page names a candidate (never by e-mail)."""
    return f"{candidate.last_name}, {candidate.first_name}"


def _failure(procedure, run: PlanningRun) -> dict | None:
    """Why a re-run failed, for the officer: whose pinned interview no longer fits, and why."""
    if run.status != PlanningRun.Status.FAILED or run.failure.get("code") != "pin_no_longer_fits":
        return None
    candidate = procedure.candidates.filter(pk=run.failure.get("candidate")).first()
    juries = dict(procedure.juries.values_list("pk", "name"))
    reasons = [rule_text(r["code"], r["params"], jury_names=juries) for r in run.failure.get("rules", [])]
    return {"name": _name(candidate) if candidate else _("a candidate no longer in the procedure"),
            "reasons": list(dict.fromkeys(reasons)) or [
                _("It no longer fits the planning window, the availability or the connection-test days.")]}


def _taken_out(procedure, run: PlanningRun) -> list[dict]:
    ids = services.taken_out_of(run)
    rows = [{"id": c.pk, "name": _name(c)} for c in procedure.candidates.filter(pk__in=ids)]
    return sorted(rows, key=lambda row: (row["name"], row["id"]))


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    procedure, run = _run_or_404(request, pk, run_id)
    view = "grid" if request.GET.get("view") == "grid" else "list"
    context = {"procedure": procedure, "run": run, "view": view, "figures": _figures(run),
               "order": [OBJECTIVE_LABELS.get(o, o) for o in run.objective_order], "failure": _failure(procedure, run)}
    if run.status in (PlanningRun.Status.DONE, PlanningRun.Status.APPLYING, PlanningRun.Status.APPLIED):
        items = run.items.select_related("candidate", "jury", "proctor", "room", "test_proctor")
        if view == "grid":
            context["grid"] = _grid(run, [i for i in items if not i.removed])
        else:
            page = Paginator(items, 100).get_page(request.GET.get("page"))
            for item in page:
                item.why_text = reason_text(item.why)
            context["items"] = page
        unplanned_ids = [int(cid) for cid in run.unplanned]
        names = dict(procedure.candidates.filter(pk__in=unplanned_ids).values_list("pk", "last_name"))
        firsts = dict(procedure.candidates.filter(pk__in=unplanned_ids).values_list("pk", "first_name"))
        context["unplanned"] = [{"name": f"{names.get(cid, '')}, {firsts.get(cid, '')}",
                                 "why": reason_text(run.unplanned[str(cid)])}
                                for cid in sorted(unplanned_ids, key=lambda c: (names.get(c, ""), c))]
        context["moves"] = run.items.filter(moved=True, removed=False).count()
        context["taken_out"] = _taken_out(procedure, run)
    return render(request, "planning/run.html", context)


@login_required
@require_GET
def run_progress(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    procedure, run = _run_or_404(request, pk, run_id)
    if request.GET.get("of") == "apply":
        if run.status == PlanningRun.Status.APPLYING:
            return render(request, "planning/_applying.html", {"procedure": procedure, "run": run})
        # Applied, or nothing applied: the whole page changes (actions, messages), so htmx reloads it.
        return HttpResponse(headers={"HX-Refresh": "true"})
    return render(request, "planning/_progress.html", {"procedure": procedure, "run": run,
                                                       "failure": _failure(procedure, run)})


@login_required
@require_POST
def item_adjust(request: HttpRequest, pk: int, run_id: int, item_id: int) -> HttpResponse:
    procedure, run = _run_or_404(request, pk, run_id)
    item = get_object_or_404(ProposalItem, run=run, pk=item_id)
    action = request.POST.get("action", "")
    values = {"pin": {"pinned": True}, "unpin": {"pinned": False}, "remove": {"removed": True},
              "restore": {"removed": False}}.get(action)
    if values is None:
        messages.error(request, _("Unknown action."))
    else:
        try:
            services.proposal_item_adjust(actor=request.user, item=item, **values)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect(f"{reverse('planning:run', args=[procedure.pk, run.pk])}#item-{item.pk}")


@login_required
@require_POST
def put_back(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    """Put a candidate taken out back: the next re-run plans them again."""
    procedure, run = _run_or_404(request, pk, run_id)
    raw = request.POST.get("candidate", "")
    candidate = get_object_or_404(procedure.candidates, pk=int(raw)) if raw.isdigit() else None
    if candidate is None:
        messages.error(request, _("Choose a candidate to put back."))
    else:
        try:
            services.proposal_put_back(actor=request.user, run=run, candidate_id=candidate.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(name)s is back in: the next re-run plans them.")
                             % {"name": _name(candidate)})
    return redirect(f"{reverse('planning:run', args=[procedure.pk, run.pk])}#taken-out")


@login_required
def item_move(request: HttpRequest, pk: int, run_id: int, item_id: int) -> HttpResponse:
    procedure, run = _run_or_404(request, pk, run_id)
    item = get_object_or_404(ProposalItem.objects.select_related("candidate", "jury"), run=run, pk=item_id)
    local = timezone.localtime(item.starts_at)
    form = ItemMoveForm(request.POST or None, procedure=procedure,
                        initial={"jury": item.jury, "day": local.date(), "start": local.time()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at = timezone.make_aware(dt.datetime.combine(data["day"], data["start"]))
        try:
            services.proposal_item_move(actor=request.user, item=item, jury=data["jury"], starts_at=starts_at)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Moved and pinned. Re-run the planner around it, or apply."))
            return redirect("planning:run", procedure.pk, run.pk)
    return render(request, "planning/item_move.html", {"procedure": procedure, "run": run, "item": item,
                                                       "form": form})


@login_required
@require_POST
def run_rerun(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    procedure, run = _run_or_404(request, pk, run_id)
    new = services.planning_run_start(actor=request.user, procedure=procedure, objective_order=run.objective_order,
                                      time_limit=run.time_limit, seed=run.seed, based_on=run)
    messages.success(request, _("The planner is at work around your pinned items."))
    return redirect("planning:run", procedure.pk, new.pk)


@login_required
def run_apply(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    procedure, run = _run_or_404(request, pk, run_id)
    items = run.items.filter(removed=False)
    counts = {"new": items.filter(appointment__isnull=True).count(), "moves": items.filter(moved=True).count(),
              "out": run.items.filter(removed=True).count() + len(run.taken_out)}
    if request.method == "POST":
        try:
            services.proposal_apply_start(actor=request.user, run=run)
        except ValidationError as exc:
            messages.error(request, _("Nothing was applied. %(problem)s") % {"problem": " ".join(exc.messages)})
        else:
            return redirect("planning:run", procedure.pk, run.pk)
    return render(request, "planning/apply.html", {"procedure": procedure, "run": run, "counts": counts})
