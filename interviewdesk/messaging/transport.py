"""Getting a built message out: SMTP, or .eml files when no EMAIL_HOST is set (the demo).

Errors are sorted into two kinds, because only one of them may be retried:
- TransientError: a 4xx reply, a lost or refused connection, a timeout — try again later;
- PermanentError: a 5xx reply (unknown recipient, refused content) — retrying cannot help.

The SMTP connection is kept open for the life of the worker process and reused for the next
message (a bulk send of thousands of messages would otherwise spend most of its time on
handshakes); a connection the server has closed meanwhile is reopened once, before any
data of the message went out.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import threading
from pathlib import Path

from django.conf import settings


class TransientError(Exception):
    pass


class PermanentError(Exception):
    pass


def _classify(exc: Exception) -> Exception:
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [c for c, _m in exc.recipients.values()]
        code = max(codes) if codes else None
        detail = "; ".join(f"{c} {m.decode(errors='replace') if isinstance(m, bytes) else m}"
                           for c, m in exc.recipients.values())
    else:
        error = getattr(exc, "smtp_error", b"")
        detail = f"{code} {error.decode(errors='replace') if isinstance(error, bytes) else error}".strip()
    if isinstance(code, int) and 500 <= code < 600:
        return PermanentError(detail)
    if isinstance(code, int):
        return TransientError(detail)
    return TransientError(f"{exc.__class__.__name__}: {exc}")


class SMTPTransport:
    def __init__(self) -> None:
        self._connection: smtplib.SMTP | None = None
        self._key: tuple | None = None

    def _settings_key(self) -> tuple:
        return (settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER)

    def _connect(self) -> smtplib.SMTP:
        connection = smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=settings.EMAIL_TIMEOUT)
        if settings.EMAIL_USE_TLS:
            connection.starttls(context=ssl.create_default_context())
        if settings.EMAIL_HOST_USER:
            connection.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
        return connection

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._connection.quit()
        self._connection = None

    def send(self, data: bytes, sender: str, recipient: str) -> None:
        try:
            if self._connection is None or self._key != self._settings_key():
                self.close()
                self._connection = self._connect()
                self._key = self._settings_key()
                fresh = True
            else:
                fresh = False
            try:
                self._connection.sendmail(sender, [recipient], data)
            except smtplib.SMTPServerDisconnected:
                if fresh:
                    raise
                # The server dropped the idle connection before MAIL FROM: nothing went out, reconnect once.
                self._connection = self._connect()
                self._connection.sendmail(sender, [recipient], data)
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            if isinstance(exc, (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)):
                self._reset()  # the server answered: the connection can carry the next message
            else:
                self._connection = None
            raise _classify(exc) from exc

    def _reset(self) -> None:
        try:
            if self._connection is not None:
                self._connection.rset()
        except (smtplib.SMTPException, OSError):
            self._connection = None


class FileTransport:
    """Writes each message as a real .eml file under settings.MAIL_DIR (no personal data in the name)."""

    def send(self, data: bytes, sender: str, recipient: str, *, name: str = "") -> None:
        folder = Path(settings.MAIL_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name or 'message'}.eml"
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # a reader never sees half a file

    def close(self) -> None:
        return None


# One SMTP connection per thread: the worker runs tasks in its main thread and the periodic
# sweeps (which may also deliver) in another, and an SMTP session cannot be shared.
_local = threading.local()
_file = FileTransport()


def _smtp() -> SMTPTransport:
    transport = getattr(_local, "smtp", None)
    if transport is None:
        transport = _local.smtp = SMTPTransport()
    return transport


def current_transport() -> SMTPTransport | FileTransport:
    return _smtp() if settings.EMAIL_HOST else _file


def close_connections() -> None:
    _smtp().close()
