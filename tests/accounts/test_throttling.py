"""Login throttling (django-axes, per account and client address) and the login audit."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from interviewdesk.core.models import AuditEntry
from interviewdesk.procedures.models import Role
from tests.factories import ProcedureFactory, member

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def attempt(client: Client, username: str, password: str, address: str = "203.0.113.5"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def officer():
    return member(ProcedureFactory(), Role.SELECTION_OFFICER, username="officer")


def test_fifty_wrong_passwords_then_the_right_one_does_not_log_in_at_once(client, officer):
    for _ in range(50):
        attempt(client, "officer", "wrong password!")
    response = attempt(client, "officer", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed attempts for this account from your address. Wait 15 minutes" in html
    assert "_auth_user_id" not in client.session


def test_the_lock_is_lifted_after_the_short_cool_off(client, officer):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            attempt(client, "officer", "wrong password!")
        assert attempt(client, "officer", PASSWORD).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        response = attempt(client, "officer", PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(officer.pk)


def test_someone_elsewhere_cannot_lock_a_colleague_out(client, officer):
    for _ in range(20):
        attempt(Client(), "officer", "wrong password!", address="192.0.2.66")
    response = attempt(client, "officer", PASSWORD, address="203.0.113.5")
    assert response.status_code == 302


def test_a_client_trying_many_accounts_is_stopped(client, officer, settings):
    for number in range(settings.LOGIN_CLIENT_FAILURE_LIMIT):
        attempt(client, f"guess{number}", "wrong password!", address="192.0.2.99")
    # Not locked per account (each name tried once), but this address has guessed enough.
    assert attempt(client, "officer", PASSWORD, address="192.0.2.99").status_code == 429
    assert attempt(Client(), "officer", PASSWORD, address="203.0.113.5").status_code == 302


def test_failed_logins_are_audited_with_the_address_and_without_secrets(client, officer):
    attempt(client, "officer", "wrong password!", address="203.0.113.5")
    attempt(client, "my-password-typed-in-the-name-field", "x", address="203.0.113.5")
    known, unknown = AuditEntry.objects.filter(action="login.failed").order_by("id")
    assert (known.object_id, known.client_address, known.actor) == (str(officer.pk), "203.0.113.5", None)
    assert (unknown.object_id, unknown.client_address) == ("", "203.0.113.5")
    stored = " ".join(str(v) for e in (known, unknown) for v in (e.changes, e.reason, e.object_id))
    assert "wrong password" not in stored and "typed-in-the-name" not in stored


def test_behind_a_proxy_the_address_is_the_one_the_proxy_appended(client, officer, settings):
    settings.BEHIND_PROXY = True
    client.post("/accounts/login/", {"username": "officer", "password": "nope"}, REMOTE_ADDR="10.0.0.1",
                HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.20")
    assert AuditEntry.objects.get(action="login.failed").client_address == "198.51.100.20"


def test_the_lockout_page_is_translated(client, officer):
    for _ in range(5):
        attempt(client, "officer", "wrong password!")
    response = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD},
                           REMOTE_ADDR="203.0.113.5", headers={"accept-language": "fr"})
    assert "Trop de tentatives échouées" in response.content.decode()
