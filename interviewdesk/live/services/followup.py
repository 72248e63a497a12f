"""After a stopped or missed session: the follow-up task, the messages, the new appointment."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from interviewdesk.core.audit import audit_record
from interviewdesk.messaging.services import Recipient, message_queue
from interviewdesk.procedures.models import Membership, Role
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_update

from ..models import FollowUp, LiveSession, State
from .machine import RETRY_STATES, IllegalTransition, apply, lock, session_current


def _officers(appointment: Appointment) -> list[Recipient]:
    memberships = Membership.objects.filter(procedure_id=appointment.procedure_id,
                                            role=Role.SELECTION_OFFICER).select_related("user")
    people = [Recipient(m.user.email, str(m.user), m.user.language) for m in memberships if m.user.email]
    if people:
        return people
    procedure = appointment.procedure
    return [Recipient(procedure.contact_email, procedure.contact_name, "en")]


def _notify(session: LiveSession, follow_up: FollowUp, *, was_no_show: bool) -> None:
    appointment = session.appointment
    candidate = appointment.candidate
    procedure = appointment.procedure
    context = {"candidate": candidate, "procedure": procedure, "appointment": appointment,
               "was_no_show": was_no_show, "follow_up": follow_up}
    message_queue(kind="live_session_stopped", template="live_session_stopped", context=context,
                  to=Recipient(candidate.email, candidate.full_name, candidate.language),
                  procedure=procedure, candidate=candidate, appointment=appointment,
                  dedupe_key=f"live-session-stopped-{session.pk}")
    follow_ups_url = settings.SITE_URL + reverse("live:follow_ups", args=[procedure.pk])
    for index, officer in enumerate(_officers(appointment)):
        message_queue(kind="live_new_appointment_needed", template="live_new_appointment_needed",
                      context={**context, "follow_ups_url": follow_ups_url},
                      to=officer, procedure=procedure,
                      candidate=candidate, appointment=appointment,
                      dedupe_key=f"live-new-appointment-{session.pk}-{index}")


def need_new_appointment(session: LiveSession, *, actor, actor_label: str = "", reason: str = "",
                         notify: bool = True) -> FollowUp:
    """On a locked stopped/no-show session: move it on, open the officer's task, tell the candidate."""
    was_no_show = session.state == State.NO_SHOW
    apply(session, State.NEEDS_NEW_APPOINTMENT, actor=actor, reason=reason, actor_label=actor_label)
    follow_up = FollowUp.objects.filter(appointment=session.appointment, kind=FollowUp.Kind.NEW_APPOINTMENT_NEEDED,
                                        done_at__isnull=True).first()
    if follow_up is None:
        # The session's own reason as a code, worded in each reader's language; or the officer's words.
        code, params = (session.stop_code, session.stop_params) if not reason else ("", {})
        follow_up = FollowUp.objects.create(procedure_id=session.appointment.procedure_id,
                                            appointment=session.appointment, reason=reason or session.stop_reason,
                                            reason_code=code, reason_params=params)
        with translation.override("en"):
            audit_reason = follow_up.reason_display
        audit_record(actor=actor, action="live_follow_up.opened", obj=follow_up,
                     procedure_id=follow_up.procedure_id, to_state="open", reason=audit_reason,
                     actor_label=actor_label)
    if notify:
        _notify(session, follow_up, was_no_show=was_no_show)
    return follow_up


def session_request_new_appointment(*, actor, session: LiveSession, reason: str = "") -> FollowUp:
    """A stopped or missed session needs a new appointment (the selection officer's decision)."""
    with transaction.atomic():
        return need_new_appointment(lock(session), actor=actor, reason=reason.strip())


def session_reschedule(*, actor, session: LiveSession, starts_at: dt.datetime) -> Appointment:
    """Give a stopped or missed session a new slot. The same appointment moves (same calendar UID,
    SEQUENCE + 1), so the candidate's calendar updates the same event; conflicts are refused."""
    with transaction.atomic():
        locked = lock(session)
        if locked.state in (State.STOPPED, State.NO_SHOW):
            need_new_appointment(locked, actor=actor, notify=False)
        elif locked.state != State.NEEDS_NEW_APPOINTMENT:
            raise IllegalTransition(_("Only a stopped or missed session gets a new appointment."))
        appointment = Appointment.objects.get(pk=locked.appointment_id)
        duration = appointment.ends_at - appointment.starts_at
        return appointment_update(actor=actor, appointment=appointment, starts_at=starts_at,
                                  ends_at=starts_at + duration,
                                  # English msgid: the history translates it for each reader.
                                  reason=gettext_noop("New appointment after a stopped or missed session."))


def on_appointment_changed(sender, *, appointment: Appointment, change: str, actor=None, fields=(), **kwargs) -> None:
    """Whoever moves a stopped or missed appointment (this app or the scheduling pages), the
    officer's task is done and the new time gets a fresh session attempt."""
    if change != "updated" or "starts_at" not in fields or not appointment.is_active:
        return
    latest = appointment.live_sessions.order_by("-attempt").first()
    if latest is None or latest.state not in RETRY_STATES:
        return
    now = timezone.now()
    for follow_up in FollowUp.objects.filter(appointment=appointment, done_at__isnull=True):
        follow_up.done_at = now
        follow_up.save(update_fields=["done_at"])
        audit_record(actor=actor, action="live_follow_up.done", obj=follow_up, procedure_id=follow_up.procedure_id,
                     from_state="open", to_state="done")
    session_current(appointment)
