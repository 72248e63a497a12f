"""What a change to a procedure, a jury or a room will change, and for whom, once appointments exist.

The set-up pages show these sentences and ask for a confirmation before saving. Counting runs
a fixed number of queries.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from interviewdesk.procedures.models import HalfDay, Jury, Procedure, Room
from interviewdesk.scheduling.models import Appointment

from .selectors import ROOM_PLACE_FIELDS, room_coming_appointments

# Fields whose new value candidates will read in the portal and in later e-mails.
SHOWN_TO_CANDIDATES = ("reference", "title", "contact_name", "contact_email", "contact_phone", "extra_material",
                       "pre_stage")
# Fields that shape appointments: existing ones keep their times.
DURATIONS = ("interview_minutes", "pre_stage_minutes", "scoring_buffer_minutes")
SCORING = ("pass_mark_pct", "scale", "aggregation")


def _coming(procedure: Procedure):
    return Appointment.objects.filter(procedure=procedure, status__in=Appointment.ACTIVE_STATUSES,
                                      starts_at__gte=timezone.now())


def invited_candidate_count(procedure: Procedure) -> int:
    """Candidates with a coming appointment whose invitation already went out."""
    return _coming(procedure).filter(status__in=(Appointment.Status.INVITED, Appointment.Status.CONFIRMED)) \
        .values("candidate_id").distinct().count()


def procedure_change_impact(procedure: Procedure, changed: list[str], labels: dict[str, str]) -> list[str]:
    """One sentence per kind of consequence; empty when nobody has been invited yet."""
    invited = invited_candidate_count(procedure)
    if not invited or not changed:
        return []
    sentences = []
    shown = [labels[name] for name in changed if name in SHOWN_TO_CANDIDATES]
    if shown:
        sentences.append(ngettext(
            "%(fields)s: the %(n)d candidate already invited reads the new value in the portal and in e-mails "
            "sent from now on; e-mails already sent keep the old one.",
            "%(fields)s: the %(n)d candidates already invited read the new value in the portal and in e-mails "
            "sent from now on; e-mails already sent keep the old one.", invited,
        ) % {"fields": ", ".join(shown), "n": invited})
    durations = [labels[name] for name in changed if name in DURATIONS]
    if durations:
        coming = _coming(procedure).count()
        sentences.append(ngettext(
            "%(fields)s: applies to appointments planned from now on; the %(n)d coming appointment keeps its times.",
            "%(fields)s: applies to appointments planned from now on; the %(n)d coming appointments keep their "
            "times.", coming,
        ) % {"fields": ", ".join(durations), "n": coming})
    scoring = [labels[name] for name in changed if name in SCORING]
    if scoring:
        sentences.append(_("%(fields)s: applies to results signed off from now on; results already signed off "
                           "keep theirs.") % {"fields": ", ".join(scoring)})
    if "language" in changed or "extra_languages" in changed:
        sentences.append(_("Languages: each candidate keeps their own language; alerts to the contact person use "
                           "the new main language."))
    planning = [labels[name] for name in changed if name not in (*SHOWN_TO_CANDIDATES, *DURATIONS, *SCORING,
                                                                  "language", "extra_languages")]
    if planning:
        sentences.append(_("%(fields)s: used by the next planning; nothing already planned moves.")
                         % {"fields": ", ".join(planning)})
    return sentences


def jury_change_impact(jury: Jury, removed: list, added: list, languages_removed: list[str]) -> list[str]:
    """For a jury with coming interviews: who leaves, who joins, which languages it no longer takes."""
    coming = _coming(jury.procedure).filter(jury=jury)
    count = coming.count()
    if not count or not (removed or added or languages_removed):
        return []
    sentences = []
    if removed:
        sentences.append(ngettext(
            "%(people)s will no longer see or score the %(n)d coming interview of this jury.",
            "%(people)s will no longer see or score the %(n)d coming interviews of this jury.", count,
        ) % {"people": ", ".join(str(user) for user in removed), "n": count})
    if added:
        sentences.append(ngettext(
            "%(people)s will see and score the %(n)d coming interview of this jury.",
            "%(people)s will see and score the %(n)d coming interviews of this jury.", count,
        ) % {"people": ", ".join(str(user) for user in added), "n": count})
    # What messaging.receivers.on_jury_changed does on save: the coming interviews already sent
    # (invited or confirmed) get an invitation to each newcomer and a CANCEL to each who left.
    sent = coming.filter(status__in=(Appointment.Status.INVITED, Appointment.Status.CONFIRMED),
                         starts_at__gt=timezone.now()).count()
    if sent and (removed or added):
        sentences.append(ngettext(
            "For the %(n)d coming interview whose invitation already went out, the calendar follows "
            "automatically: those who leave get a cancellation, those who join an invitation.",
            "For the %(n)d coming interviews whose invitations already went out, the calendar follows "
            "automatically: those who leave get a cancellation, those who join an invitation.", sent,
        ) % {"n": sent})
    if added and count > sent:
        sentences.append(ngettext(
            "The %(n)d coming interview not sent yet goes to the jury as it is then when you send its invitation.",
            "The %(n)d coming interviews not sent yet go to the jury as it is then when you send their invitations.",
            count - sent,
        ) % {"n": count - sent})
    if languages_removed:
        affected = coming.filter(candidate__language__in=languages_removed).values("candidate_id").distinct().count()
        if affected:
            sentences.append(ngettext(
                "%(n)d candidate with a coming interview speaks a language this jury no longer takes: move them "
                "to another jury.",
                "%(n)d candidates with a coming interview speak a language this jury no longer takes: move them "
                "to another jury.", affected,
            ) % {"n": affected})
    return sentences


def room_change_impact(room: Room, changed: list[str]) -> list[str]:
    """A room's new name or address: what `services.room_save` then does to the coming appointments in it."""
    if not set(changed) & set(ROOM_PLACE_FIELDS):
        return []
    coming = room_coming_appointments(room)
    sent = coming.filter(invitations__last_sequence_sent__isnull=False).distinct().count()
    waiting = coming.count() - sent
    sentences = []
    if sent:
        sentences.append(ngettext(
            "The %(n)d coming appointment in this room whose invitation already went out gets an updated calendar "
            "invitation with the new name and address, for the candidate and the staff; e-mails already sent keep "
            "the old text.",
            "The %(n)d coming appointments in this room whose invitations already went out get an updated calendar "
            "invitation with the new name and address, for the candidate and the staff; e-mails already sent keep "
            "the old text.", sent,
        ) % {"n": sent})
    if waiting:
        sentences.append(ngettext(
            "The %(n)d coming appointment in this room not sent yet carries the new name and address when you send "
            "its invitation.",
            "The %(n)d coming appointments in this room not sent yet carry the new name and address when you send "
            "their invitations.", waiting,
        ) % {"n": waiting})
    return sentences


def _half(appointment: Appointment) -> str:
    """Morning or afternoon, split where the procedure's lunch break starts (noon without one)."""
    local = timezone.localtime(appointment.starts_at)
    lunch = appointment.procedure.lunch_starts_at
    noon = (lunch.hour * 60 + lunch.minute) if lunch else 12 * 60
    return HalfDay.MORNING if local.hour * 60 + local.minute < noon else HalfDay.AFTERNOON


def room_days_impact(room: Room, no_longer_free: set) -> list[str]:
    """Half-days (date, part) the room stops being free on that hold coming appointments: they keep
    the room (nothing moves by itself), so the officer is told which ones to look at."""
    days = {day for day, _part in no_longer_free}
    if not days:
        return []
    hit = [a for a in room_coming_appointments(room).filter(starts_at__date__in=days)
           .select_related("candidate", "procedure").order_by("starts_at", "pk")
           if (timezone.localdate(a.starts_at), _half(a)) in no_longer_free]
    if not hit:
        return []
    listed = "; ".join(f"{date_format(timezone.localtime(a.starts_at), 'SHORT_DATETIME_FORMAT')} "
                       f"({a.candidate.last_name}, {a.candidate.first_name})" for a in hit)
    return [ngettext(
        "%(n)d coming appointment in this room falls on a half-day the room will no longer be free: %(list)s. It "
        "keeps the room and nobody is told: move it, or keep the room free then.",
        "%(n)d coming appointments in this room fall on half-days the room will no longer be free: %(list)s. They "
        "keep the room and nobody is told: move them, or keep the room free then.", len(hit),
    ) % {"n": len(hit), "list": listed}]
