"""Results and levels to XLSX (openpyxl), respecting independence like every page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from interviewdesk.core.i18n import pick
from interviewdesk.core.models import User
from interviewdesk.core.spreadsheets import workbook_bytes
from interviewdesk.procedures.models import Competency, Procedure

from . import selectors


def results_workbook(procedure: Procedure, user) -> bytes:
    results = [
        [r.appointment_id, r.appointment.candidate.full_name, r.appointment.candidate.language,
         r.get_status_display(), float(r.final_pct) if r.final_pct is not None else None,
         _("yes") if r.passed else _("no")]
        for r in selectors.visible_results(procedure, user).order_by("appointment__starts_at", "id")
    ]
    rows = list(selectors.submitted_ratings(procedure, user))
    competencies = Competency.objects.in_bulk({r[1] for r in rows})
    users = User.objects.in_bulk({r[2] for r in rows})
    levels = [[appointment_id, pick(competencies[competency_id].name), str(users[member_id]), level]
              for appointment_id, competency_id, member_id, level in rows]
    return workbook_bytes([
        (_("Results"), [_("Interview"), _("Candidate"), _("Language"), _("Status"), _("Final score (%)"),
                        _("Passed")], results),
        (_("Independent levels"), [_("Interview"), _("Competency"), _("Jury member"), _("Level")], levels),
    ])
