"""Results and levels to XLSX (openpyxl), respecting independence like every page."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from interviewdesk.core.i18n import pick
from interviewdesk.core.models import User
from interviewdesk.procedures.models import Competency, Procedure

from . import selectors


def results_workbook(procedure: Procedure, user) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Results")[:31]
    sheet.append([_("Interview"), _("Candidate"), _("Language"), _("Status"), _("Final score (%)"), _("Passed")])
    for r in selectors.visible_results(procedure, user).order_by("appointment__starts_at", "id"):
        candidate = r.appointment.candidate
        sheet.append([r.appointment_id, candidate.full_name, candidate.language, r.get_status_display(),
                      float(r.final_pct) if r.final_pct is not None else None,
                      _("yes") if r.passed else _("no")])
    levels = book.create_sheet(_("Independent levels")[:31])
    levels.append([_("Interview"), _("Competency"), _("Jury member"), _("Level")])
    rows = list(selectors.submitted_ratings(procedure, user))
    competencies = Competency.objects.in_bulk({r[1] for r in rows})
    users = User.objects.in_bulk({r[2] for r in rows})
    for appointment_id, competency_id, member_id, level in rows:
        levels.append([appointment_id, pick(competencies[competency_id].name), str(users[member_id]), level])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
