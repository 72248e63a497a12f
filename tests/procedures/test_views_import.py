import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interviewdesk.core.models import AuditEntry
from interviewdesk.procedures.models import Candidate
from tests.factories import CandidateFactory, staffed_procedure
from tests.procedures.helpers import csv_bytes, person, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return staffed_procedure()


def urls(procedure) -> dict[str, str]:
    return {step: reverse(f"candidate_import{suffix}", args=[procedure.pk])
            for step, suffix in [("upload", ""), ("preview", "_preview"), ("confirm", "_confirm"),
                                 ("discard", "_discard")]}


def upload(client, procedure, data: bytes, name: str = "candidates.csv"):
    return client.post(urls(procedure)["upload"], {"file": SimpleUploadedFile(name, data)})


def stashed_files() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_upload_preview_confirm_imports_every_row_and_deletes_the_file(client, staff):
    client.force_login(staff.officer)
    response = upload(client, staff.procedure, csv_bytes([person(1), person(2), person(3)]))
    assert response.url == urls(staff.procedure)["preview"]
    assert len(stashed_files()) == 1
    preview = client.get(response.url)
    assert preview.context["result"].is_valid
    assert "3 candidates are ready to be imported." in preview.content.decode()
    assert not Candidate.objects.filter(procedure=staff.procedure).exists()
    done = client.post(urls(staff.procedure)["confirm"], follow=True)
    assert done.redirect_chain == [(reverse("procedure_detail", args=[staff.procedure.pk]), 302)]
    assert "3 candidates imported." in done.content.decode()
    assert Candidate.objects.filter(procedure=staff.procedure).count() == 3
    assert AuditEntry.objects.get(action="candidates.imported").changes == {"candidates": [None, 3]}
    assert stashed_files() == []


def test_no_personal_data_appears_in_any_url_of_the_import(client, staff):
    client.force_login(staff.officer)
    response = upload(client, staff.procedure, csv_bytes([person(1)]))
    for url in (response.url, *urls(staff.procedure).values()):
        assert "lotte" not in url.lower() and "@" not in url


def test_an_xlsx_file_is_imported_too(client, staff):
    client.force_login(staff.officer)
    upload(client, staff.procedure, xlsx_bytes([person(1), person(2)]), name="candidates.xlsx")
    client.post(urls(staff.procedure)["confirm"])
    assert sorted(Candidate.objects.values_list("email", flat=True)) == ["lotte1@example.net", "lotte2@example.net"]


def test_a_semicolon_csv_with_bom_is_imported(client, staff):
    client.force_login(staff.officer)
    upload(client, staff.procedure, csv_bytes([person(1)], delimiter=";", bom=True))
    client.post(urls(staff.procedure)["confirm"])
    assert Candidate.objects.get().first_name == "Lotte1"


def test_the_preview_lists_every_error_with_row_and_column_and_offers_no_import(client, staff):
    CandidateFactory(procedure=staff.procedure, email="lotte4@example.net")
    client.force_login(staff.officer)
    upload(client, staff.procedure, csv_bytes([person(1), person(2, email="nope"), person(3, phone="12"),
                                                person(4), person(5, language="xx"), person(6, email="lotte1@example.net")]))
    preview = client.get(urls(staff.procedure)["preview"])
    html = preview.content.decode()
    assert [(e.row, e.column_label) for e in preview.context["errors"]] == [
        (3, "e-mail"), (4, "phone"), (5, "e-mail"), (6, "language"), (7, "e-mail")]
    assert "The file has 5 errors." in html
    assert urls(staff.procedure)["confirm"] not in html


def test_confirming_a_file_with_errors_imports_nothing(client, staff):
    client.force_login(staff.officer)
    upload(client, staff.procedure, csv_bytes([person(1), person(2), person(3, phone="12")]))
    response = client.post(urls(staff.procedure)["confirm"])
    assert response.url == urls(staff.procedure)["preview"]
    assert not Candidate.objects.exists()
    assert not AuditEntry.objects.exists()


def test_an_e_mail_added_between_preview_and_confirm_stops_the_whole_import(client, staff):
    client.force_login(staff.officer)
    upload(client, staff.procedure, csv_bytes([person(1), person(2)]))
    client.get(urls(staff.procedure)["preview"])
    CandidateFactory(procedure=staff.procedure, email="lotte2@example.net")
    response = client.post(urls(staff.procedure)["confirm"], follow=True)
    assert "A candidate with this e-mail is already in the procedure." in response.content.decode()
    assert Candidate.objects.filter(procedure=staff.procedure).count() == 1


def test_an_unreadable_file_is_explained_on_the_preview(client, staff):
    client.force_login(staff.officer)
    upload(client, staff.procedure, b"\xff\xfe\x00garbage", name="list.csv")
    response = client.get(urls(staff.procedure)["preview"])
    assert "not UTF-8" in response.context["file_error"]


def test_another_file_type_is_refused_at_upload(client, staff):
    client.force_login(staff.officer)
    response = upload(client, staff.procedure, b"%PDF-1.7", name="list.pdf")
    assert response.context["form"].errors == {"file": ["Upload a .csv or .xlsx file."]}
    assert stashed_files() == []


def test_discarding_deletes_the_file_and_confirm_then_asks_for_a_new_upload(client, staff):
    client.force_login(staff.officer)
    upload(client, staff.procedure, csv_bytes([person(1)]))
    client.post(urls(staff.procedure)["discard"])
    assert stashed_files() == []
    assert client.post(urls(staff.procedure)["confirm"]).url == urls(staff.procedure)["upload"]
    assert not Candidate.objects.exists()


def test_a_preview_without_an_upload_goes_back_to_the_upload_step(client, staff):
    client.force_login(staff.officer)
    assert client.get(urls(staff.procedure)["preview"]).url == urls(staff.procedure)["upload"]


def test_a_second_upload_replaces_the_first_file(client, staff):
    client.force_login(staff.officer)
    upload(client, staff.procedure, csv_bytes([person(1)]))
    upload(client, staff.procedure, csv_bytes([person(2)]))
    assert len(stashed_files()) == 1
    client.post(urls(staff.procedure)["confirm"])
    assert list(Candidate.objects.values_list("first_name", flat=True)) == ["Lotte2"]


def test_five_thousand_rows_are_imported_at_once(client, staff):
    client.force_login(staff.officer)
    upload(client, staff.procedure, csv_bytes([person(i) for i in range(5000)], delimiter=";"))
    client.post(urls(staff.procedure)["confirm"])
    assert Candidate.objects.filter(procedure=staff.procedure).count() == 5000
    assert AuditEntry.objects.filter(action="candidates.imported").count() == 1


@pytest.mark.parametrize("role", ["proctor", "assessor", "chair", "outsider"])
def test_only_the_selection_officer_may_import(client, staff, role):
    client.force_login(getattr(staff, role))
    step = urls(staff.procedure)
    assert upload(client, staff.procedure, csv_bytes([person(1)])).status_code == 404
    assert client.get(step["upload"]).status_code == 404
    assert client.get(step["preview"]).status_code == 404
    assert client.post(step["confirm"]).status_code == 404
    assert client.post(step["discard"]).status_code == 404
    assert stashed_files() == []


def test_anonymous_is_sent_to_login_from_every_import_step(client, staff):
    for url in urls(staff.procedure).values():
        response = client.post(url)
        assert (response.status_code, response.url) == (302, f"{reverse('login')}?next={url}")


def test_an_upload_left_behind_for_hours_is_deleted_by_the_next_upload(client, staff):
    client.force_login(staff.officer)
    upload(client, staff.procedure, csv_bytes([person(1)]))
    [left_behind] = stashed_files()
    old = time.time() - 7 * 3600
    os.utime(left_behind, (old, old))
    client.logout()  # a new session no longer knows the first file
    client.force_login(staff.officer)
    upload(client, staff.procedure, csv_bytes([person(2)]))
    assert left_behind not in stashed_files()
