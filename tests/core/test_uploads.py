"""Uploads: a too-large file is refused while it streams in, with the form's own message; stored
files are readable by the service's user only; certificates are served as attachments, never parsed."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from interviewdesk.portal.models import AdjustmentRequest
from interviewdesk.procedures.models import Role
from tests.factories import CandidateFactory, ProcedureFactory, member
from tests.portal.conftest import log_in

pytestmark = pytest.mark.django_db

BOUNDARY = "----interviewdesk-test-boundary"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\n%%EOF\n"


class CountingBody:
    """A multipart body of `file_size` bytes of file content, produced as it is read: nothing is
    built in memory, and `read_bytes` tells how far the server read."""

    def __init__(self, fields: dict[str, str], file_field: str, file_size: int) -> None:
        head = "".join(f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                       for k, v in fields.items())
        head += (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{file_field}\"; filename=\"big.pdf\""
                 f"\r\nContent-Type: application/pdf\r\n\r\n")
        self.head, self.tail = head.encode(), f"\r\n--{BOUNDARY}--\r\n".encode()
        self.file_size = file_size
        self.length = len(self.head) + file_size + len(self.tail)
        self.read_bytes = 0

    def _byte_at(self, position: int) -> bytes:
        if position < len(self.head):
            return self.head[position:position + 1]
        position -= len(self.head)
        if position < self.file_size:
            return b"%" if position == 0 else b"x"
        return self.tail[position - self.file_size:position - self.file_size + 1]

    def read(self, size: int = -1) -> bytes:
        size = self.length - self.read_bytes if size is None or size < 0 else min(size, self.length - self.read_bytes)
        start, self.read_bytes = self.read_bytes, self.read_bytes + size
        head_part = self.head[start:start + size] if start < len(self.head) else b""
        rest = size - len(head_part)
        body_start = max(0, start - len(self.head))
        file_part = b"x" * max(0, min(rest, self.file_size - body_start))
        tail_start = max(0, body_start + len(file_part) - self.file_size)
        tail_part = self.tail[tail_start:tail_start + rest - len(file_part)] if rest - len(file_part) > 0 else b""
        return head_part + file_part + tail_part

    def readline(self, size: int = -1) -> bytes:  # not used by the multipart parser
        return self.read(size)


def post_streaming(client, path: str, body: CountingBody):
    environ = client._base_environ(PATH_INFO=path, REQUEST_METHOD="POST", SERVER_PORT="80",
                                   CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
                                   CONTENT_LENGTH=str(body.length))
    environ["wsgi.input"] = body
    return client.handler(environ)


def test_a_100_mb_certificate_is_refused_before_it_is_read(client):
    candidate = CandidateFactory()
    log_in(client, candidate)
    body = CountingBody({"kinds": "extra_time", "details": "dyslexia"}, "certificate", 100 * 1024 * 1024)
    response = post_streaming(client, "/portal/adjustments/", body)
    assert response.status_code == 200
    assert body.read_bytes < 1024 * 1024, body.read_bytes  # a few KB of 100 MB
    html = response.content.decode()
    assert "larger than 8 MB" in html or "groter dan 8 MB" in html or "8 Mo" in html or "8 MB" in html
    assert not AdjustmentRequest.objects.exists()


def test_a_100_mb_candidate_list_is_refused_before_it_is_read(client):
    officer = member(ProcedureFactory(), Role.SELECTION_OFFICER, username="officer")
    client.force_login(officer)
    procedure = officer.memberships.first().procedure
    body = CountingBody({}, "file", 100 * 1024 * 1024)
    body.head = body.head.replace(b"big.pdf", b"big.csv")
    response = post_streaming(client, f"/procedures/{procedure.pk}/candidates/import/", body)
    assert response.status_code == 200
    assert body.read_bytes < 1024 * 1024, body.read_bytes
    assert "The file is larger than 10 MB." in response.content.decode()


def test_a_file_that_grows_past_the_limit_is_cut_off_at_the_limit(rf):
    """A file just above the limit whose request is within the allowance for other fields: the size
    check while streaming refuses it (the body is small enough here to be read ahead in full)."""
    from django.core.handlers.wsgi import WSGIRequest

    from interviewdesk.core.uploads import RefusedUpload, RefusedUploadMiddleware

    body = CountingBody({}, "file", settings.UPLOAD_MAX_BYTES + 30 * 1024)
    environ = rf._base_environ(PATH_INFO="/", REQUEST_METHOD="POST", CONTENT_LENGTH=str(body.length),
                               CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}")
    environ["wsgi.input"] = body
    request = WSGIRequest(environ)
    seen = {}
    RefusedUploadMiddleware(lambda r: seen.setdefault("files", r.FILES))(request)
    refused = seen["files"]["file"]
    assert isinstance(refused, RefusedUpload) and refused.size > settings.UPLOAD_MAX_BYTES
    assert refused.read() == b""  # nothing of it is kept


def test_a_stored_certificate_is_readable_by_the_service_only(client):
    candidate = CandidateFactory()
    log_in(client, candidate)
    response = client.post("/portal/adjustments/", {
        "kinds": ["extra_time"], "details": "", "certificate": SimpleUploadedFile("c.pdf", PDF)})
    assert response.status_code == 302
    path = Path(AdjustmentRequest.objects.get().certificate.path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    folder = path.parent
    while folder != Path(settings.MEDIA_ROOT).parent:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        folder = folder.parent


def test_a_pdf_with_javascript_is_served_as_an_attachment_that_is_never_sniffed(client):
    candidate = CandidateFactory()
    log_in(client, candidate)
    client.post("/portal/adjustments/", {"kinds": ["extra_time"], "details": "",
                                         "certificate": SimpleUploadedFile("c.pdf", PDF)})
    request = AdjustmentRequest.objects.get()
    officer = member(candidate.procedure, Role.SELECTION_OFFICER, username="officer")
    staff = type(client)()
    staff.force_login(officer)
    from django.urls import reverse

    response = staff.get(reverse("portal:certificate", args=[candidate.procedure_id, request.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content if response.streaming else [response.content]) == PDF
