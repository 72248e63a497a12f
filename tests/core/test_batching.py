"""core.batching: new rows collected in a block and written with one INSERT per model."""

from __future__ import annotations

import pytest
from django.db import transaction

from interviewdesk.core.audit import audit_record
from interviewdesk.core.batching import deferred_inserts, deferring, insert
from interviewdesk.core.models import AuditEntry, ClosureDay
from interviewdesk.portal.models import AccessToken
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def test_rows_are_written_when_the_block_ends_one_insert_per_model(django_assert_num_queries):
    candidates = CandidateFactory.create_batch(3)
    with transaction.atomic():
        # One INSERT for the tokens, one for their audit entries, and the check that nothing is written before.
        with django_assert_num_queries(3), deferred_inserts() as written:
            assert deferring()
            for i, candidate in enumerate(candidates):
                token = insert(AccessToken(candidate=candidate, token_hash=f"{i:064d}"))
                assert token.pk is None  # not written yet
                audit_record(action="access_link.issued", obj=token, procedure_id=candidate.procedure_id)
            assert not AccessToken.objects.exists()
        assert not deferring()
    tokens = written.of(AccessToken)
    assert all(t.pk for t in tokens)
    # Each audit entry names the row it describes, although that row had no id when it was recorded.
    described = list(AuditEntry.objects.filter(action="access_link.issued").order_by("id")
                     .values_list("object_id", flat=True))
    assert described == [str(t.pk) for t in tokens]


def test_an_error_in_the_block_writes_nothing():
    candidate = CandidateFactory()
    with pytest.raises(ZeroDivisionError), transaction.atomic(), deferred_inserts():
        insert(AccessToken(candidate=candidate, token_hash="a" * 64))
        audit_record(action="x", obj=candidate)
        1 / 0  # noqa: B018
    assert not AccessToken.objects.exists()
    assert not AuditEntry.objects.filter(action="x").exists()
    assert not deferring()


def test_outside_a_block_insert_saves_at_once_and_blocks_do_not_nest():
    day = insert(ClosureDay(date="2031-07-22"))
    assert day.pk and ClosureDay.objects.filter(pk=day.pk).exists()
    with pytest.raises(RuntimeError), deferred_inserts(), deferred_inserts():
        pass
