"""Every page a staff member (per demo role) or the demo candidate can reach by following links opens.

The demo data is loaded and its invitations are sent and delivered (to .eml files), as
`make demo` does; then, per role, every internal link of every page reached is followed (GET
only), at most a few pages per URL shape so that the crawl stays short. A link the product
shows a user must not answer with an error: this is the net that catches a page which fails
only with real data in it (a candidate page once failed with a 500 as soon as an invitation
had been sent, and no narrower test had visited it in that state).
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from html.parser import HTMLParser

import pytest

from interviewdesk.core.models import User
from interviewdesk.demo.data import ROLE_LOGINS

pytestmark = pytest.mark.django_db

PER_SHAPE = 2  # pages per URL shape (the same view with other ids)
SKIP = re.compile(r"^/(logout|static|media|admin)/|\.pdf$")  # logging out; files; PDFs are tested on their own


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/") and not href.startswith("//"):
                self.hrefs.append(href.split("#")[0])


def shape(url: str) -> str:
    return re.sub(r"\d+", "N", url.split("?")[0])


def crawl(client, start: str, language: str = "nl") -> tuple[set[str], list[tuple[str, int]]]:
    """(the URLs reached, the ones that answered with an error)."""
    queue, seen, per_shape, failures = deque([start]), {start}, defaultdict(int), []
    while queue:
        url = queue.popleft()
        response = client.get(url, headers={"accept-language": language})
        if response.status_code not in (200, 204, 302):
            failures.append((url, response.status_code))
            continue
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        parser = Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            if href in seen or SKIP.search(href) or per_shape[shape(href)] >= PER_SHAPE:
                continue
            seen.add(href)
            per_shape[shape(href)] += 1
            queue.append(href)
    return seen, failures


@pytest.mark.parametrize("role, username", ROLE_LOGINS)
def test_every_page_a_role_can_reach_by_links_opens(client, demo_sent, role, username):
    client.force_login(User.objects.get(username=username))
    seen, failures = crawl(client, "/")
    assert failures == [], failures
    assert len(seen) > 5, seen  # the crawl really went somewhere


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_every_page_the_demo_candidate_can_reach_by_links_opens(client, demo_sent, language):
    from interviewdesk.demo.loading import demo_candidate
    from tests.portal.conftest import log_in

    candidate = demo_candidate()
    candidate.language = language  # the portal speaks the candidate's language
    candidate.save(update_fields=["language"])
    log_in(client, candidate)
    seen, failures = crawl(client, "/portal/", language)
    assert failures == [], failures
    assert len(seen) > 3, seen
