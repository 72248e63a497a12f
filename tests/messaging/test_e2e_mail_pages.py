"""Browser journey over the mail pages: send all with a progress bar that updates itself, mail log,
message detail, at-risk list — accessible (axe-core), no CSP violation, fitting 320 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from interviewdesk.messaging.models import BulkSend, Message
from interviewdesk.messaging.services.bulk import bulk_send_run
from interviewdesk.messaging.services.delivery import deliver_due
from interviewdesk.procedures.models import Role
from tests.browser import assert_accessible, assert_fits_width, login
from tests.factories import CandidateFactory, ProcedureFactory, member
from tests.messaging.conftest import planned_interview

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_officer_sends_all_invitations_and_watches_the_progress_then_reads_the_log(page, settings):
    settings.EMAIL_HOST = ""
    procedure = ProcedureFactory(title="Data analyst")
    for _ in range(3):
        planned_interview(procedure=procedure, candidate=CandidateFactory(procedure=procedure))
    officer = member(procedure, Role.SELECTION_OFFICER, username="officer")
    login(page, officer.username)

    page.goto(f"/procedures/{procedure.pk}/mail/send-all/")
    expect(page.get_by_text("3 planned appointments have no invitation yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send all pending invitations").click()
    expect(page.get_by_text("0 of 3 invitations handled")).to_be_visible()

    # The worker does its job; the page notices by itself (htmx polling, no reload).
    bulk_send_run(run_id=BulkSend.objects.get().pk)
    deliver_due()
    page.get_by_text("Finished.").wait_for(timeout=15_000)
    expect(page.get_by_text("3 of 3 invitations handled")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/procedures/{procedure.pk}/mail/")
    assert_accessible(page)
    message = Message.objects.filter(kind="invitation").order_by("id").first()
    page.locator(f'a[href="/procedures/{procedure.pk}/mail/{message.pk}/"]').click()
    expect(page.get_by_role("heading", name=message.subject)).to_be_visible()
    expect(page.frame_locator("iframe.mail-html").get_by_text("Wat u nodig hebt")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/procedures/{procedure.pk}/candidates/{message.candidate_id}/mail/")
    expect(page.get_by_role("link", name="Download .ics")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/procedures/{procedure.pk}/at-risk/")
    assert_accessible(page)


def test_the_mail_log_fits_a_320px_phone(phone_page):
    procedure = ProcedureFactory()
    planned_interview(procedure=procedure)
    officer = member(procedure, Role.SELECTION_OFFICER, username="officer")
    login(phone_page, officer.username)  # password, then the authenticator code (tests/browser.py)
    for url in (f"/procedures/{procedure.pk}/mail/", f"/procedures/{procedure.pk}/at-risk/",
                f"/procedures/{procedure.pk}/mail/send-all/"):
        phone_page.goto(url)
        assert_fits_width(phone_page)
        assert_accessible(phone_page)


def test_after_an_outage_the_officer_sends_the_failed_messages_again_by_keyboard_on_a_phone(phone_page, smtp):
    from interviewdesk.messaging.services.invitations import invitation_send

    procedure = ProcedureFactory()
    appointment = planned_interview(procedure=procedure)
    smtp.fail_next = ["554 5.7.1 Relay access denied"] * 4
    invitation_send(appointment=appointment)
    deliver_due()
    failed = list(Message.objects.filter(state="failed", appointment=appointment).order_by("id"))
    assert len(failed) == 4
    officer = member(procedure, Role.SELECTION_OFFICER, username="officer")
    login(phone_page, officer.username)  # password, then the authenticator code (tests/browser.py)

    phone_page.goto(f"/procedures/{procedure.pk}/mail/{failed[0].pk}/")
    assert_fits_width(phone_page)
    assert_accessible(phone_page)
    button = phone_page.get_by_role("button", name="Opnieuw versturen")
    button.focus()
    phone_page.keyboard.press("Enter")
    phone_page.get_by_text("1 e-mail staat opnieuw klaar om te vertrekken.").wait_for()
    assert_accessible(phone_page)

    phone_page.goto(f"/procedures/{procedure.pk}/mail/")
    button = phone_page.get_by_role("button", name="De 3 mislukte e-mails opnieuw versturen")
    assert_fits_width(phone_page)
    assert_accessible(phone_page)
    button.focus()
    phone_page.keyboard.press("Enter")
    phone_page.get_by_text("3 e-mails staan opnieuw klaar om te vertrekken.").wait_for()
    assert_accessible(phone_page)
    deliver_due()
    assert set(Message.objects.filter(pk__in=[m.pk for m in failed]).values_list("state", flat=True)) == {"sent"}
