import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from interviewdesk.assessment.models import Result
from interviewdesk.live.models import LiveSession
from interviewdesk.portal.models import AccessToken, Readiness
from interviewdesk.portal.tokenlookup import session_token
from interviewdesk.procedures.models import Procedure
from interviewdesk.scheduling.models import Appointment
from tests.factories import AppointmentFactory, CandidateFactory

pytestmark = pytest.mark.django_db


def _token(candidate, **fields):
    return AccessToken.objects.create(**{"candidate": candidate, "token_hash": "h" * 63 + str(candidate.pk)[-1], **fields})


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


# --- the contract: the hand-written SQL answers exactly what the ORM would ----------------------

def _orm_lookup(token_id: int, candidate_id: int):
    """The same lookup through the ORM: what tokenlookup.session_token must equal."""
    token = (AccessToken.objects.select_related("candidate__procedure", "candidate__readiness")
             .filter(pk=token_id, candidate_id=candidate_id, revoked_at__isnull=True).first())
    if token is None:
        return None
    of_candidate = {"appointment__candidate_id": candidate_id}
    changes = (
        Appointment.objects.filter(candidate_id=candidate_id).aggregate(m=Max("updated_at"))["m"],
        Result.objects.filter(status=Result.Status.PUBLISHED, **of_candidate).aggregate(m=Max("published_at"))["m"],
        LiveSession.objects.filter(**of_candidate).aggregate(m=Max("updated_at"))["m"],
    )
    return token, changes


def _fields(obj) -> dict:
    return None if obj is None else {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _instant(raw):
    """The raw MAX() value as an instant (text on SQLite, an aware datetime on PostgreSQL)."""
    if raw is None or isinstance(raw, dt.datetime):
        return raw
    value = parse_datetime(str(raw))
    return value if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)


def _world():
    """Tokens in every state the portal meets, for one candidate with everything and one with nothing."""
    full = CandidateFactory(language="de", phone="+32470123456")
    Readiness.objects.create(candidate=full, equipment={"webcam": True, "headset": False}, version=3,
                             phone_confirmed_at=timezone.now(), rules_acknowledged_at=timezone.now(),
                             rules_version=2, rules_digest="d" * 16, rules_language="de")
    first = AppointmentFactory(candidate=full, procedure=full.procedure)
    AppointmentFactory(candidate=full, procedure=full.procedure, starts_at=first.starts_at + dt.timedelta(days=1),
                       ends_at=first.ends_at + dt.timedelta(days=1))
    Result.objects.create(appointment=first, status=Result.Status.PUBLISHED, published_at=timezone.now(),
                          final_pct=Decimal("71.25"), passed=True)
    LiveSession.objects.create(appointment=first, planned_start=first.starts_at)
    bare = CandidateFactory()
    closed = CandidateFactory()
    Procedure.objects.filter(pk=closed.procedure_id).update(status=Procedure.Status.CLOSED)
    later = timezone.now() + dt.timedelta(days=30)
    return {
        "valid, with everything": (_token(full, expires_at=later), full),
        "valid, nothing yet": (_token(bare), bare),
        "revoked": (_token(full, revoked_at=timezone.now(), token_hash="r" * 64), full),
        "expired": (_token(bare, expires_at=timezone.now() - dt.timedelta(minutes=1), token_hash="e" * 64), bare),
        "closed procedure": (_token(closed), closed),
        "another candidate's": (AccessToken.objects.get(token_hash="r" * 64), bare),
    }


@pytest.mark.parametrize("case", ["valid, with everything", "valid, nothing yet", "revoked", "expired",
                                  "closed procedure", "another candidate's"])
def test_the_hand_written_lookup_equals_the_orms_for_every_kind_of_token(case):
    token, candidate = _world()[case]
    found, expected = session_token(token.pk, candidate.pk), _orm_lookup(token.pk, candidate.pk)
    if expected is None:
        assert found is None
        return
    orm, changes = expected
    assert found is not None
    for mine, theirs in [(found, orm), (found.candidate, orm.candidate),
                         (found.candidate.procedure, orm.candidate.procedure),
                         (getattr(found.candidate, "readiness", None), getattr(orm.candidate, "readiness", None))]:
        assert _fields(mine) == _fields(theirs)
    found_changes = (found.appointments_changed, found.result_published, found.live_changed)
    assert tuple(_instant(v) for v in found_changes) == changes
