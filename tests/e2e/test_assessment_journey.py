"""The assessment journey: three jury members score one interview independently (drafts saved on
the server while they type), the chair leads the consensus and signs off, the selection officer
publishes and downloads the reports. axe-core runs on every page; the score sheet also at 320 px."""

from __future__ import annotations

import re
import shutil
import subprocess
from contextlib import ExitStack, contextmanager
from decimal import ROUND_HALF_UP, Decimal

import pytest
from playwright.sync_api import expect

from interviewdesk.procedures.models import Role, ScaleLevel
from tests.browser import assert_accessible, assert_fits_width, login
from tests.factories import (
    AppointmentFactory,
    CandidateFactory,
    ProcedureFactory,
    UserFactory,
    jury_with_members,
    member,
    with_profile,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COMPETENCIES = ("Analysing", "Cooperating")  # with_profile's two competencies, in guide order
LEVEL_NAMES = ("very weak", "weak", "rather weak", "rather good", "good", "very good")
# Independent levels per member, per competency. Cooperating: 5, 6 and 4 differ by two levels.
SHEETS = {"chair": (4, 5), "assessor1": (4, 6), "assessor2": (3, 4)}
CONSENSUS = (4, 5)
SAVED = re.compile(r"^Draft saved at \d{2}:\d{2}:\d{2} CES?T$")


@contextmanager
def signed_in(browser, live_server, user, **options):
    """The user's own browser (a fresh context), logged in; fails on any CSP violation."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    csp_errors: list[str] = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    login(page, user.username)
    try:
        yield page
    finally:
        context.close()
    assert csp_errors == [], f"CSP violations for {user.username}: {csp_errors}"


def option(order: int) -> str:
    level = ScaleLevel.objects.get(scale__name="six-level", order=order)
    return f"{order} — {LEVEL_NAMES[order - 1]} ({level.min_pct:.0f}-{level.max_pct:.0f} %)"


def expected_final(orders) -> Decimal:
    """The default aggregation, recomputed here: the mean of the band midpoints (weights all 1)."""
    bands = {lv.order: (lv.min_pct, lv.max_pct) for lv in ScaleLevel.objects.filter(scale__name="six-level")}
    midpoints = [(Decimal(bands[o][0]) + Decimal(bands[o][1])) / 2 for o in orders]
    return (sum(midpoints) / len(midpoints)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def pdf_text(data: bytes, tmp_path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    out = subprocess.run([shutil.which("pdftotext") or "pdftotext", "-layout", str(path), "-"],
                         check=True, capture_output=True, text=True).stdout
    return " ".join(out.split())


def fill_sheet(page, url: str, who: str, orders, *, by_arrows: bool = False) -> None:
    """Type STAR notes and choose the levels by keyboard; the autosave must store all of it."""
    page.goto(url)
    page.get_by_role("heading", name="Score sheet — Lotte Peeters").wait_for()
    assert_accessible(page)
    for name, order in zip(COMPETENCIES, orders, strict=True):
        group = page.get_by_role("group", name=name, exact=True)
        for part in ("Situation", "Task", "Action", "Result"):
            group.get_by_label(part, exact=True).fill(f"{who} — {name} — {part.lower()} notes")
        if by_arrows:
            # Tab leaves the last STAR field for the level group; arrow keys move and choose.
            page.keyboard.press("Tab")
            expect(group.get_by_role("radio", name=option(1))).to_be_focused()
            for _step in range(order - 1):
                page.keyboard.press("ArrowDown")
        else:
            group.get_by_label("Situation", exact=True).focus()
            page.keyboard.press(f"Alt+{order}")  # sheet.js: Alt+digit sets the level of this competency
        expect(group.get_by_role("radio", name=option(order))).to_be_checked()
    # The last input: only a save sent after it carries this text, so that save holds everything.
    marker = f"{who} — motivated by public service"
    with page.expect_response(lambda r: r.url.endswith("/sheet/autosave/") and r.status == 200
                              and marker in (r.request.post_data or "")):
        page.get_by_label("Notes on part 1 (CV and motivation)").fill(marker)
    expect(page.locator("#autosave-status")).to_have_text(SAVED)

    # The draft is on the server: a fresh load shows every word and level.
    page.reload()
    expect(page.get_by_label("Notes on part 1 (CV and motivation)")).to_have_value(marker)
    for name, order in zip(COMPETENCIES, orders, strict=True):
        group = page.get_by_role("group", name=name, exact=True)
        expect(group.get_by_label("Action", exact=True)).to_have_value(f"{who} — {name} — action notes")
        expect(group.get_by_role("radio", name=option(order))).to_be_checked()
    expect(page.locator(".badge")).to_have_text("draft")


def submit_sheet(page) -> None:
    questions: list[str] = []

    def confirm(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", confirm)
    page.get_by_role("button", name="Submit and lock").click()
    page.get_by_text("Your score sheet is submitted and locked.").wait_for()
    assert questions == ["Submit and lock this sheet? You cannot change it afterwards."]
    expect(page.locator("p.muted .badge")).to_have_text("submitted")
    assert_accessible(page)


def assert_blind(page, urls: dict, others) -> None:
    """An assessor who has not submitted sees nothing of the others: no sheet, no level, no aggregate."""
    for name in ("consensus", "all_sheets", "results", "statistics"):
        response = page.goto(urls[name])
        assert response.status == 404, name
        assert_accessible(page)
    page.goto(urls["interviews"])
    row = page.get_by_role("row").filter(has_text="Lotte Peeters")
    cells = [c.strip() for c in row.get_by_role("cell").all_inner_texts()]
    assert cells[3:5] == ["draft", "—"]  # my sheet, result
    table = page.get_by_role("table").inner_text()
    assert not re.search(r"\b[1-6] — ", table)
    assert not any(level in table for level in LEVEL_NAMES)
    assert not any(str(user) in page.content() for user in others)
    assert_accessible(page)
    page.goto(urls["sheet"])
    expect(page.get_by_role("link", name="See every submitted sheet of this interview")).to_have_count(0)
    assert_accessible(page)


def test_jury_scores_independently_chair_signs_off_and_officer_publishes_the_reports(
        browser, live_server, tmp_path):
    procedure = with_profile(ProcedureFactory(title="Data analyst", reference="ASSESS1"))
    officer = member(procedure, Role.SELECTION_OFFICER, username="officer", first_name="An", last_name="Peeters")
    chair = UserFactory(username="chair", first_name="Marc", last_name="Verhoeven")
    a1 = UserFactory(username="assessor1", first_name="Sofie", last_name="Maes")
    a2 = UserFactory(username="assessor2", first_name="Karim", last_name="Benali")
    jury = jury_with_members(procedure, chair=chair, assessors=[a1, a2])
    candidate = CandidateFactory(procedure=procedure, first_name="Lotte", last_name="Peeters", language="nl")
    appointment = AppointmentFactory(procedure=procedure, jury=jury, candidate=candidate)
    base = f"/procedures/{procedure.pk}/assessment/"
    interview = f"{base}interviews/{appointment.pk}/"
    urls = {"interviews": base, "sheet": interview + "sheet/", "consensus": interview + "consensus/",
            "all_sheets": interview + "sheets/", "results": base + "results/", "statistics": base + "statistics/"}
    jury_users = {"chair": chair, "assessor1": a1, "assessor2": a2}

    with ExitStack() as stack:
        pages = {
            "chair": stack.enter_context(signed_in(browser, live_server, chair)),
            "assessor1": stack.enter_context(signed_in(browser, live_server, a1)),
            # The second assessor scores on a 320 px wide screen.
            "assessor2": stack.enter_context(signed_in(browser, live_server, a2,
                                                       viewport={"width": 320, "height": 640})),
        }
        # 1. Everyone writes a draft; nobody has submitted yet.
        for who, page in pages.items():
            fill_sheet(page, urls["sheet"], who, SHEETS[who], by_arrows=who == "assessor1")
        narrow = pages["assessor2"]
        narrow.goto(urls["sheet"])
        assert_fits_width(narrow)
        assert_accessible(narrow)

        # The guide is at hand for the jury.
        pages["assessor1"].goto(base + "guide/")
        pages["assessor1"].get_by_role("heading", name="Interview guide — ASSESS1").wait_for()
        assert_accessible(pages["assessor1"])

        # The chair submits first and still sees nothing of the assessors: the consensus waits.
        chair_page = pages["chair"]
        chair_page.goto(urls["sheet"])
        submit_sheet(chair_page)
        chair_page.goto(urls["consensus"])
        chair_page.get_by_text("The consensus opens when every jury member has submitted their sheet.").wait_for()
        assert str(a1) not in chair_page.content() and str(a2) not in chair_page.content()
        assert_accessible(chair_page)
        chair_page.goto(urls["all_sheets"])
        assert chair_page.get_by_role("heading", level=2).all_inner_texts() == [str(chair)]
        assert_accessible(chair_page)

        # Each assessor is blind to the others until their own sheet is in.
        for who, others in (("assessor1", [chair, a2]), ("assessor2", [chair, a1])):
            page = pages[who]
            assert_blind(page, urls, others)
            submit_sheet(page)
        expect(narrow.get_by_role("link", name="See every submitted sheet of this interview")).to_be_visible()

        # 2. The consensus: the three levels side by side, a two-level difference flagged.
        chair_page.goto(urls["consensus"])
        chair_page.get_by_role("heading", name="Consensus — Lotte Peeters").wait_for()
        assert_accessible(chair_page)
        for index, name in enumerate(COMPETENCIES):
            group = chair_page.get_by_role("group", name=name, exact=True)
            rows = [" ".join(r.split()) for r in group.locator("tbody tr").all_inner_texts()]
            expected_rows = {f"{jury_users[w]} {SHEETS[w][index]} — {LEVEL_NAMES[SHEETS[w][index] - 1]}"
                             for w in SHEETS}
            assert set(rows) == expected_rows
            spread = max(o[index] for o in SHEETS.values()) - min(o[index] for o in SHEETS.values())
            expect(group.get_by_text(re.compile(r"levels differ by"))).to_have_count(1 if spread >= 2 else 0)
        expect(chair_page.get_by_role("group", name="Cooperating", exact=True).locator(".badge.bad")).to_have_text(
            "levels differ by 2")
        for name, order in zip(COMPETENCIES, CONSENSUS, strict=True):
            group = chair_page.get_by_role("group", name=name, exact=True)
            group.get_by_label("Consensus level").select_option(label=option(order))
            group.get_by_label("Strengths").fill(f"{name}: concrete, well-structured examples")
            group.get_by_label("Points to develop").fill(f"{name}: weigh alternatives before deciding")
        chair_page.get_by_role("button", name="Save the consensus").click()
        chair_page.get_by_text("Consensus saved.").wait_for()
        assert_accessible(chair_page)
        # A last change, then straight to the sign-off: it saves what was typed with it.
        cooperating = chair_page.get_by_role("group", name="Cooperating", exact=True)
        cooperating.get_by_label("Points to develop").fill("Cooperating: share drafts earlier")
        chair_page.get_by_role("button", name="Sign off").click()
        # The confirmation says what signing off means and shows the outcome before anything locks.
        chair_page.get_by_role("heading", name="Sign off the result").wait_for()
        expect(chair_page.get_by_role("main")).to_contain_text("locked")
        assert_accessible(chair_page)
        chair_page.get_by_role("button", name="Sign off").click()
        chair_page.get_by_text("Result signed off and locked.").wait_for()
        expect(cooperating).to_contain_text("Points to develop: Cooperating: share drafts earlier")

        final = expected_final(CONSENSUS)
        assert final == Decimal("73.75")  # (63 + 84.5) / 2: level 4 is 50–76 %, level 5 is 77–92 %
        procedure.refresh_from_db()  # the pass mark as stored: 60.00
        passed = final >= procedure.pass_mark_pct
        header = chair_page.locator("main p.muted").first
        expect(header).to_contain_text(f"final score {final} % (pass mark {procedure.pass_mark_pct} %)")
        expect(header.locator("strong")).to_have_text("passed" if passed else "not passed")
        assert_accessible(chair_page)

    # 3. The selection officer publishes and downloads both reports.
    with signed_in(browser, live_server, officer) as page:
        page.goto(base + "results/")
        page.get_by_role("heading", name="Results — ASSESS1").wait_for()
        assert_accessible(page)
        ranked = page.get_by_role("row").filter(has_text="Lotte Peeters").first
        assert " ".join(ranked.inner_text().split()) == f"1 Lotte Peeters {final} %"
        page.get_by_role("link", name="Publish 1 signed-off result to the candidate").click()
        expect(page.get_by_role("main")).to_contain_text("Lotte Peeters")
        assert_accessible(page)
        page.get_by_role("button", name="Publish 1 result").click()
        page.get_by_text("1 result(s) published to the candidates.").wait_for()
        assert_accessible(page)
        signed = page.get_by_role("table").nth(1).get_by_role("row").filter(has_text="Lotte Peeters")
        assert signed.get_by_role("cell").all_inner_texts()[:3] == [f"{final} %", "yes", "published"]

        with page.expect_download() as download:
            signed.get_by_role("link", name="Feedback report").click()
        assert download.value.suggested_filename == f"feedback-{appointment.pk}.pdf"
        feedback = pdf_text(download.value.path().read_bytes(), tmp_path, "feedback.pdf")
        dutch_final = str(final).replace(".", ",")
        for phrase in ("Feedbackrapport", "Lotte Peeters", f"Uw eindscore is {dutch_final} %",
                       "Niveau: eerder goed", "Niveau: goed", "concrete, well-structured examples",
                       "share drafts earlier"):
            assert phrase in feedback, phrase
        for user in jury_users.values():
            for word in (user.first_name, user.last_name, user.username):
                assert word not in feedback, word
        assert "zeer goed" not in feedback  # a level only one assessor gave never reaches the candidate

        response = page.context.request.get(interview + "jury-report.pdf")
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        jury_report = pdf_text(response.body(), tmp_path, "jury.pdf")
        assert "Juryverslag" in jury_report and "Lotte Peeters" in jury_report
        for user in jury_users.values():
            assert str(user) in jury_report

        # 4. Statistics: each member's mean independent level.
        page.goto(base + "statistics/")
        page.get_by_role("heading", name="Statistics — ASSESS1").wait_for()
        means = {" ".join(r.split())
                 for r in page.get_by_role("table").nth(1).locator("tbody tr").all_inner_texts()}
        # Overall mean 26 / 6 = 4.33; half a level or more above it is lenient, below it harsh.
        assert means == {"Karim Benali 2 3.50 -0.83 harsh", "Marc Verhoeven 2 4.50 0.17 —",
                         "Sofie Maes 2 5.00 0.67 lenient"}
        assert_accessible(page)
        page.goto(base + "guide/")
        page.get_by_role("heading", name="Interview guide — ASSESS1").wait_for()
        assert_accessible(page)
