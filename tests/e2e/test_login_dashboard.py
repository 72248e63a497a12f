import pytest
from playwright.sync_api import expect

from interviewdesk.procedures.models import Role
from tests.browser import assert_accessible, assert_fits_width, login
from tests.factories import ProcedureFactory, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_member_logs_in_and_sees_their_procedure_on_an_accessible_dashboard(page):
    procedure = ProcedureFactory(title="Data analyst")
    user = member(procedure, Role.SELECTION_OFFICER, username="officer")
    page.goto("/accounts/login/")
    assert_accessible(page)
    login(page, user.username)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_role("cell", name="Data analyst")).to_be_visible()
    assert_accessible(page)


def test_wrong_password_gets_a_clear_message(page):
    member(ProcedureFactory(), Role.PROCTOR, username="proctor")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("proctor")
    page.get_by_label("Password").fill("wrong password!")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert "correct username and password" in page.get_by_role("alert").inner_text()
    assert_accessible(page)


def test_login_page_fits_a_320px_phone(phone_page):
    phone_page.goto("/accounts/login/")
    assert_fits_width(phone_page)
    assert_accessible(phone_page)
