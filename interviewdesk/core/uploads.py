"""Refusing a too-large upload while it streams in, before it is read in full.

`SizeLimitUploadHandler` runs first among Django's upload handlers. A multipart request whose
Content-Length is above UPLOAD_MAX_BYTES (plus a little for the other form fields) is stopped
when its first file starts; a file that grows above UPLOAD_MAX_BYTES is stopped at that byte.
Either way the rest of the request body is never read (StopUpload with connection_reset).

The form must still say why, in the user's language. `RefusedUploadMiddleware` puts a
`RefusedUpload` in request.FILES in place of the file: an empty file whose `size` is what the
client sent or announced, so each form's own size check ("The file is larger than 8 MB.") gives
the message, and no form needs to know about this module.

Set the same limit on the reverse proxy (docs/operations.md): it then answers 413 before
anything reaches the application.
"""

from __future__ import annotations

import io
from typing import cast

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

FORM_FIELDS_ALLOWANCE = 64 * 1024  # bytes of ordinary fields sent along with a file


class RefusedUpload(UploadedFile):
    """Stands for a file that was refused while streaming: no content, only the size it had."""

    def __init__(self, name: str, size: int) -> None:
        super().__init__(io.BytesIO(b""), name=name, content_type="application/octet-stream", size=size)


class RefusingRequest(HttpRequest):
    """A request whose upload was cut off: which field, and a stand-in file for the form to refuse.
    The middleware below reads it with getattr, as most requests never get the attribute."""

    refused_upload: tuple[str, RefusedUpload]


class SizeLimitUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.announced = content_length or 0
        return None  # parse as usual; new_file and receive_data_chunk do the checks

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        if self.announced > settings.UPLOAD_MAX_BYTES + FORM_FIELDS_ALLOWANCE:
            self._refuse(self.announced)

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.UPLOAD_MAX_BYTES:
            self._refuse(start + len(raw_data))
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) builds the file

    def _refuse(self, size: int):
        if self.request is not None:
            refusing = cast(RefusingRequest, self.request)
            refusing.refused_upload = (self.field_name, RefusedUpload(self.file_name or "", size))
        raise StopUpload(connection_reset=True)


class RefusedUploadMiddleware:
    """Parses a multipart POST here (as CsrfViewMiddleware would) and, if a file was refused,
    hands the views a RefusedUpload under that field's name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type == "multipart/form-data":
            request.POST  # noqa: B018  (parses the body through the upload handlers)
            refused = getattr(request, "refused_upload", None)
            if refused is not None:
                files = request.FILES.copy()
                files[refused[0]] = refused[1]
                request._files = files
        return self.get_response(request)
