"""The officer's set-up pages. Thin: check the right, call a form and a service, render.

Who may open what: creating a procedure needs procedures.add_procedure; rooms need
procedures.change_room; everything inside a procedure goes by its capability
(procedure.manage, availability.enter), and another procedure answers 404.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from interviewdesk.assessment.selectors import aggregation_of
from interviewdesk.core.models import ClosureDay
from interviewdesk.procedures.availability import grid_rows, slot_key, working_days
from interviewdesk.procedures.models import (
    Competency,
    CompetencyDictionary,
    Jury,
    Membership,
    Role,
    Room,
    StaffAvailability,
)
from interviewdesk.procedures.permissions import can, procedure_or_404
from interviewdesk.procedures.selectors import procedure_juries

from . import impact, selectors, services
from .forms import (
    ClosureDayForm,
    DayRangeForm,
    HouseRulesForm,
    JuryForm,
    MembershipForm,
    ProcedureForm,
    ProfileForm,
    RoomForm,
    ServiceHouseRulesForm,
    StaffInviteForm,
)

User = get_user_model()


def _form_errors(form, exc: ValidationError) -> None:
    form.add_error(None, exc)


def _confirm_or_save(request, *, form, sentences: list[str], template_context: dict):
    """When a change affects people already invited, show what it changes for whom first."""
    if sentences and request.POST.get("confirmed") != "1":
        return render(request, "setup/confirm_change.html", {**template_context, "form": form, "sentences": sentences})
    return None


# --- procedures ---------------------------------------------------------------------------------

@login_required
def procedure_new(request: HttpRequest) -> HttpResponse:
    if not services.user_may_create_procedures(request.user):
        raise PermissionDenied
    form = ProcedureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        aggregation = values.pop("aggregation")
        try:
            procedure = services.procedure_create(actor=request.user, aggregation=aggregation, **values)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Procedure created as a draft. Next: the function profile, people and juries."))
            return redirect("setup:profile", pk=procedure.pk)
    return render(request, "setup/procedure_form.html", {"form": form, "procedure": None})


@login_required
def procedure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "procedure.manage")
    current_aggregation = aggregation_of(procedure)
    form = ProcedureForm(request.POST or None, instance=procedure, aggregation=current_aggregation)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        aggregation = values.pop("aggregation")
        saved = type(procedure).objects.get(pk=procedure.pk)  # the form wrote into `procedure`
        changed = [name for name, value in values.items() if getattr(saved, name) != value]
        if aggregation != current_aggregation:
            changed.append("aggregation")
        labels = {name: str(form.fields[name].label) for name in form.fields}
        confirm = _confirm_or_save(request, form=form, sentences=impact.procedure_change_impact(saved, changed, labels),
                                   template_context={"procedure": saved, "action": request.path})
        if confirm:
            return confirm
        try:
            services.procedure_update(actor=request.user, procedure=saved, aggregation=aggregation, **values)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Procedure saved."))
            return redirect("setup:procedure_edit", pk=pk)
        procedure = saved
    return render(request, "setup/procedure_form.html", {"form": form, "procedure": procedure})


@login_required
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "procedure.manage")
    current = {row.competency_id: (row.order, row.weight) for row in procedure.profile.select_related("competency")}
    dictionaries = list(CompetencyDictionary.objects.order_by("name", "-version"))
    in_use = Competency.objects.filter(pk__in=current).values_list("dictionary_id", flat=True).first()
    chosen_id = request.GET.get("dictionary") or in_use or (dictionaries[0].pk if dictionaries else None)
    dictionary = next((d for d in dictionaries if str(d.pk) == str(chosen_id)), None)
    competencies = Competency.objects.filter(dictionary=dictionary).order_by("code") if dictionary else []
    form = ProfileForm(request.POST or None, competencies=competencies, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_set(actor=request.user, procedure=procedure, competencies=form.cleaned_data["profile"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Function profile saved."))
            return redirect("setup:profile", pk=pk)
    return render(request, "setup/profile.html", {"procedure": procedure, "form": form, "dictionaries": dictionaries,
                                                  "dictionary": dictionary})


@login_required
def house_rules(request: HttpRequest, pk: int) -> HttpResponse:
    """The house rules candidates of this procedure read and accept, in nl/fr/de."""
    procedure = procedure_or_404(request.user, pk, "procedure.manage")
    form = HouseRulesForm(request.POST or None, procedure=procedure)
    if request.method == "POST" and form.is_valid():
        before = procedure.house_rules_version
        procedure = services.house_rules_set(actor=request.user, procedure=procedure, texts=form.cleaned_data)
        if procedure.house_rules_version != before:
            messages.success(request, _("House rules saved. Candidates who accepted the earlier text are asked to "
                                        "read and accept them again."))
        else:
            messages.info(request, _("Nothing changed in the house rules."))
        return redirect("setup:house_rules", pk=pk)
    return render(request, "setup/house_rules.html", {"procedure": procedure, "form": form})


@login_required
def service_house_rules(request: HttpRequest) -> HttpResponse:
    """The service-wide house rules, in nl/fr/de: what candidates read where their procedure has no
    text of its own. For whoever may set up procedures."""
    if not services.may_edit_service_house_rules(request.user):
        raise PermissionDenied
    form = ServiceHouseRulesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = services.service_house_rules_set(actor=request.user, texts=form.texts(), links=form.links())
        if saved:
            messages.success(request, _("The service's house rules are saved. Candidates of running procedures "
                                        "that follow them, who accepted the earlier text, are asked to read and "
                                        "accept them again."))
        else:
            messages.info(request, _("Nothing changed in the house rules."))
        return redirect("setup:service_house_rules")
    return render(request, "setup/service_house_rules.html", {
        "form": form, "current": services.current_service_house_rules(),
        "languages": [(form[language], form[f"link_{language}"]) for language in ("nl", "fr", "de")]})


@login_required
def closure_days(request: HttpRequest) -> HttpResponse:
    """The days the service is closed on top of the public holidays: no interview is planned on them,
    and they do not count as working days before an interview (room requests, connection tests)."""
    if not services.may_edit_closure_days(request.user):
        raise PermissionDenied
    form = ClosureDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        day = services.closure_day_add(actor=request.user, **form.cleaned_data)
        messages.success(request, _("%(day)s is now a closure day.") % {"day": date_format(day.date, "DATE_FORMAT")})
        return redirect("setup:closure_days")
    this_year = timezone.localdate().replace(month=1, day=1)
    return render(request, "setup/closure_days.html", {
        "form": form, "days": ClosureDay.objects.filter(date__gte=this_year)})


@login_required
@require_POST
def closure_day_remove(request: HttpRequest, did: int) -> HttpResponse:
    if not services.may_edit_closure_days(request.user):
        raise PermissionDenied
    day = get_object_or_404(ClosureDay, pk=did)
    services.closure_day_remove(actor=request.user, day=day)
    messages.success(request, _("%(day)s is a working day again.") % {"day": date_format(day.date, "DATE_FORMAT")})
    return redirect("setup:closure_days")


# --- people -------------------------------------------------------------------------------------

def _people_page(request, procedure, *, add_form=None, invite_form=None, status=200):
    memberships = (Membership.objects.filter(procedure=procedure).select_related("user")
                   .order_by("role", "user__last_name", "user__first_name", "id"))
    return render(request, "setup/people.html", {
        "procedure": procedure, "memberships": memberships,
        "add_form": add_form or MembershipForm(), "invite_form": invite_form or StaffInviteForm(),
    }, status=status)


@login_required
def people(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "procedure.manage")
    return _people_page(request, procedure)


@login_required
@require_POST
def person_add(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "procedure.manage")
    form = MembershipForm(request.POST)
    if form.is_valid():
        try:
            services.membership_add(actor=request.user, procedure=procedure, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is now %(role)s in this procedure.") % {
                "name": form.cleaned_data["user"], "role": Role(form.cleaned_data["role"]).label})
            return redirect("setup:people", pk=pk)
    return _people_page(request, procedure, add_form=form, status=400)


@login_required
@require_POST
def person_invite(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "procedure.manage")
    form = StaffInviteForm(request.POST)
    if form.is_valid():
        try:
            membership = services.staff_invite(actor=request.user, procedure=procedure, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("%(name)s gets an e-mail with a link to choose a password.")
                             % {"name": membership.user})
            return redirect("setup:people", pk=pk)
    return _people_page(request, procedure, invite_form=form, status=400)


@login_required
@require_POST
def person_remove(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "procedure.manage")
    membership = get_object_or_404(Membership, pk=mid, procedure=procedure)
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s is no longer %(role)s in this procedure.")
                         % {"name": membership.user, "role": membership.get_role_display()})
    return redirect("setup:people", pk=pk)


class StaffWelcomeView(auth_views.PasswordResetConfirmView):
    """The link in the staff invitation: choose a password (Django's reset token, single use)."""

    template_name = "setup/welcome.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        messages.success(self.request, _("Your password is set. Log in with your user name %(username)s.")
                         % {"username": form.user.username})
        return super().form_valid(form)


# --- juries -------------------------------------------------------------------------------------

@login_required
def juries(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "procedure.manage")
    return render(request, "setup/juries.html", {"procedure": procedure, "juries": procedure_juries(procedure)})


@login_required
def jury_edit(request: HttpRequest, pk: int, jid: int | None = None) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "procedure.manage")
    jury = get_object_or_404(Jury, pk=jid, procedure=procedure) if jid else None
    initial = {}
    if jury:
        members = list(jury.members.select_related("user"))
        initial = {"name": jury.name, "languages": jury.languages,
                   "chair": next((m.user for m in members if m.role == "chair"), None),
                   "assessors": [m.user for m in members if m.role == "assessor"]}
    form = JuryForm(request.POST or None, initial=initial, procedure=procedure)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if jury:
            before = {initial["chair"], *initial["assessors"]} - {None}
            after = {data["chair"], *data["assessors"]}
            sentences = impact.jury_change_impact(
                jury, removed=sorted(before - after, key=str), added=sorted(after - before, key=str),
                languages_removed=[code for code in jury.languages if code not in data["languages"]])
            confirm = _confirm_or_save(request, form=form, sentences=sentences,
                                       template_context={"procedure": procedure, "action": request.path})
            if confirm:
                return confirm
        try:
            jury = services.jury_save(actor=request.user, procedure=procedure, jury=jury, name=data["name"],
                                      languages=data["languages"], chair=data["chair"], assessors=data["assessors"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Jury %(name)s saved.") % {"name": jury.name})
            return redirect("setup:juries", pk=pk)
    return render(request, "setup/jury_form.html", {"procedure": procedure, "form": form, "jury": jury})


# --- rooms --------------------------------------------------------------------------------------

ROOM_INTRO = gettext_lazy("Appointments are planned in this room. If you save this change:")


def _require_rooms(user) -> None:
    if not user.has_perm("procedures.change_room"):
        raise PermissionDenied


@login_required
def rooms(request: HttpRequest) -> HttpResponse:
    _require_rooms(request.user)
    return render(request, "setup/rooms.html", {"rooms": Room.objects.order_by("site", "name")})


@login_required
def room_edit(request: HttpRequest, rid: int | None = None) -> HttpResponse:
    _require_rooms(request.user)
    room = get_object_or_404(Room, pk=rid) if rid else None
    form = RoomForm(request.POST or None, instance=room)
    if request.method == "POST" and form.is_valid():
        if rid:
            saved = Room.objects.get(pk=rid)  # (validating the form already changed `room` in memory)
            changed = [name for name, value in form.cleaned_data.items() if getattr(saved, name) != value]
            confirm = _confirm_or_save(request, form=form, sentences=impact.room_change_impact(saved, changed),
                                       template_context={"action": request.path, "intro": ROOM_INTRO})
            if confirm:
                return confirm
        try:
            room = services.room_save(actor=request.user, room=Room.objects.get(pk=rid) if rid else None,
                                      **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Room saved."))
            return redirect("setup:room_days", rid=room.pk)
    return render(request, "setup/room_form.html", {"form": form, "room": room})


@login_required
def room_days(request: HttpRequest, rid: int) -> HttpResponse:
    _require_rooms(request.user)
    room = get_object_or_404(Room, pk=rid)
    today = timezone.localdate()
    range_form = DayRangeForm(request.GET or {"start": today, "end": today + dt.timedelta(days=27)})
    if not range_form.is_valid():
        range_form = DayRangeForm({"start": today, "end": today + dt.timedelta(days=27)})
        range_form.is_valid()
    start, end = range_form.cleaned_data["start"], range_form.cleaned_data["end"]
    days = working_days([start + dt.timedelta(days=n) for n in range((end - start).days + 1)])
    if request.method == "POST":
        free = {(day, part) for day, slots in grid_rows(days) for part, key in slots if request.POST.get(key)}
        was_free = {(row.date, row.part) for row in room.free_days.filter(date__in=days)}
        sentences = impact.room_days_impact(room, was_free - free)
        if sentences and request.POST.get("confirmed") != "1":
            hidden = [(key, "on") for _day, slots in grid_rows(days) for _part, key in slots if request.POST.get(key)]
            return render(request, "setup/confirm_change.html", {
                "sentences": sentences, "hidden": hidden, "action": request.get_full_path(),
                "intro": ROOM_INTRO})
        services.room_free_days_set(actor=request.user, room=room, days=days, free=free)
        messages.success(request, _("Free days of %(room)s saved.") % {"room": room})
        return redirect(request.get_full_path())
    checked = {slot_key(row.date, row.part): True for row in room.free_days.filter(date__in=days)}
    return render(request, "setup/room_days.html", {"room": room, "range_form": range_form, "rows": grid_rows(days),
                                                    "checked": checked})


# --- availability -------------------------------------------------------------------------------

def _availability_grid(procedure, user):
    days = working_days(procedure.planning_days())
    answers = {slot_key(row.date, row.part): row.available
               for row in StaffAvailability.objects.filter(procedure=procedure, user=user)}
    return days, answers


@login_required
def availability(request: HttpRequest, pk: int) -> HttpResponse:
    """Jury members and proctors: their own grid. Officers: everyone's answers, each editable."""
    procedure = procedure_or_404(request.user, pk, "availability.enter")
    people = list(services.availability_people(procedure))
    half_days = 2 * len(working_days(procedure.planning_days()))
    overview = selectors.availability_overview(procedure, people, half_days) \
        if can(request.user, "procedure.manage", procedure) else None
    return render(request, "setup/availability.html", {
        "procedure": procedure, "overview": overview, "mine": request.user in people, "half_days": half_days,
    })


@login_required
def availability_edit(request: HttpRequest, pk: int, uid: int) -> HttpResponse:
    procedure = procedure_or_404(request.user, pk, "availability.enter")
    if uid != request.user.pk and not can(request.user, "procedure.manage", procedure):
        raise Http404
    person = get_object_or_404(services.availability_people(procedure), pk=uid)
    days, answers = _availability_grid(procedure, person)
    if request.method == "POST":
        given = {(day, part): bool(request.POST.get(key)) for day, slots in grid_rows(days) for part, key in slots}
        try:
            count = services.staff_availability_set(actor=request.user, procedure=procedure, user=person, answers=given)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Availability saved (%(n)d half-days changed).") % {"n": count})
            return redirect("setup:availability_edit", pk=pk, uid=uid)
    return render(request, "setup/availability_edit.html", {
        "procedure": procedure, "person": person, "rows": grid_rows(days), "answers": answers,
        "own": person.pk == request.user.pk,
    })
