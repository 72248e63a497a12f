"""The fake Graph server (a real HTTPS server in a thread) and procedures set up for meetings."""

from __future__ import annotations

import pytest

from interviewdesk.meetings.models import Provider, Scope
from interviewdesk.meetings.services import meeting_settings_save
from tests.meetings.fake_graph import (
    CLIENT_ID,
    CLIENT_SECRET,
    ORGANIZER,
    TENANT,
    FakeGraph,
    make_certificate,
    serve,
)

JITSI_SECRET = "test-jitsi-secret-0123456789abcdef"


@pytest.fixture
def graph(settings, tmp_path):
    cert, key = make_certificate(tmp_path)
    fake = FakeGraph()
    server = serve(fake, cert, key)
    settings.MEETINGS_GRAPH_URL = f"{fake.base}/v1.0"
    settings.MEETINGS_TEAMS_AUTHORITY_HOST = fake.base
    settings.MEETINGS_TEAMS_TENANT_ID = TENANT
    settings.MEETINGS_TEAMS_CLIENT_ID = CLIENT_ID
    settings.MEETINGS_TEAMS_CLIENT_SECRET = CLIENT_SECRET
    settings.MEETINGS_CA_BUNDLE = str(cert)
    settings.MEETINGS_MAX_WAIT_SECONDS = 2
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def jitsi_settings(settings):
    settings.MEETINGS_JITSI_APP_SECRET = JITSI_SECRET
    return settings


def use_teams(procedure, scope=Scope.APPOINTMENT, organizer=ORGANIZER):
    return meeting_settings_save(procedure=procedure, actor=None, provider=Provider.TEAMS, scope=scope,
                                 teams_organizer=organizer)


def use_jitsi(procedure, scope=Scope.APPOINTMENT):
    return meeting_settings_save(procedure=procedure, actor=None, provider=Provider.JITSI, scope=scope,
                                 jitsi_base_url="https://meet.example.org", jitsi_app_id="interviewdesk")
