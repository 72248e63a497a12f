import datetime as dt

import pytest
from django.utils import timezone

from interviewdesk.portal.models import AccessToken, Readiness
from interviewdesk.portal.tokenlookup import session_token
from tests.factories import AppointmentFactory, CandidateFactory

pytestmark = pytest.mark.django_db


def _token(candidate):
    return AccessToken.objects.create(candidate=candidate, token_hash="h" * 63 + str(candidate.pk)[-1])


def test_the_prepared_lookup_loads_what_the_orm_would(django_assert_num_queries):
    candidate = CandidateFactory(language="fr")
    readiness = Readiness.objects.create(candidate=candidate, equipment={"webcam": False}, version=7,
                                         rules_acknowledged_at=timezone.now())
    appointment = AppointmentFactory(candidate=candidate, procedure=candidate.procedure)
    token = _token(candidate)
    with django_assert_num_queries(1):
        found = session_token(token.pk, candidate.pk)
        assert found.candidate.procedure.reference == candidate.procedure.reference
        assert found.candidate.readiness.equipment == {"webcam": False}
    assert (found.pk, found.created_at, found.candidate.language) == (token.pk, token.created_at, "fr")
    assert found.candidate.readiness.rules_acknowledged_at == readiness.rules_acknowledged_at
    assert found.candidate.readiness.version == 7
    changed = found.appointments_changed
    assert str(changed)[:19].replace("T", " ") == str(appointment.updated_at.astimezone(dt.UTC))[:19]


def test_a_candidate_without_readiness_row_or_appointments(django_assert_num_queries):
    candidate = CandidateFactory()
    token = _token(candidate)
    with django_assert_num_queries(1):
        found = session_token(token.pk, candidate.pk)
        assert getattr(found.candidate, "readiness", None) is None
    assert found.appointments_changed is None


def test_revoked_or_mismatched_tokens_are_not_found():
    candidate = CandidateFactory()
    token = _token(candidate)
    assert session_token(token.pk, candidate.pk + 1000) is None
    AccessToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert session_token(token.pk, candidate.pk) is None
