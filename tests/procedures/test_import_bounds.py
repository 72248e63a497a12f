"""Imports are bounded (what an XLSX may expand to, rows, cell length) and read once, at upload."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interviewdesk.procedures import importing
from tests.factories import staffed_procedure
from tests.procedures.helpers import csv_bytes, person, xlsx_bytes

pytestmark = pytest.mark.django_db


def shared_strings_bomb(megabytes: int) -> bytes:
    """A real workbook whose shared strings unpack to `megabytes` MB (a few hundred KB packed)."""
    base = zipfile.ZipFile(io.BytesIO(xlsx_bytes([person(1)])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for item in base.infolist():
            if item.filename != "xl/sharedStrings.xml":
                bomb.writestr(item, base.read(item))
        with bomb.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            chunk = b"<si><t>" + b"A" * 1_000_000 + b"</t></si>"
            for _ in range(megabytes):
                member.write(chunk)
            member.write(b"</sst>")
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return shared_strings_bomb(406)


def test_a_small_xlsx_with_406_mb_of_shared_strings_is_refused_with_a_clear_message(bomb):
    assert len(bomb) < 2 * 1024 * 1024  # small on the wire...
    with pytest.raises(importing.ImportFileError) as refused:
        importing.read_table("list.xlsx", bomb)  # ...refused from the zip directory, nothing unpacked
    assert "unpacks to more than 40 MB" in str(refused.value)


def test_the_refusal_reaches_the_officer_on_the_preview(client, bomb):
    staff = staffed_procedure()
    client.force_login(staff.officer)
    url = reverse("candidate_import", args=[staff.procedure.pk])
    response = client.post(url, {"file": SimpleUploadedFile("list.xlsx", bomb)}, follow=True)
    assert "unpacks to more than 40 MB" in response.content.decode()
    assert "Save the candidate list alone" in response.content.decode()


def test_a_cell_longer_than_the_bound_is_refused():
    data = csv_bytes([person(1, cv="x" * (importing.MAX_CELL_CHARS + 1))])
    with pytest.raises(importing.ImportFileError, match="A cell in row 2 is longer than 20000 characters"):
        importing.read_table("list.csv", data)


def test_the_file_is_read_once_at_upload_and_kept_as_rows_readable_by_the_service_only(client, monkeypatch):
    staff = staffed_procedure()
    client.force_login(staff.officer)
    reads = []
    original = importing.read_table
    monkeypatch.setattr(importing, "read_table", lambda *a, **k: reads.append(1) or original(*a, **k))
    upload = client.post(reverse("candidate_import", args=[staff.procedure.pk]),
                         {"file": SimpleUploadedFile("list.xlsx", xlsx_bytes([person(1), person(2)]))})
    preview = reverse("candidate_import_preview", args=[staff.procedure.pk])
    assert upload.url == preview
    for _ in range(3):
        assert "2 candidates are ready to be imported." in client.get(preview).content.decode()
    assert len(reads) == 1
    [stashed] = (Path(settings.MEDIA_ROOT) / "imports").iterdir()  # the table only: the upload is gone
    assert stat.S_IMODE(stashed.stat().st_mode) == 0o600
    assert stat.S_IMODE(stashed.parent.stat().st_mode) == 0o700
    assert json.loads(stashed.read_text())["rows"][1][0] == "Lotte1"
    done = client.post(reverse("candidate_import_confirm", args=[staff.procedure.pk]))
    assert done.status_code == 302 and len(reads) == 1


def large_workbook() -> bytes:
    text = "Analyst in the federal public service, ten years of data work. " * 20
    return xlsx_bytes([person(i, cv=text) for i in range(1, 1600)])


def test_a_large_workbook_is_read_by_the_worker_and_the_preview_waits_for_it(client):
    from django_tasks_db.models import DBTaskResult

    from interviewdesk.procedures import import_stash
    from interviewdesk.procedures.tasks import candidate_list_read

    staff = staffed_procedure()
    client.force_login(staff.officer)
    data = large_workbook()
    assert importing.xlsx_unpacked_size(data) > import_stash.INLINE_XLSX_UNPACKED
    client.post(reverse("candidate_import", args=[staff.procedure.pk]), {"file": SimpleUploadedFile("l.xlsx", data)})
    preview = reverse("candidate_import_preview", args=[staff.procedure.pk])
    waiting = client.get(preview).content.decode()
    assert "it is being read in the background" in waiting
    assert 'hx-trigger="every 2s"' in waiting and f'href="{preview}"' in waiting  # polls; a link without JS
    # Confirming before the file is read imports nothing.
    client.post(reverse("candidate_import_confirm", args=[staff.procedure.pk]))
    assert not staff.procedure.candidates.exists()

    task = DBTaskResult.objects.get(task_path="interviewdesk.procedures.tasks.candidate_list_read")
    [token] = task.args_kwargs["args"]
    candidate_list_read.call(token)  # what the worker runs
    assert "1599 candidates are ready to be imported." in client.get(preview).content.decode()


def test_the_sweep_reads_a_large_workbook_whose_task_died(client):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from interviewdesk.procedures.tasks import candidate_lists_sweep

    staff = staffed_procedure()
    client.force_login(staff.officer)
    client.post(reverse("candidate_import", args=[staff.procedure.pk]),
                {"file": SimpleUploadedFile("l.xlsx", large_workbook())})
    preview = reverse("candidate_import_preview", args=[staff.procedure.pk])
    candidate_lists_sweep()  # too early: the task may still be running
    assert "being read in the background" in client.get(preview).content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=3)):
        candidate_lists_sweep()
        assert "1599 candidates are ready to be imported." in client.get(preview).content.decode()
