"""Reads never write (issue 15): every page a staff member (per demo role) or the demo candidate reaches
by following links, on the fully set-up demo, runs no INSERT, UPDATE or DELETE, apart from the
exceptions below, each with its reason.

The crawl is the one of test_crawl_demo (GET only, a few pages per URL shape); each GET runs inside
CaptureQueriesContext and every write statement it ran is checked against EXCEPTIONS.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interviewdesk.core.models import User
from interviewdesk.demo.data import ROLE_LOGINS
from interviewdesk.demo.loading import demo_candidate
from tests.demo.test_crawl_demo import crawl
from tests.gets import writes
from tests.portal.conftest import log_in

pytestmark = pytest.mark.django_db

AUDIT = re.compile(r'^\s*INSERT INTO "core_auditentry"', re.I)

# Writes a GET may make, and why: (reason, the URLs, the statement). Nothing else.
EXCEPTIONS = [
    # The session row: the idle limit's last-seen time (core.middleware.SessionLifetimeMiddleware,
    # at most once a minute) and the messages framework's read flags live in the session.
    ("session bookkeeping", re.compile(r""), re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM) "django_session"', re.I)),
    # A copy of a candidate's data handed out is itself a fact the privacy app keeps (who, when,
    # which format): privacy.services.candidate_export_record, docs/privacy.md.
    ("data export handed out", re.compile(r"^/procedures/\d+/candidates/\d+/data(/|\.json|\.pdf)$|^/portal/my-data/all"),
     AUDIT),
    # Reading a medical certificate or an adjustment's medical reason (special-category data) is
    # audited (issue 12): portal.staff_checks_views.certificate and adjustments_staff.
    ("special-category read", re.compile(r"^/procedures/\d+/adjustments/(\d+/certificate/)?$"), AUDIT),
]


def _allowed(url: str, sql: str) -> bool:
    return any(where.search(url) and what.search(sql) for _reason, where, what in EXCEPTIONS)


class WatchedClient:
    """The test client, recording for each GET the write statements no exception allows."""

    def __init__(self, client) -> None:
        self.client = client
        self.unexpected: list[tuple[str, str]] = []

    def get(self, url: str, **kwargs):
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url, **kwargs)
        for sql in writes(captured.captured_queries):
            if not _allowed(url, sql):
                self.unexpected.append(f"{url}: {_statement(sql)}")
        return response


def _statement(sql: str) -> str:
    """"UPDATE procedures_scalelevel" out of the statement: enough to say what wrote."""
    match = re.match(r'\s*(INSERT INTO|UPDATE|DELETE FROM|REPLACE INTO)\s+"?(\w+)', sql, re.I)
    return f"{match.group(1).upper()} {match.group(2)}" if match else sql[:60]


@pytest.mark.parametrize("role, username", ROLE_LOGINS)
def test_no_staff_page_writes(client, demo_sent, role, username):
    client.force_login(User.objects.get(username=username))
    watched = WatchedClient(client)
    seen, failures = crawl(watched, "/")
    assert failures == [], failures
    assert len(seen) > 5, seen
    assert not watched.unexpected, "\n".join(sorted(set(watched.unexpected)))


def test_no_page_of_the_candidate_writes(client, demo_sent):
    log_in(client, demo_candidate())
    watched = WatchedClient(client)
    seen, failures = crawl(watched, "/portal/")
    assert failures == [], failures
    assert len(seen) > 3, seen
    assert not watched.unexpected, "\n".join(sorted(set(watched.unexpected)))


def test_the_watch_sees_a_write_and_allows_only_the_listed_exceptions():
    """The guard itself: a statement that writes is caught, a read is not; an exception holds only for
    its own URLs."""
    assert writes([{"sql": 'UPDATE "live_livesession" SET "version" = 2'}, {"sql": 'SELECT 1'},
                   {"sql": '  insert into "x" values (1)'}]) == ['UPDATE "live_livesession" SET "version" = 2',
                                                               '  insert into "x" values (1)']
    audit = 'INSERT INTO "core_auditentry" ("at") VALUES (1)'
    assert _allowed("/portal/my-data/all.json", audit)
    assert not _allowed("/portal/", audit)
    assert _allowed("/portal/", 'UPDATE "django_session" SET "session_data" = 1')
