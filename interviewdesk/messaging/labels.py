"""What staff read instead of codes: the kind of a message and its calendar version, translated.

Kinds are written by the apps that queue messages (`message_queue(kind=...)`); an unknown kind
falls back to its code with spaces, so a new kind never breaks the mail log.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

KIND_LABELS = {
    "invitation": gettext_lazy("Invitation"),
    "update": gettext_lazy("Updated invitation"),
    "cancellation": gettext_lazy("Cancellation"),
    "staff_invitation": gettext_lazy("Invitation to a staff member"),
    "staff_cancellation": gettext_lazy("Cancellation to a staff member"),
    "reminder": gettext_lazy("Reminder"),
    "connection_test": gettext_lazy("Connection test"),
    "personal_link": gettext_lazy("Personal link"),
    "availability_request": gettext_lazy("Question: when can you not come?"),
    "problem_report": gettext_lazy("Problem reported by a candidate"),
    "room_request_late": gettext_lazy("Late room request"),
    "alert": gettext_lazy("Alert to the contact person"),
    "result": gettext_lazy("Result"),
    "result_corrected": gettext_lazy("Corrected result"),
    "live_session_stopped": gettext_lazy("Session stopped (to the candidate)"),
    "live_new_appointment_needed": gettext_lazy("New appointment needed (to the selection officer)"),
    "jury_day_before": gettext_lazy("Tomorrow's interviews (to a jury member)"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind.replace("_", " ")))


def calendar_label(method: str, sequence: int | None) -> str:
    """“calendar invitation”, “calendar update 2”, “calendar cancellation”; "" without a calendar part."""
    if not method:
        return ""
    if method == "CANCEL":
        return _("calendar cancellation")
    if sequence:
        return _("calendar update %(number)d") % {"number": sequence}
    return _("calendar invitation")
