"""The throw-away Django site the HTTP benchmarks serve: the real URLs plus a bare view to compare with.

Shared by bench/portal.py and bench/staff_lists.py (the leading underscore keeps bench/run.py from
running it as a benchmark)."""

from __future__ import annotations

import textwrap
from pathlib import Path

SETTINGS = """
from interviewdesk.settings import *  # noqa: F403
ROOT_URLCONF = "bench_urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
"""
URLS = """
from django.http import HttpResponse
from django.urls import path

from interviewdesk.urls import urlpatterns as real


def minimal(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), *real]
"""


def site_write(folder: Path) -> None:
    """bench_settings.py and bench_urls.py in `folder` (put it on PYTHONPATH, DJANGO_SETTINGS_MODULE=bench_settings)."""
    (folder / "bench_settings.py").write_text(textwrap.dedent(SETTINGS))
    (folder / "bench_urls.py").write_text(textwrap.dedent(URLS))
