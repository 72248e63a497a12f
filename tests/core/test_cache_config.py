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
from django.test import RequestFactory

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/13"  # the machine's Redis (CI has it too); a database of its own
REDIS_OWN = "redis://127.0.0.1:6379/12"  # never emptied by a test: keys under a per-run prefix, with a TTL


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
    guesser, never a candidate with a valid link behind the same address.

    The Redis server is shared (other test runs on this machine, CI jobs): this run counts under a
    key prefix and client addresses of its own, in a database no other test empties."""
    import uuid

    from interviewdesk.portal.services.access import access_link_issue
    from interviewdesk.portal.session import FAILED_LIMIT, too_many_failures
    from tests.factories import CandidateFactory

    prefix = f"test-{uuid.uuid4().hex}"
    here_ip, elsewhere_ip = "2001:db8::" + uuid.uuid4().hex[:4], "2001:db8::1:" + uuid.uuid4().hex[:4]
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                      "LOCATION": REDIS_OWN, "KEY_PREFIX": prefix}}
    code = ("import django; django.setup(); from django.conf import settings; "
            f"settings.CACHES['default']['KEY_PREFIX'] = '{prefix}'; "  # before the cache is first used
            "from django.test import RequestFactory; "
            "from interviewdesk.portal.session import record_failure, FAILED_LIMIT; "
            f"request = RequestFactory().get('/p/x/', REMOTE_ADDR='{here_ip}'); "
            "[record_failure(request) for _ in range(FAILED_LIMIT)]")
    environment = os.environ | {"CACHE_URL": REDIS_OWN, "DJANGO_SETTINGS_MODULE": "interviewdesk.settings"}
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, check=True, capture_output=True)
    here = RequestFactory().get("/p/y/", REMOTE_ADDR=here_ip)
    elsewhere = RequestFactory().get("/p/y/", REMOTE_ADDR=elsewhere_ip)
    assert FAILED_LIMIT > 1
    assert too_many_failures(here) is True
    assert too_many_failures(elsewhere) is False
    # In this process, from the address the other process blocked:
    assert client.get("/p/" + "q" * 43 + "/", REMOTE_ADDR=here_ip).status_code == 429
    raw = access_link_issue(candidate=CandidateFactory()).rstrip("/").rsplit("/", 1)[1]
    assert client.post(f"/p/{raw}/", REMOTE_ADDR=here_ip).status_code == 302
