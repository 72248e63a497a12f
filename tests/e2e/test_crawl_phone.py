"""Every page reachable by links, on a 320 px phone in a real browser: it fits the width and axe-core
finds no serious or critical violation. One page per URL shape, with the demo data and its
invitations sent, for the selection officer, the proctor, the jury chair and the candidate."""

from __future__ import annotations

from collections import deque

import pytest

from tests.browser import axe_violations, login
from tests.demo.test_crawl_demo import SKIP, shape

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "demo-interviewdesk"  # demo.loading: every demo staff user has it


def phone_crawl(page, start: str) -> tuple[list[str], list[str]]:
    """(the pages checked, what was wrong with them)."""
    queue, seen, shapes, checked, problems = deque([start]), {start}, {shape(start)}, [], []
    while queue:
        url = queue.popleft()
        response = page.goto(url)
        if response is None or not (response.headers.get("content-type") or "").startswith("text/html"):
            continue
        checked.append(url)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            problems.append(f"{url}: {overflow}px wider than the phone")
        problems.extend(f"{url}: {v['id']} {v['nodes']}" for v in axe_violations(page))
        hrefs = page.eval_on_selector_all("a[href^='/']", "links => links.map(a => a.getAttribute('href'))")
        for href in hrefs:
            href = href.split("#")[0]
            if href in seen or SKIP.search(href) or shape(href) in shapes or href.endswith((".ics", ".xlsx", ".json")):
                continue
            seen.add(href)
            shapes.add(shape(href))
            queue.append(href)
    return checked, problems


@pytest.mark.parametrize("username", ["officer", "proctor1", "chair1"])
def test_every_staff_page_works_on_a_phone(phone_page, demo_sent, username):
    login(phone_page, username, DEMO_PASSWORD)  # password, then the demo authenticator's code
    checked, problems = phone_crawl(phone_page, "/")
    assert problems == [], problems
    assert len(checked) > 5, checked


def test_every_portal_page_works_on_a_phone(phone_page, demo_sent):
    from interviewdesk.demo.loading import demo_candidate
    from interviewdesk.portal.services.access import access_link_issue

    link = access_link_issue(candidate=demo_candidate())
    phone_page.goto("/" + link.split("/", 3)[3])  # the path of the personal link, on the test server
    phone_page.locator("form button[type=submit]").first.click()
    phone_page.wait_for_url("**/portal/")
    checked, problems = phone_crawl(phone_page, "/portal/")
    assert problems == [], problems
    assert len(checked) > 3, checked
