"""Asserting that a request writes nothing: the rows it would create are counted before and after, and
every statement it ran is checked for a write (INSERT, UPDATE, DELETE)."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def writes(queries) -> list[str]:
    """The write statements among captured queries (SAVEPOINTs and the like are not writes)."""
    return [q["sql"] for q in queries if WRITE.match(q["sql"])]


def get_writing_nothing(client, url: str, *models, **get_kwargs):
    """GET `url`; fail when it changed the number of rows of any of `models` or ran any write at all."""
    before = {model: model.objects.count() for model in models}
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **get_kwargs)
    after = {model: model.objects.count() for model in models}
    assert after == before, f"GET {url} changed row counts: {before} → {after}"
    assert writes(captured.captured_queries) == [], f"GET {url} wrote"
    return response
