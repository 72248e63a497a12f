"""Sessions and the portal's counters with several web processes: CACHE_URL gives them one shared
cache (Redis); without it, sessions are read from the database on every request, because a
per-process cache would keep a logged-out session alive in the other gunicorn workers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import RequestFactory

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/13"  # the machine's Redis (CI has it too); a database of its own


def settings_in_a_process(**env) -> dict:
    code = ("import json, django; django.setup(); from django.conf import settings as s; "
            "print(json.dumps({'session': s.SESSION_ENGINE, 'cache': s.CACHES['default']['BACKEND']}))")
    environment = {k: v for k, v in os.environ.items() if k != "CACHE_URL"} | env
    environment["DJANGO_SETTINGS_MODULE"] = "interviewdesk.settings"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_without_a_shared_cache_sessions_come_from_the_database():
    assert settings_in_a_process() == {"session": "django.contrib.sessions.backends.db",
                                       "cache": "django.core.cache.backends.locmem.LocMemCache"}


def test_with_cache_url_every_process_shares_redis_for_sessions_and_counters():
    assert settings_in_a_process(CACHE_URL=REDIS) == {
        "session": "django.contrib.sessions.backends.cached_db",
        "cache": "django.core.cache.backends.redis.RedisCache"}


@pytest.mark.django_db
def test_failed_link_attempts_counted_in_one_process_stop_guesses_in_another_but_not_a_valid_link(settings, client):
    """The rate limit is only a limit when all web processes count together; and it limits the
    guesser, never a candidate with a valid link behind the same address."""
    from interviewdesk.portal.access import access_link_issue
    from interviewdesk.portal.session import FAILED_LIMIT, too_many_failures
    from tests.factories import CandidateFactory

    settings.CACHES = {**settings.CACHES,
                       "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}}
    caches["default"].clear()
    code = ("import django; django.setup(); from django.test import RequestFactory; "
            "from interviewdesk.portal.session import record_failure, FAILED_LIMIT; "
            "request = RequestFactory().get('/p/x/', REMOTE_ADDR='203.0.113.9'); "
            "[record_failure(request) for _ in range(FAILED_LIMIT)]")
    environment = os.environ | {"CACHE_URL": REDIS, "DJANGO_SETTINGS_MODULE": "interviewdesk.settings"}
    try:
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, check=True, capture_output=True)
        here = RequestFactory().get("/p/y/", REMOTE_ADDR="203.0.113.9")
        elsewhere = RequestFactory().get("/p/y/", REMOTE_ADDR="203.0.113.10")
        assert FAILED_LIMIT > 1
        assert too_many_failures(here) is True
        assert too_many_failures(elsewhere) is False
        # In this process, from the address the other process blocked:
        assert client.get("/p/" + "q" * 43 + "/", REMOTE_ADDR="203.0.113.9").status_code == 429
        link = access_link_issue(candidate=CandidateFactory())
        raw = link.rstrip("/").rsplit("/", 1)[1]
        assert client.post(f"/p/{raw}/", REMOTE_ADDR="203.0.113.9").status_code == 302
    finally:
        caches["default"].clear()
