"""The second factor through the real login forms: password, then a code; enrolment at first login;
recovery codes that work once; an administrator's reset (audited) that ends open sessions."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from interviewdesk.core.models import AuditEntry
from interviewdesk.procedures.models import Role
from tests.factories import ProcedureFactory, UserFactory, member
from tests.twofactor import totp_code, totp_device

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def password_step(client: Client, username: str, password: str = PASSWORD, next_url: str = "/"):
    return client.post(f"/accounts/login/?next={next_url}", {"username": username, "password": password,
                                                            "next": next_url})


def code_from_setup_page(html: str) -> str:
    """The secret the set-up page shows as text (base32, in groups), as hex for django-otp."""
    import base64

    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', html).group(1).replace(" ", "")
    return base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()


@pytest.fixture
def officer():
    return member(ProcedureFactory(), Role.SELECTION_OFFICER, username="officer")


def test_the_password_alone_opens_no_staff_page(client, officer):
    totp_device(officer)
    response = password_step(client, "officer")
    assert response.status_code == 302
    dashboard = client.get("/")
    assert dashboard.status_code == 302
    assert dashboard["Location"].startswith("/accounts/two-factor/?next=")
    for url in ("/", f"/procedures/{officer.memberships.first().procedure_id}/", "/admin/"):
        assert client.get(url).status_code == 302, url


def test_password_then_the_app_code_logs_in_and_is_audited_with_the_client_address(client, officer):
    device = totp_device(officer)
    password_step(client, "officer")
    response = client.post("/accounts/two-factor/?next=/", {"code": totp_code(device), "next": "/"},
                           REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    entry = AuditEntry.objects.get(action="login.succeeded")
    assert (entry.actor, entry.client_address, entry.reason) == (officer, "198.51.100.7", "authenticator")


def test_a_wrong_code_is_refused_with_a_message_and_audited(client, officer):
    device = totp_device(officer)
    password_step(client, "officer")
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/two-factor/", {"code": wrong})
    assert response.status_code == 200
    assert "This code is not valid, or it has been used already." in response.content.decode()
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.filter(action="login.second_factor_failed", actor=officer).count() == 1


def test_a_code_cannot_be_used_twice(client, officer):
    device = totp_device(officer)
    code = totp_code(device)
    password_step(client, "officer")
    assert client.post("/accounts/two-factor/", {"code": code}).status_code == 302
    other = Client()
    password_step(other, "officer")
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    response = other.post("/accounts/two-factor/", {"code": code})
    assert response.status_code == 200  # refused: the same code again
    assert other.get("/").status_code == 302


def test_wrong_codes_slow_down_further_tries(client, officer):
    device = totp_device(officer)
    password_step(client, "officer")
    client.post("/accounts/two-factor/", {"code": "000000"})
    client.post("/accounts/two-factor/", {"code": "000001"})
    # Even the right code now waits: django-otp's delay doubles with every wrong one.
    right = totp_code(device, for_login=False)
    response = client.post("/accounts/two-factor/", {"code": right})
    assert response.status_code == 200
    assert "Too many wrong codes. Wait" in response.content.decode()


def test_first_login_requires_setting_up_an_app_then_shows_recovery_codes_once(client):
    user = member(ProcedureFactory(), Role.PROCTOR, username="newcomer")
    assert not TOTPDevice.objects.filter(user=user).exists()
    password_step(client, "newcomer")
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/set-up/")
    html = response.content.decode()
    assert "<svg" in html and 'class="secret"' in html  # QR code generated here, and the key as text
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]  # nothing the CSP would block
    key = code_from_setup_page(html)
    signed = re.search(r'name="key" value="([^"]+)"', html).group(1)
    from django_otp.oath import TOTP

    wrong = client.post("/accounts/two-factor/set-up/", {"key": signed, "code": "123456x"})
    assert "This code does not match" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()

    code = f"{TOTP(bytes.fromhex(key)).token():06d}"
    done = client.post("/accounts/two-factor/set-up/", {"key": signed, "code": code, "next": "/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=user, confirmed=True).key == key
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="second_factor.enrolled", actor=user).exists()
    # Shown once: the set-up page is gone now that an app is confirmed.
    assert client.get("/accounts/two-factor/set-up/").status_code == 302


def test_a_tampered_or_foreign_key_is_refused(client, officer):
    password_step(client, "officer")
    response = client.post("/accounts/two-factor/set-up/", {"key": "0" * 40, "code": "123456"})
    assert "This set-up page has expired" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()


def test_a_recovery_code_works_once(client, officer):
    totp_device(officer)
    from interviewdesk.accounts.services import recovery_codes_renew

    codes = recovery_codes_renew(user=officer)
    password_step(client, "officer")
    assert client.post("/accounts/two-factor/", {"code": codes[0].upper()}).status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.get(action="login.succeeded").reason == "recovery code"
    assert StaticToken.objects.filter(device__user=officer).count() == 9

    again = Client()
    password_step(again, "officer")
    response = again.post("/accounts/two-factor/", {"code": codes[0]})
    assert response.status_code == 200
    assert again.get("/").status_code == 302


def test_an_administrator_resets_a_second_factor_audited_and_the_user_enrols_again(client, officer):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    totp_device(officer)
    victim_session = Client()
    victim_session.force_login(officer)
    assert victim_session.get("/").status_code == 200

    client.force_login(admin)
    response = client.post("/admin/core/user/", {"action": "reset_second_factor", "_selected_action": [officer.pk]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    entry = AuditEntry.objects.get(action="second_factor.reset")
    assert (entry.actor, entry.object_id) == (admin, str(officer.pk))
    # The sessions the user had open end with the reset...
    assert victim_session.get("/").status_code == 302
    # ...and the next login asks for a new set-up.
    fresh = Client()
    password_step(fresh, "officer")
    assert fresh.get("/")["Location"].startswith("/accounts/two-factor/set-up/")


def test_only_an_administrator_can_reset(client, officer):
    other = member(ProcedureFactory(), Role.SELECTION_OFFICER, username="other", is_staff=True)
    totp_device(officer)
    client.force_login(other)
    client.post("/admin/core/user/", {"action": "reset_second_factor", "_selected_action": [officer.pk]})
    assert TOTPDevice.objects.filter(user=officer).exists()


def test_the_admin_has_no_login_of_its_own(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_devices_cannot_be_added_in_the_admin(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 404


def test_force_login_in_tests_gives_a_verified_session_with_a_real_device(client, officer):
    client.force_login(officer)
    assert client.get("/").status_code == 200
    assert TOTPDevice.objects.get(user=officer).confirmed


def test_the_code_page_is_translated(client, officer):
    totp_device(officer)
    password_step(client, "officer")
    for language, word in (("nl", "Tweede stap"), ("fr", "Deuxième étape"), ("de", "Zweiter Schritt")):
        page = client.get("/accounts/two-factor/", headers={"accept-language": language})
        assert word in page.content.decode(), language


@time_machine.travel("2027-03-28T01:59:50+01:00", tick=True)
def test_a_code_is_accepted_across_a_change_of_clock(client, officer):
    # TOTP counts UTC seconds: the night summer time starts changes nothing.
    device = totp_device(officer)
    password_step(client, "officer")
    assert client.post("/accounts/two-factor/", {"code": totp_code(device)}).status_code == 302


@pytest.mark.parametrize("url", ["/accounts/two-factor/", "/accounts/two-factor/set-up/",
                                 "/accounts/two-factor/recovery-codes/"])
def test_the_second_factor_pages_send_anonymous_visitors_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_new_recovery_codes_need_a_verified_session(client, officer):
    totp_device(officer)
    password_step(client, "officer")
    response = client.post("/accounts/two-factor/recovery-codes/")
    assert response["Location"].startswith("/accounts/two-factor/?next=")
    assert not StaticToken.objects.filter(device__user=officer).exists()
    verified = Client()
    verified.force_login(officer)
    page = verified.post("/accounts/two-factor/recovery-codes/")
    assert len(re.findall(r"<li><code>([a-z0-9]+)</code></li>", page.content.decode())) == 10
    assert "You have 10 unused recovery codes." in verified.get("/accounts/two-factor/recovery-codes/").content.decode()


def test_demo_staff_log_in_with_the_code_demo_code_prints(client):
    import io

    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    password_step(client, "officer", password="demo-interviewdesk")
    out = io.StringIO()
    call_command("demo_code", stdout=out)
    assert client.post("/accounts/two-factor/", {"code": out.getvalue().strip()}).status_code == 302
    assert client.get("/").status_code == 200
