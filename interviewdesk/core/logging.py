"""Keep personal-link tokens out of the logs.

The only URL that carries a secret is the personal link's landing page (/p/<token>/).
Django's request and development-server loggers write request paths; this filter
replaces the token before any handler sees the record.
"""

from __future__ import annotations

import logging
import re

TOKEN_IN_PATH = re.compile(r"/p/[^/\s\"?]+")
REDACTED = "/p/[token]"


def _redact(value):
    return TOKEN_IN_PATH.sub(REDACTED, value) if isinstance(value, str) else value


class RedactPersonalLinks(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redact(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redact(arg) for key, arg in record.args.items()}
        return True
