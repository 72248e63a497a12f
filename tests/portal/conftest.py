import pytest
from django.core.cache import caches

from interviewdesk.portal.services.access import access_link_issue


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


def log_in(client, candidate) -> str:
    """Open the personal link and press the button, as the candidate does. Returns the raw token."""
    raw = token_of(access_link_issue(candidate=candidate))
    response = client.post(f"/p/{raw}/")
    assert response.status_code == 302 and response["Location"] == "/portal/"
    return raw


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    """A fresh rate limit (the shared cache) and fresh rendered pages (the per-process one)."""
    for alias in ("default", "local"):
        caches[alias].clear()
    yield
    for alias in ("default", "local"):
        caches[alias].clear()
