"""Everything the service holds on one candidate (GDPR art. 15 and 20), as sections of labelled records:
the JSON download uses the keys, the readable page the labels, in the candidate's language.

Need-to-know (docs/privacy.md): the candidate's own copy holds the jury's result only once it is
published, as the portal shows it (consensus levels, justification, final score, outcome). Each jury
member's own sheet (levels and STAR notes) is in the officer's copy only, named by role, not by person:
the officer decides what of it to hand over on request. Other people's data (jury members'
declarations about links with the candidate, staff names) are in neither.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from interviewdesk.assessment.models import Result, ResultLevel, ScoreSheet, SheetRating
from interviewdesk.assessment.selectors import published_result
from interviewdesk.core.models import AuditEntry
from interviewdesk.live import models as live
from interviewdesk.meetings.selectors import links_for
from interviewdesk.messaging.links import redacted
from interviewdesk.messaging.models import Invitation, Message
from interviewdesk.portal import models as portal
from interviewdesk.procedures.models import Candidate, CandidatePreference, CandidateUnavailability
from interviewdesk.scheduling.models import Appointment


@dataclass
class Section:
    key: str
    title: str
    records: list[list[tuple[str, str, object]]] = field(default_factory=list)  # (key, label, value)

    def add(self, *fields: tuple[str, str, object]) -> None:
        self.records.append(list(fields))


def _json_value(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, (dt.date, Decimal)):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    return value


def export_json(sections: list[Section]) -> dict:
    return {section.key: [{key: _json_value(value) for key, _label, value in record} for record in section.records]
            for section in sections}


def candidate_export(candidate: Candidate, *, for_officer: bool) -> list[Section]:
    """The sections, in the active language (the caller activates the candidate's)."""
    procedure = candidate.procedure
    sections = []
    about = Section("candidate", _("You"))
    about.add(("procedure", _("Selection procedure"), f"{procedure.reference} {procedure.title}"),
              ("first_name", _("First name"), candidate.first_name), ("last_name", _("Last name"), candidate.last_name),
              ("email", _("E-mail"), candidate.email), ("phone", _("Phone"), candidate.phone),
              ("language", _("Language"), candidate.get_language_display()),
              ("date_of_birth", _("Date of birth"), candidate.date_of_birth),
              ("cv", _("CV"), candidate.cv_text), ("motivation", _("Motivation"), candidate.motivation),
              ("added_at", _("Added on"), candidate.created_at))
    sections.append(about)

    appointments = list(Appointment.objects.filter(candidate=candidate).select_related("room", "meeting_link__meeting")
                        .order_by("starts_at"))
    answers = {inv.appointment_id: inv for inv in Invitation.objects.filter(
        appointment__candidate=candidate, role=Invitation.Role.CANDIDATE)}
    section = Section("appointments", _("Appointments"))
    for appointment in appointments:
        answer = answers.get(appointment.pk)
        links = links_for(appointment)
        section.add(("kind", _("Kind"), appointment.get_kind_display()),
                    ("starts_at", _("Starts"), appointment.starts_at), ("ends_at", _("Ends"), appointment.ends_at),
                    ("status", _("Status"), appointment.get_status_display()),
                    ("mode", _("Where"), appointment.get_mode_display()),
                    ("room", _("Room"), appointment.room.name_in() if appointment.room else ""),
                    ("platform", _("Platform"), appointment.get_platform_display()),
                    # The meeting as the candidate's e-mails give it: made by the product (Teams,
                    # Jitsi) or typed by staff, with the candidate's own link to it.
                    ("meeting_platform", _("Meeting platform"), links.platform),
                    ("meeting_link", _("Your link to the meeting"), links.candidate),
                    ("answer", _("Your answer to the invitation"), answer.get_partstat_display() if answer else ""),
                    ("answered_at", _("Answered on"), answer.responded_at if answer else None))
    sections.append(section)

    section = Section("unavailability", _("Half-days you cannot come"))
    for row in CandidateUnavailability.objects.filter(candidate=candidate):
        section.add(("date", _("Date"), row.date), ("part", _("Part of the day"), row.get_part_display()),
                    ("reason", _("Reason"), row.get_reason_display()))
    sections.append(section)

    section = Section("preferences", _("Half-days you prefer"))
    for preference in CandidatePreference.objects.filter(candidate=candidate):
        section.add(("date", _("Date"), preference.date), ("part", _("Part of the day"), preference.get_part_display()))
    sections.append(section)

    section = Section("declarations", _("What you confirmed on your personal page"))
    readiness = portal.Readiness.objects.filter(candidate=candidate).first()
    if readiness:
        items = dict(portal.EQUIPMENT_ITEMS)
        section.add(("phone_confirmed_at", _("Phone number confirmed on"), readiness.phone_confirmed_at),
                    ("equipment", _("Equipment"), "; ".join(
                        f"{items.get(code, code)}: {_('yes') if has else _('no')}"
                        for code, has in readiness.equipment.items())),
                    ("equipment_declared_at", _("Equipment declared on"), readiness.equipment_declared_at),
                    ("rules_acknowledged_at", _("Rules read on"), readiness.rules_acknowledged_at))
    sections.append(section)

    section = Section("device_checks", _("Device checks"))
    for check in portal.DeviceCheck.objects.filter(candidate=candidate):
        section.add(("at", _("When"), check.created_at), ("verdict", _("Outcome"), check.get_verdict_display()),
                    ("camera_ok", _("Camera works"), check.camera_ok),
                    ("microphone_ok", _("Microphone works"), check.microphone_ok),
                    ("browser", _("Browser"), check.browser), ("latency_ms", _("Latency (ms)"), check.latency_ms),
                    ("download_mbps", _("Download (Mbit/s)"), check.download_mbps),
                    ("upload_mbps", _("Upload (Mbit/s)"), check.upload_mbps))
    sections.append(section)

    section = Section("requests", _("Requests for a room, equipment or an adjustment"))
    for request in portal.RoomRequest.objects.filter(candidate=candidate):
        section.add(("type", _("Request"), _("room or equipment")), ("at", _("When"), request.created_at),
                    ("reason", _("Why"), request.reason), ("needs", _("What you need"), request.needs),
                    ("status", _("Decision"), request.get_status_display()),
                    ("decision_note", _("Note with the decision"), request.decision_note))
    for adjustment in portal.AdjustmentRequest.objects.filter(candidate=candidate).prefetch_related("decisions"):
        decisions = "; ".join(
            (_("approved") if d.approved else _("not approved")) + (f" (+{d.extra_minutes} min)" if d.extra_minutes
                                                                      else "")
            for d in adjustment.decisions.all())
        section.add(("type", _("Request"), _("adjustment")), ("at", _("When"), adjustment.created_at),
                    ("kinds", _("What you asked for"), ", ".join(adjustment.kind_labels)),
                    ("details", _("Why"), adjustment.details),
                    ("certificate", _("Certificate"), _("a file was added (kept by the selection officer)")
                     if adjustment.certificate else ""),
                    ("decision", _("Decision"), decisions))
    sections.append(section)

    section = Section("problems", _("Problems you reported"))
    for report in portal.ProblemReport.objects.filter(candidate=candidate):
        section.add(("at", _("When"), report.created_at), ("text", _("Text"), report.text),
                    ("resolved_at", _("Resolved on"), report.resolved_at))
    for live_report in live.ProblemReport.objects.filter(session__appointment__candidate=candidate):
        section.add(("at", _("When"), live_report.at), ("text", _("Text"), live_report.text),
                    ("resolved_at", _("Resolved on"), live_report.acknowledged_at))
    sections.append(section)

    section = Section("connection_tests", _("Connection tests"))
    for booking in portal.ConnectionTestBooking.objects.filter(candidate=candidate).select_related("slot"):
        section.add(("starts_at", _("Starts"), booking.slot.starts_at),
                    ("outcome", _("Outcome"), booking.get_outcome_display()), ("notes", _("Notes"), booking.notes))
    sections.append(section)

    section = Section("sessions", _("Sessions"))
    for session in live.LiveSession.objects.filter(appointment__candidate=candidate).select_related("appointment"):
        identity = live.IdentityCheck.objects.filter(session=session).first()
        incidents = "; ".join(f"{i.get_category_display()}: {i.description}" for i in session.incidents.all())
        section.add(("appointment", _("Appointment"), session.appointment.get_kind_display()),
                    ("planned_start", _("Starts"), session.planned_start),
                    ("attempt", _("Attempt"), session.attempt), ("state", _("Status"), session.get_state_display()),
                    ("identity_document", _("Identity document shown"),
                     identity.get_document_type_display() if identity else ""),
                    ("identity_result", _("Identity identity"), identity.get_result_display() if identity else ""),
                    ("identity_note", _("Note on the identity identity"), identity.note if identity else ""),
                    ("incidents", _("Incidents"), incidents),
                    ("disconnections", _("Connection breaks"), session.disconnections.count()),
                    ("stop_reason", _("Reason for stopping"), session.stop_reason_display))
    sections.append(section)

    section = Section("result", _("Result"))
    results = [published_result(candidate)] if not for_officer else list(
        Result.objects.filter(appointment__candidate=candidate).select_related("appointment"))
    for result in (r for r in results if r is not None):
        levels = ResultLevel.objects.filter(result=result).select_related("guide_competency__competency", "level")
        section.add(("status", _("Status"), result.get_status_display()),
                    ("final_pct", _("Final score (%)"), result.final_pct),
                    ("passed", _("Passed"), result.passed), ("published_at", _("Published on"), result.published_at),
                    *[(f"competency_{i}", level.guide_competency.competency.label(),
                       " — ".join(part for part in (level.level.__str__() if level.level else "", level.strengths,
                                                    level.to_develop) if part))
                      for i, level in enumerate(levels, start=1)])
    sections.append(section)

    if for_officer:
        section = Section("score_sheets", _("Jury members' own score sheets (not shown to the candidate)"))
        sheets = ScoreSheet.objects.filter(appointment__candidate=candidate).select_related("appointment")
        for number, sheet in enumerate(sheets, start=1):
            ratings = SheetRating.objects.filter(sheet=sheet).select_related("guide_competency__competency", "level")
            section.add(("sheet", _("Score sheet"), number), ("attempt", _("Attempt"), sheet.attempt),
                        ("status", _("Status"), sheet.get_status_display()),
                        ("part1_notes", _("Notes on part 1"), sheet.part1_notes),
                        *[(f"competency_{i}", rating.guide_competency.competency.label(),
                           " — ".join(part for part in (str(rating.level) if rating.level else "", rating.situation,
                                                        rating.task, rating.action, rating.result) if part))
                          for i, rating in enumerate(ratings, start=1)])
        sections.append(section)

    section = Section("messages", _("E-mails we sent you"))
    for message in Message.objects.filter(candidate=candidate).order_by("created_at", "id"):
        section.add(("kind", _("Kind"), message.kind_display), ("to", _("To"), message.recipient_email),
                    ("subject", _("Subject"), message.subject), ("state", _("Status"), message.get_state_display()),
                    ("sent_at", _("Sent on"), message.sent_at), ("text", _("Text"), redacted(message.body_text)))
    sections.append(section)

    section = Section("logins", _("Visits to your personal page with your link"))
    token_ids = [str(pk) for pk in portal.AccessToken.objects.filter(candidate=candidate).values_list("pk", flat=True)]
    for entry in AuditEntry.objects.filter(object_type="portal.accesstoken", object_id__in=token_ids,
                                           action="access_link.login").order_by("at"):
        section.add(("at", _("When"), entry.at), ("address", _("Internet address"), entry.client_address or ""))
    sections.append(section)
    return sections
