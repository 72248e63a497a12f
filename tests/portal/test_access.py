import pytest

from interviewdesk.portal.models import AccessToken
from interviewdesk.portal.services.access import access_link_issue, access_link_revoke, access_token_find
from interviewdesk.procedures.models import Procedure
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


def test_issued_link_carries_a_long_token_that_is_stored_only_hashed():
    candidate = CandidateFactory()
    raw = token_of(access_link_issue(candidate=candidate))
    assert len(raw) >= 43
    stored = AccessToken.objects.get(candidate=candidate)
    assert raw not in stored.token_hash and len(stored.token_hash) == 64
    assert access_token_find(raw) == (stored, "ok")


def test_issuing_a_new_link_revokes_the_old_one():
    candidate = CandidateFactory()
    old = token_of(access_link_issue(candidate=candidate))
    new = token_of(access_link_issue(candidate=candidate))
    assert access_token_find(old)[1] == "revoked"
    assert access_token_find(new)[1] == "ok"


def test_revoked_unknown_and_closed_procedure_links_are_refused():
    candidate = CandidateFactory()
    raw = token_of(access_link_issue(candidate=candidate))
    assert access_token_find("not-a-token") == (None, "unknown")
    Procedure.objects.filter(pk=candidate.procedure_id).update(status=Procedure.Status.CLOSED)
    assert access_token_find(raw)[1] == "closed"
    access_link_revoke(candidate=candidate)
    assert access_token_find(raw)[1] == "revoked"
