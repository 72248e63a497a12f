"""The candidate's journey in chromium: personal link, overview, every step, device check with fake media."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from interviewdesk.portal.models import DeviceCheck, Readiness
from interviewdesk.portal.services.access import access_link_issue
from interviewdesk.scheduling.models import Appointment
from tests.browser import assert_accessible, assert_fits_width
from tests.factories import AppointmentFactory, CandidateFactory, jury_with_members

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def candidate_with_interview(language="nl"):
    candidate = CandidateFactory(language=language)
    start = timezone.now() + dt.timedelta(days=14)
    AppointmentFactory(candidate=candidate, procedure=candidate.procedure, status=Appointment.Status.INVITED,
                       starts_at=start, ends_at=start + dt.timedelta(hours=1),
                       jury=jury_with_members(candidate.procedure))
    return candidate


def open_personal_page(page, candidate) -> str:
    link = access_link_issue(candidate=candidate)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page.goto("/" + path)
    assert_accessible(page)
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url("**/portal/")
    return path.rstrip("/").rsplit("/", 1)[1]


def test_the_token_never_appears_in_later_urls_or_in_a_referer(page):
    candidate = candidate_with_interview()
    seen: list[tuple[str, str]] = []
    page.on("request", lambda request: seen.append((request.url, request.headers.get("referer", ""))))
    token = open_personal_page(page, candidate)
    page.get_by_role("link", name="Bevestig uw telefoonnummer").click()
    page.wait_for_url("**/portal/phone/")
    token_url = seen[0][0]
    later = [(url, referer) for url, referer in seen if url != token_url]  # the link page's GET and its POST aside
    assert len(later) >= 4, later  # static files, the overview, the phone page
    assert [url for url, referer in later if token in url or token in referer] == []
    assert all(referer == "" for _url, referer in seen)


def test_candidate_completes_the_steps_on_a_320px_phone_in_their_language(phone_page):
    page = phone_page
    candidate = candidate_with_interview(language="fr")
    open_personal_page(page, candidate)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_accessible(page)
    assert_fits_width(page)

    page.get_by_role("button", name="Accepter l’entretien").click()
    page.wait_for_url("**/portal/")
    assert Appointment.objects.get(candidate=candidate).status == Appointment.Status.CONFIRMED

    page.goto("/portal/phone/")
    assert_accessible(page)
    assert_fits_width(page)
    page.get_by_label("Votre numéro de téléphone").fill("0471 23 45 67")
    page.keyboard.press("Enter")
    page.wait_for_url("**/portal/")

    page.goto("/portal/equipment/")
    assert_accessible(page)
    assert_fits_width(page)
    for radio in page.locator("input[type=radio][value=yes]").all():
        radio.check()
    page.locator("input[name=room_alone][value=no]").check()
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url("**/portal/room/")
    assert_accessible(page)
    assert_fits_width(page)

    page.goto("/portal/rules/")
    assert_accessible(page)
    assert_fits_width(page)
    page.locator("input[name=acknowledge]").check()
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url("**/portal/")

    readiness = Readiness.objects.get(candidate=candidate)
    candidate.refresh_from_db()
    assert candidate.phone == "+32471234567"
    assert readiness.equipment_missing == ["room_alone"] and readiness.rules_acknowledged_at is not None
    for url in ("/portal/problem/", "/portal/connection-test/", "/portal/adjustments/", "/portal/device-check/"):
        page.goto(url)
        assert_accessible(page)
        assert_fits_width(page)


def test_the_overview_is_usable_by_keyboard(page):
    candidate = candidate_with_interview(language="de")
    open_personal_page(page, candidate)
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.className") == "skip-link"
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Telefonnummer bestätigen":
            break
    else:
        pytest.fail("the phone step cannot be reached with the Tab key")
    page.keyboard.press("Enter")
    page.wait_for_url("**/portal/phone/")


def test_device_check_runs_with_chromiums_fake_camera_and_microphone_and_saves_a_verdict(page):
    candidate = candidate_with_interview(language="nl")
    open_personal_page(page, candidate)
    page.goto("/portal/device-check/")
    assert_accessible(page)
    save = page.locator("#save-check")
    assert save.is_disabled()
    page.locator("#start-check").click()
    page.wait_for_function("() => !document.getElementById('save-check').disabled", timeout=30_000)
    assert page.locator("#camera-preview").evaluate("v => v.srcObject !== null && v.videoWidth > 0")
    assert page.locator("#microphone-level").evaluate("m => m.value >= 0")
    assert page.locator("#browser-note").get_attribute("class") == "message success"
    page.locator("#play-sound").click()
    page.locator("input[name=sound_heard]").check()
    save.click()
    page.wait_for_url("**/portal/device-check/")
    check = DeviceCheck.objects.get(candidate=candidate)
    assert (check.camera_ok, check.microphone_ok, check.sound_heard, check.browser) == (True, True, True, "Chrome")
    assert check.latency_ms is not None and check.download_mbps > 0 and check.upload_mbps > 0
    assert check.verdict == "ok", check.reasons
    assert page.locator("#verdict").inner_text() == "Alles werkt"
    assert_accessible(page)


def test_refusal_pages_are_accessible_and_fit_a_phone(phone_page):
    page = phone_page
    candidate = candidate_with_interview(language="de")
    link = access_link_issue(candidate=candidate)
    access_link_issue(candidate=candidate)  # the first link is now replaced
    page.goto("/" + link.split("://", 1)[1].split("/", 1)[1])
    assert page.get_by_role("heading", level=1).inner_text() == "Dieser Link kann nicht verwendet werden"
    assert candidate.procedure.contact_email in page.content()
    assert_accessible(page)
    assert_fits_width(page)
    page.goto("/p/" + "z" * 43 + "/")
    assert_accessible(page)
    page.goto("/portal/")
    assert_accessible(page)
    assert_fits_width(page)


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_device_check_writes_numbers_the_way_the_page_language_does(page, language):
    """Issue 11: "410.5 Mbit/s" had a decimal point in every language; the script formats with the
    page's language (Intl.NumberFormat), and so does the saved result the server shows."""
    candidate = candidate_with_interview(language=language)
    open_personal_page(page, candidate)
    page.goto("/portal/device-check/")
    page.locator("#start-check").click()
    page.wait_for_function("() => !document.getElementById('save-check').disabled", timeout=30_000)
    shown = re.compile(r"[\d.\u202f\u00a0]*\d,\d\u00a0Mbit/s")
    for cell in ("#download-result", "#upload-result"):
        text = page.locator(cell).inner_text()
        assert shown.fullmatch(text), (cell, text)
    assert re.fullmatch(r"[\d.\u202f\u00a0]*\d\u00a0ms", page.locator("#latency-result").inner_text())
    assert page.locator("input[name=download_mbps]").input_value().count(",") == 0  # the server's form
    page.locator("input[name=sound_heard]").check()
    page.locator("#save-check").click()
    page.wait_for_url("**/portal/device-check/")
    saved = page.locator("#last-result + p + dl, section.result dl").first.inner_text()
    assert re.search(r"\d,\d+ Mbit/s", saved), saved
    assert not re.search(r"\d\.\d+ Mbit/s", saved), saved
