"""Keep personal-link tokens and searched names out of the logs.

The only URL that carries a secret is the personal link's landing page (/p/<token>/).
Django's request and development-server loggers write request paths; this filter
replaces the token before any handler sees the record. The staff lists' search (?q=,
core.listing) may hold a name or an e-mail address, so its text goes too.
"""

from __future__ import annotations

import logging
import re

TOKEN_IN_PATH = re.compile(r"/p/[^/\s\"?]+")
REDACTED = "/p/[token]"
SEARCH_IN_QUERY = re.compile(r"([?&]q=)[^&\s\"]*")


def _redact(value):
    if not isinstance(value, str):
        return value
    return SEARCH_IN_QUERY.sub(r"\1[search]", TOKEN_IN_PATH.sub(REDACTED, value))


class RedactPersonalLinks(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redact(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redact(arg) for key, arg in record.args.items()}
        return True
