"""Planning runs and proposals: start a run, execute it (in the worker), adjust the proposal,
apply it (in the worker too: a thousand candidates are some 3,000 appointments). Applying goes
through the same services as the manual form (`appointment_plan`, `appointment_update`), in one
transaction: all or nothing."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from interviewdesk.core.audit import audit_record
from interviewdesk.core.models import User
from interviewdesk.portal.models import ConnectionTestSlot
from interviewdesk.portal.services.adjustments import adjustments_ahead_attach
from interviewdesk.portal.services.connection_tests import connection_test_book
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_plan, appointment_update

from . import moves
from .check import broken_rules
from .instance import OBJECTIVES, Instance, Slot, TestSlot
from .model import PinNoLongerFits
from .models import PlanningRun, ProposalItem
from .proposal import Figures, Item, Proposal
from .reasons import rule_text
from .selectors import planning_instance
from .solver import plan

log = logging.getLogger(__name__)


def _aware(day: dt.date, minutes: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60)))


def _local(value: dt.datetime) -> tuple[dt.date, int]:
    local = timezone.localtime(value)
    return local.date(), local.hour * 60 + local.minute


def planning_run_set_status(*, run: PlanningRun, to: str, actor=None, reason: str = "") -> PlanningRun:
    """The one place a run's status changes; refuses transitions not in PlanningRun.TRANSITIONS."""
    if to not in PlanningRun.TRANSITIONS[run.status]:
        raise ValidationError(_("A planning run that is %(from)s cannot become %(to)s.")
                              % {"from": run.get_status_display(), "to": PlanningRun.Status(to).label})
    from_state, run.status = run.status, to
    if run.finished:
        run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    audit_record(actor=actor, actor_label="" if actor else "worker", action="planning_run.status", obj=run,
                 procedure_id=run.procedure_id, from_state=from_state, to_state=to, reason=reason)
    return run


def planning_run_start(*, actor, procedure, objective_order: list[str] | None = None, time_limit: int = 60,
                       seed: int = 1, based_on: PlanningRun | None = None) -> PlanningRun:
    """A new run, queued for the worker in the same transaction (the web request never plans)."""
    from . import tasks  # (tasks imports this module: imported when used)

    order = list(objective_order or OBJECTIVES)
    if sorted(order) != sorted(OBJECTIVES):
        raise ValidationError(_("Put each objective in the order exactly once."))
    with transaction.atomic():
        run = PlanningRun.objects.create(procedure=procedure, created_by=actor, objective_order=order,
                                         time_limit=time_limit, seed=seed, based_on=based_on)
        audit_record(actor=actor, action="planning_run.started", obj=run, procedure_id=procedure.pk,
                     to_state=run.status, changes={"objective_order": (None, order)})
        tasks.run_planning.enqueue(run.pk)
    return run


def taken_out_of(run: PlanningRun) -> set[int]:
    """Who the officer took out: in this proposal, or in one before it (carried by each re-run)."""
    return set(run.taken_out) | set(run.items.filter(removed=True).values_list("candidate_id", flat=True))


def _adjustments(run: PlanningRun | None) -> tuple[dict[int, Slot], set[int]]:
    """Pinned slots and candidates taken out, from the proposal the officer adjusted. Who was
    taken out of an earlier proposal stays out (`run.taken_out`) until the officer puts them back."""
    if run is None:
        return {}, set()
    pinned, left_out = {}, set(run.taken_out)
    for item in run.items.all():
        if item.removed:
            left_out.add(item.candidate_id)
        elif item.pinned:
            day, start = _local(item.starts_at)
            pinned[item.candidate_id] = Slot(item.jury_id, day, start, proctor=item.proctor_id, room=item.room_id)
    return pinned, left_out


def _json(value):
    """A rule's parameters as JSON (days as ISO text; reasons.rule_text reads both)."""
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def _pin_failure(run: PlanningRun, instance: Instance, candidate_id: int) -> dict:
    """Which rules the pinned interview of `candidate_id` breaks now (what a move there is told)."""
    row = run.based_on.items.filter(candidate_id=candidate_id).first() if run.based_on else None
    rules: list[dict] = []
    if row is not None and candidate_id in {c.id for c in instance.candidates} \
            and row.jury_id in {j.id for j in instance.juries}:
        item = item_of(row)
        found = broken_rules(instance, Proposal(items=[item], unplanned={}, figures=Figures(planned=1)))
        rules = [{"code": b.code, "params": _json({**b.values, "allowed": instance.test_days_for(item.day)})}
                 for b in found if b.code != "pin_moved"]
    return {"code": "pin_no_longer_fits", "candidate": candidate_id, "rules": rules}


def planning_run_execute(*, run_id: int) -> str:
    """Run the planner for a queued run (called by the worker's task)."""
    with transaction.atomic():
        run = PlanningRun.objects.select_for_update().get(pk=run_id)
        if run.status != PlanningRun.Status.QUEUED:
            return run.status
        planning_run_set_status(run=run, to=PlanningRun.Status.RUNNING)
    procedure = run.procedure
    pinned, left_out = _adjustments(run.based_on)

    def progress(step: str, fraction: float) -> None:
        PlanningRun.objects.filter(pk=run.pk).update(progress=round(fraction * 100), progress_note=step)

    built: Instance | None = None
    try:
        instance = built = planning_instance(procedure, pinned=pinned, left_out=left_out)
        # Deterministic (issue 13: "the same seed gives the same proposal"): the time limit counts
        # CP-SAT's deterministic time, so a busy machine takes longer but proposes the same.
        proposal = plan(instance, seed=run.seed, time_limit=run.time_limit, deterministic=True,
                        objective_order=tuple(run.objective_order), on_progress=progress)
    except Exception as exc:
        log.exception("planning run %s failed", run.pk)
        with transaction.atomic():
            run.error = exc.__class__.__name__
            if isinstance(exc, PinNoLongerFits) and built is not None:
                run.failure = _pin_failure(run, built, exc.candidate_id)
            run.save(update_fields=["error", "failure"])
            planning_run_set_status(run=run, to=PlanningRun.Status.FAILED, reason=run.error)
        return run.status
    _store(run, instance, proposal, left_out)
    return run.status


def _store(run: PlanningRun, instance, proposal, left_out: set[int]) -> None:
    interviews = {a.candidate_id: a for a in Appointment.objects.filter(
        procedure=run.procedure, kind=Appointment.Kind.INTERVIEW).exclude(
        status__in=(Appointment.Status.CANCELLED, Appointment.Status.DONE)).order_by("starts_at")}
    tests = {a.candidate_id: a for a in Appointment.objects.filter(
        procedure=run.procedure, kind=Appointment.Kind.CONNECTION_TEST, status__in=Appointment.ACTIVE_STATUSES)}
    by_id = {c.id: c for c in instance.candidates}
    rows = []
    for item in proposal.items:
        test = item.test
        kept_test = tests.get(item.candidate) if by_id[item.candidate].test is not None else None
        rows.append(ProposalItem(
            run=run, candidate_id=item.candidate, jury_id=item.jury, starts_at=_aware(item.day, item.start),
            ends_at=_aware(item.day, item.end),
            case_starts_at=_aware(item.day, item.case_start) if item.case_start is not None else None,
            case_ends_at=_aware(item.day, item.case_end) if item.case_end is not None else None,
            proctor_id=item.proctor, room_id=item.room,
            test_starts_at=_aware(test.day, test.start) if test else None,
            test_ends_at=_aware(test.day, test.end) if test else None,
            test_proctor_id=test.proctor if test else None,
            appointment=interviews.get(item.candidate), test_appointment=kept_test,
            moved=item.moved or (item.candidate in interviews and not interviews[item.candidate].is_active),
            pinned=item.pinned, why={"code": item.why.code, "params": item.why.params} if item.why else {}))
    f = proposal.figures
    figures = {
        "candidates": f.candidates, "planned": f.planned, "plannable_bound": f.plannable_bound,
        "last_day": f.last_day.isoformat() if f.last_day else None, "jury_days": f.jury_days,
        "jury_days_bound": f.jury_days_bound, "idle_minutes": f.idle_minutes, "moves": f.moves,
        "preferred_met": f.preferred_met, "preferred_asked": f.preferred_asked, "max_load": f.max_load,
        "seconds": f.seconds, "left_out": len(left_out), "deterministic": True, "seed": run.seed,
        "gap": round(f.jury_days_gap * 100, 1) if f.jury_days_gap is not None else None,
    }
    with transaction.atomic():
        ProposalItem.objects.bulk_create(rows)
        run.figures = figures
        run.unplanned = {str(cid): {"code": r.code, "params": r.params} for cid, r in proposal.unplanned.items()}
        run.taken_out = sorted(left_out)
        run.progress = 100
        run.save(update_fields=["figures", "unplanned", "taken_out", "progress"])
        planning_run_set_status(run=run, to=PlanningRun.Status.DONE)


def _editable(run: PlanningRun) -> None:
    if run.status != PlanningRun.Status.DONE:
        raise ValidationError(_("Only a proposal that is ready can be changed or applied."))


def proposal_item_adjust(*, actor, item: ProposalItem, pinned: bool | None = None,
                         removed: bool | None = None) -> ProposalItem:
    """Pin an item (a re-run keeps it), or take it out (a re-run leaves the candidate out)."""
    _editable(item.run)
    changes = {}
    if pinned is not None and pinned != item.pinned:
        changes["pinned"] = (item.pinned, pinned)
        item.pinned = pinned
    if removed is not None and removed != item.removed:
        changes["removed"] = (item.removed, removed)
        item.removed = removed
    if changes:
        with transaction.atomic():
            item.save(update_fields=["pinned", "removed"])
            audit_record(actor=actor, action="proposal_item.adjusted", obj=item, procedure_id=item.run.procedure_id,
                         changes=changes)
    return item


def item_of(row: ProposalItem) -> Item:
    """A stored item as the planner's plain data (what check.broken_rules reads)."""
    day, start = _local(row.starts_at)
    test = None
    if row.test_starts_at and row.test_ends_at and row.test_proctor_id:
        test_day, test_start = _local(row.test_starts_at)
        test = TestSlot(row.test_proctor_id, test_day, test_start, _local(row.test_ends_at)[1])
    return Item(candidate=row.candidate_id, jury=row.jury_id, day=day, start=start, end=_local(row.ends_at)[1],
                case_start=_local(row.case_starts_at)[1] if row.case_starts_at else None,
                case_end=_local(row.case_ends_at)[1] if row.case_ends_at else None,
                proctor=row.proctor_id, room=row.room_id, test=test, pinned=row.pinned, moved=row.moved)


def proposal_put_back(*, actor, run: PlanningRun, candidate_id: int) -> None:
    """Undo "take out": a candidate taken out of this proposal gets their item back; one taken out
    of an earlier proposal (no item here) is listed as not planned, and the next re-run plans them."""
    _editable(run)
    item = run.items.filter(candidate_id=candidate_id, removed=True).first()
    if item is not None:
        proposal_item_adjust(actor=actor, item=item, removed=False)
        return
    if candidate_id not in run.taken_out:
        raise ValidationError(_("This candidate is not taken out of the proposal."))
    with transaction.atomic():
        run.taken_out = [cid for cid in run.taken_out if cid != candidate_id]
        run.unplanned = {**run.unplanned, str(candidate_id): {"code": "put_back", "params": {}}}
        run.save(update_fields=["taken_out", "unplanned"])
        audit_record(actor=actor, action="proposal.put_back", obj=run, procedure_id=run.procedure_id,
                     changes={"taken_out": (candidate_id, None)})


def proposal_item_move(*, actor, item: ProposalItem, jury, starts_at: dt.datetime) -> ProposalItem:
    """Put an item at another time or jury by hand; it is then pinned. Refused, with one message
    per broken rule and nothing saved, unless the interview keeps every hard rule the planner
    keeps (`moves.place`: the same `check.broken_rules`, on the planning problem as it is now)."""
    run = item.run
    _editable(run)
    if jury.procedure_id != run.procedure_id:
        raise ValidationError(_("The jury belongs to another procedure."))
    rows = list(run.items.filter(removed=False).exclude(pk=item.pk))
    instance = planning_instance(run.procedure, left_out=taken_out_of(run))
    planned = {c.id for c in instance.candidates}
    juries = {j.id: j.name for j in instance.juries}
    if item.candidate_id not in planned:
        raise ValidationError(_("This candidate is no longer to be planned (their interview took place, or it "
                                "was set outside the planning window)."))
    others = [item_of(r) for r in rows if r.candidate_id in planned and r.jury_id in juries]
    day, start = _local(starts_at)
    place, problems = moves.place(instance, others, item_of(item), jury=jury.pk, day=day, start=start)
    if problems:
        texts = [rule_text(b.code, {**b.values, "allowed": instance.test_days_for(day)}, jury_names=juries)
                 for b in problems]
        raise ValidationError(list(dict.fromkeys(texts)))
    old = (item.jury_id, item.starts_at.isoformat())
    item.jury = jury
    item.starts_at, item.ends_at = _aware(day, place.start), _aware(day, place.end)
    if place.case_start is not None and place.case_end is not None:
        item.case_starts_at, item.case_ends_at = _aware(day, place.case_start), _aware(day, place.case_end)
    item.proctor_id, item.room_id = place.proctor, place.room
    item.pinned = True
    # An interview that exists is moved on Apply only when its item says so.
    held = item.appointment
    item.moved = item.moved or (held is not None and (item.jury_id, item.starts_at) != (held.jury_id, held.starts_at))
    with transaction.atomic():
        item.save()
        audit_record(actor=actor, action="proposal_item.moved", obj=item, procedure_id=run.procedure_id,
                     changes={"slot": (old, (jury.pk, starts_at.isoformat()))})
    return item


def _new(run, item, kind, starts_at, ends_at, **extra) -> Appointment:
    mode = Appointment.Mode.PROVIDED_ROOM if extra.get("room") else Appointment.Mode.HOME
    return Appointment(procedure=run.procedure, candidate=item.candidate, kind=kind, starts_at=starts_at,
                       ends_at=ends_at, mode=mode, **extra)


def proposal_apply_start(*, actor, run: PlanningRun, language: str | None = None) -> PlanningRun:
    """Queue Apply for the worker (the web request never waits for thousands of appointments).
    `language`: the officer's, for the message saying why nothing was applied."""
    from . import tasks  # (tasks imports this module: imported when used)

    with transaction.atomic():
        run = PlanningRun.objects.select_for_update().get(pk=run.pk)
        _editable(run)
        run.apply_started_at, run.apply_error = timezone.now(), ""
        run.apply_language = language or translation.get_language() or ""
        run.save(update_fields=["apply_started_at", "apply_language", "apply_error"])
        planning_run_set_status(run=run, to=PlanningRun.Status.APPLYING, actor=actor)
        tasks.apply_proposal.enqueue(run.pk, actor.pk)
    return run


def proposal_apply_execute(*, run_id: int, actor_id: int) -> str:
    """The worker's Apply: `proposal_apply`, or, when a step is refused, the proposal back to
    "ready" with the reason (nothing was applied). Returns the run's status."""
    run = PlanningRun.objects.get(pk=run_id)
    if run.status != PlanningRun.Status.APPLYING:
        return run.status
    actor = User.objects.get(pk=actor_id)
    with translation.override(run.apply_language or None):
        try:
            proposal_apply(actor=actor, run=run)
        except ValidationError as exc:
            proposal_apply_refused(run_id=run_id, actor=actor, problem=" ".join(exc.messages))
    return PlanningRun.objects.values_list("status", flat=True).get(pk=run_id)


@transaction.atomic
def proposal_apply_refused(*, run_id: int, problem: str = "", actor=None) -> None:
    """Nothing was applied (a refused step, or a worker that stopped: `problem` empty): the
    proposal is ready again, with the reason in the officer's language."""
    run = PlanningRun.objects.select_for_update().get(pk=run_id)
    if run.status != PlanningRun.Status.APPLYING:
        return
    if not problem:
        with translation.override(run.apply_language or None):
            problem = _("The worker stopped while applying; nothing was applied. Apply again.")
    run.apply_error = problem
    run.save(update_fields=["apply_error"])
    planning_run_set_status(run=run, to=PlanningRun.Status.DONE, actor=actor, reason=problem)


@transaction.atomic
def proposal_apply(*, actor, run: PlanningRun) -> dict[str, int]:
    """Every item becomes appointments (case, interview, connection test) or moves the one
    that exists (SEQUENCE + 1 through `appointment_update`). All or nothing: the first
    refusal rolls everything back and names the candidate. Connection tests become group slots
    (`ConnectionTestSlot`) with a booking per candidate, booked in the officer's name; nothing is
    mailed (the officer then sends all invitations). Called by the worker (`proposal_apply_execute`)
    on a run being applied, or directly on a ready one."""
    run = PlanningRun.objects.select_for_update().get(pk=run.pk)
    if run.status != PlanningRun.Status.APPLYING:
        _editable(run)
        planning_run_set_status(run=run, to=PlanningRun.Status.APPLYING, actor=actor)
    counts = {"created": 0, "moved": 0}
    items = run.items.filter(removed=False).select_related("candidate", "appointment", "room")
    cases = {a.candidate_id: a for a in Appointment.objects.filter(
        procedure=run.procedure, kind=Appointment.Kind.PREPARATION).exclude(
        status__in=(Appointment.Status.CANCELLED, Appointment.Status.DONE))}
    slots: dict = {}
    placed: list[Appointment] = []  # cases and interviews created or moved: their times include extra time
    for item in items.order_by("test_starts_at", "starts_at", "id"):
        try:
            counts_for = _apply_item(actor, run, item, cases.get(item.candidate_id), slots, placed)
        except ValidationError as exc:
            raise ValidationError(_("%(name)s: %(problem)s") % {
                "name": item.candidate.full_name, "problem": " ".join(exc.messages)}) from exc
        for key, value in counts_for.items():
            counts[key] += value
    adjustments_ahead_attach(actor=actor, appointments=placed)
    planning_run_set_status(run=run, to=PlanningRun.Status.APPLIED, actor=actor)
    audit_record(actor=actor, action="proposal.applied", obj=run, procedure_id=run.procedure_id,
                 changes={"created": (None, counts["created"]), "moved": (None, counts["moved"])})
    return counts


def _test_slot(run: PlanningRun, proctor_id: int, starts_at: dt.datetime, ends_at: dt.datetime,
               slots: dict) -> ConnectionTestSlot:
    """The group slot of an item's connection test (one per proctor and time, shared by its group)."""
    key = (proctor_id, starts_at, ends_at)
    if key not in slots:
        slots[key] = ConnectionTestSlot.objects.create(
            procedure=run.procedure, proctor_id=proctor_id, starts_at=starts_at,
            ends_at=ends_at, capacity=run.procedure.connection_test_group_size)
    return slots[key]


def _apply_item(actor, run, item: ProposalItem, case: Appointment | None, slots: dict,
                placed: list[Appointment]) -> dict[str, int]:
    counts = {"created": 0, "moved": 0}
    room_id = item.room_id
    mode = Appointment.Mode.PROVIDED_ROOM if room_id else Appointment.Mode.HOME
    interview = item.appointment
    if interview is not None:
        if item.moved:
            if case is not None and item.case_starts_at:
                placed.append(appointment_update(
                    actor=actor, appointment=case, reason=_("re-planned"), starts_at=item.case_starts_at,
                    ends_at=item.case_ends_at, proctor_id=item.proctor_id, room_id=room_id, mode=mode))
            interview = appointment_update(actor=actor, appointment=interview, reason=_("re-planned"),
                                           starts_at=item.starts_at, ends_at=item.ends_at, jury_id=item.jury_id,
                                           proctor_id=item.proctor_id, room_id=room_id, mode=mode)
            placed.append(interview)
            counts["moved"] += 1
    else:
        if item.case_starts_at:
            placed.append(appointment_plan(actor=actor, appointment=_new(
                run, item, Appointment.Kind.PREPARATION, item.case_starts_at, item.case_ends_at,
                proctor_id=item.proctor_id, room=item.room)))
            counts["created"] += 1
        interview = appointment_plan(actor=actor, appointment=_new(
            run, item, Appointment.Kind.INTERVIEW, item.starts_at, item.ends_at, jury_id=item.jury_id,
            proctor_id=item.proctor_id, room=item.room))
        placed.append(interview)
        counts["created"] += 1
    if item.test_starts_at and item.test_ends_at and item.test_proctor_id and item.test_appointment_id is None:
        # Booked like a candidate's own booking, so the proctor's connection-test page lists it.
        connection_test_book(candidate=item.candidate, slot=_test_slot(
            run, item.test_proctor_id, item.test_starts_at, item.test_ends_at, slots), interview=interview,
            booked_by=actor, send=False)
        counts["created"] += 1
    return counts
