"""Where an uploaded candidate list waits between upload, preview and confirmation.

The file is read once. A CSV, or an XLSX that unpacks to little, is read in the upload request;
a larger XLSX is read by a worker task (`tasks.candidate_list_read`), and the preview says so
until it is done. Either way the result is a table of text cells (or the reason the file cannot
be read) in `<token>.json`; the uploaded bytes (`<token>.upload`) are deleted once read. Both
live under MEDIA_ROOT/imports, files 0600 in a 0700 folder, with random names; the session holds
only the token. Files left for IMPORT_MAX_AGE are deleted by the next upload and by the sweep.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import importing

IMPORT_MAX_AGE = dt.timedelta(hours=6)
# An XLSX that unpacks to more than this is read by the worker (a 2 MB workbook is about 1,000
# rows with CV texts: read in well under a second or two); CSV is always quick to read.
INLINE_XLSX_UNPACKED = 2 * 1024 * 1024


def import_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _write(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    # Ages are compared with the service's clock (timezone.now), so the file's time is set from it.
    now = time.time()
    os.utime(path, (now, now))


def _paths(token: str) -> tuple[Path, Path]:
    if not token.isalnum():  # tokens are ours (hex); anything else is not a file of this folder
        raise ValueError(token)
    folder = import_dir()
    return folder / f"{token}.upload", folder / f"{token}.json"


def stash_store(*, name: str, data: bytes) -> tuple[str, bool]:
    """Keep an uploaded file; read it now when that is quick. Returns (token, read_already)."""
    folder = import_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stash_prune()
    token = secrets.token_hex(16)
    upload, _parsed = _paths(token)
    suffix = Path(name).suffix.lower()
    _write(upload, json.dumps({"suffix": suffix}).encode() + b"\n" + data)
    is_xlsx = data[:4] == b"PK\x03\x04" or suffix == ".xlsx"
    # Beyond the bound, reading refuses it at once: only a large file within it goes to the worker.
    if is_xlsx and INLINE_XLSX_UNPACKED < importing.xlsx_unpacked_size(data) <= importing.XLSX_MAX_UNCOMPRESSED:
        return token, False
    stash_read(token=token)
    return token, True


def stash_read(*, token: str) -> None:
    """Read the uploaded file of `token` into its table (idempotent: a second call does nothing)."""
    upload, parsed = _paths(token)
    try:
        header, data = upload.read_bytes().split(b"\n", 1)
    except FileNotFoundError:
        return  # read already, or discarded
    suffix = json.loads(header)["suffix"]
    try:
        content: dict[str, object] = {"rows": importing.read_table(f"upload{suffix}", data)}
    except importing.ImportFileError as exc:
        content = {"error": str(exc)}  # explained on the preview, like any other problem
    temporary = parsed.with_suffix(".part")
    temporary.unlink(missing_ok=True)
    _write(temporary, json.dumps(content).encode())
    temporary.replace(parsed)
    upload.unlink(missing_ok=True)


def stash_state(token: str | None) -> str:
    """"read", "reading" (the worker has it) or "missing"."""
    if not token:
        return "missing"
    upload, parsed = _paths(token)
    if parsed.is_file():
        return "read"
    return "reading" if upload.is_file() else "missing"


def stash_load(token: str) -> dict:
    return json.loads(_paths(token)[1].read_text(encoding="utf-8"))


def stash_delete(token: str | None) -> None:
    if token:
        for path in _paths(token):
            path.unlink(missing_ok=True)


def stash_pending(older_than: dt.timedelta) -> list[str]:
    """Uploads still unread after `older_than`: their task died or never ran."""
    folder = import_dir()
    if not folder.is_dir():
        return []
    cutoff = (timezone.now() - older_than).timestamp()
    return [path.stem for path in folder.glob("*.upload") if path.stat().st_mtime < cutoff]


def stash_prune() -> None:
    """Delete uploads and tables that were never confirmed nor discarded."""
    folder = import_dir()
    if not folder.is_dir():
        return
    cutoff = (timezone.now() - IMPORT_MAX_AGE).timestamp()
    for old in folder.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
