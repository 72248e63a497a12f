"""core.batching: new rows collected in a block and written with one INSERT per model."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_save, pre_save

from interviewdesk.core.audit import audit_record
from interviewdesk.core.batching import deferred_inserts, deferring, insert, refuse_unless_deferrable
from interviewdesk.core.models import AuditEntry, ClosureDay
from interviewdesk.messaging.models import Invitation, Message
from interviewdesk.portal.models import AccessToken
from interviewdesk.scheduling.models import Appointment
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


def test_changed_rows_are_written_with_one_update_per_set_of_values(django_assert_num_queries):
    from interviewdesk.core.batching import update
    from interviewdesk.scheduling.models import Appointment
    from tests.factories import AppointmentFactory

    appointments = AppointmentFactory.create_batch(3)
    before = {a.pk: a.updated_at for a in appointments}
    # "invited" ×2 in one UPDATE, "cancelled" in another, and the check that nothing is written before.
    with transaction.atomic(), django_assert_num_queries(3), deferred_inserts():
        for appointment, status in zip(appointments, ["invited", "invited", "cancelled"], strict=True):
            appointment.status = status
            update(appointment, ["status", "updated_at"])
        assert set(Appointment.objects.values_list("status", flat=True)) == {"planned"}
    stored = {a.pk: (a.status, a.updated_at) for a in Appointment.objects.all()}
    assert [stored[a.pk][0] for a in appointments] == ["invited", "invited", "cancelled"]
    assert all(stored[a.pk][1] > before[a.pk] for a in appointments)  # auto_now still moves
    assert all(a.updated_at == stored[a.pk][1] for a in appointments)  # and the instances know it


def test_outside_a_block_update_saves_at_once():
    from interviewdesk.core.batching import update
    from interviewdesk.scheduling.models import Appointment
    from tests.factories import AppointmentFactory

    appointment = AppointmentFactory()
    appointment.status = "invited"
    update(appointment, ["status"])
    assert Appointment.objects.get(pk=appointment.pk).status == "invited"


# --- the contract: bulk writes skip save() and signals, so they refuse models that have them ------

@pytest.mark.parametrize("model", [AccessToken, Invitation, Message, AuditEntry, Appointment],
                         ids=lambda model: model.__name__)
def test_the_models_written_in_bulk_have_no_save_of_their_own_and_no_save_receivers(model):
    refuse_unless_deferrable(model)  # raises TypeError otherwise
    assert model.save is Model.save
    assert not pre_save.has_listeners(model) and not post_save.has_listeners(model)


def test_a_post_save_receiver_on_message_makes_a_bulk_send_refuse_instead_of_skipping_it():
    def receiver(sender, **kwargs):
        pass

    post_save.connect(receiver, sender=Message)
    try:
        with pytest.raises(TypeError, match="receivers"):
            refuse_unless_deferrable(Message)
        candidate = CandidateFactory()
        with pytest.raises(TypeError), transaction.atomic(), deferred_inserts():
            insert(AccessToken(candidate=candidate, token_hash="c" * 64))
            insert(Message(kind="personal_link", recipient_email="a@example.org", language="nl", subject="s", body_text="t",
                           dedupe_key="contract-test"))
        assert not AccessToken.objects.exists()
    finally:
        post_save.disconnect(receiver, sender=Message)


def test_a_save_of_its_own_is_refused_too(monkeypatch):
    def save(self, *args, **kwargs):  # e.g. one that fills in a field before writing
        Model.save(self, *args, **kwargs)

    monkeypatch.setattr(ClosureDay, "save", save)
    with pytest.raises(TypeError, match="save"):
        refuse_unless_deferrable(ClosureDay)
