import pytest
from django.core.exceptions import ValidationError

from interviewdesk.core.models import AuditEntry
from interviewdesk.procedures.models import Candidate, Procedure, Role
from interviewdesk.procedures.services import (
    candidate_create,
    candidate_update,
    candidates_import,
    procedure_set_status,
)
from tests.factories import CandidateFactory, ProcedureFactory, member

pytestmark = pytest.mark.django_db

DETAILS = {"first_name": "Lotte", "last_name": "Janssens", "email": "Lotte.Janssens@Example.NET",
           "phone": "0470 12 34 56", "language": "nl"}


@pytest.fixture
def procedure():
    return ProcedureFactory(status=Procedure.Status.DRAFT)


@pytest.fixture
def officer(procedure):
    return member(procedure, Role.SELECTION_OFFICER)


def test_a_draft_procedure_opens_then_closes_and_each_step_is_audited(procedure, officer):
    procedure_set_status(actor=officer, procedure=procedure, to="open", reason="ready")
    closed = procedure_set_status(actor=officer, procedure=procedure, to="closed")
    assert closed.status == "closed"
    entries = AuditEntry.objects.filter(action="procedure.status").order_by("id")
    assert [(e.from_state, e.to_state, e.actor) for e in entries] == [("draft", "open", officer),
                                                                       ("open", "closed", officer)]
    assert entries[0].reason == "ready"


def test_a_closed_procedure_reopens_only_with_a_reason(procedure, officer):
    procedure_set_status(actor=officer, procedure=procedure, to="open")
    procedure_set_status(actor=officer, procedure=procedure, to="closed")
    with pytest.raises(ValidationError) as info:
        procedure_set_status(actor=officer, procedure=procedure, to="open")
    assert info.value.messages == ["Give the reason for reopening the procedure."]
    assert procedure_set_status(actor=officer, procedure=procedure, to="open", reason="Closed too early").status \
        == "open"


def test_a_draft_procedure_cannot_be_closed_directly(procedure, officer):
    with pytest.raises(ValidationError):
        procedure_set_status(actor=officer, procedure=procedure, to="closed")
    procedure.refresh_from_db()
    assert procedure.status == "draft"
    assert not AuditEntry.objects.exists()


def test_create_stores_the_phone_in_e164_and_the_domain_in_lower_case(procedure, officer):
    candidate = candidate_create(actor=officer, procedure=procedure, **DETAILS)
    assert (candidate.phone, candidate.email) == ("+32470123456", "Lotte.Janssens@example.net")
    entry = AuditEntry.objects.get(action="candidate.created")
    assert (entry.object_id, entry.procedure_id, entry.actor) == (str(candidate.pk), procedure.pk, officer)


def test_create_refuses_an_e_mail_already_in_the_procedure_whatever_its_case(procedure, officer):
    CandidateFactory(procedure=procedure, email="lotte.janssens@example.net")
    with pytest.raises(ValidationError) as info:
        candidate_create(actor=officer, procedure=procedure, **DETAILS)
    assert info.value.message_dict == {"email": ["Another candidate in this procedure already has this e-mail address."]}
    assert Candidate.objects.count() == 1


def test_the_same_e_mail_is_allowed_in_another_procedure(procedure, officer):
    CandidateFactory(email="Lotte.Janssens@example.net")
    assert candidate_create(actor=officer, procedure=procedure, **DETAILS).pk


def test_create_refuses_a_phone_that_is_not_a_number(procedure, officer):
    with pytest.raises(ValidationError) as info:
        candidate_create(actor=officer, procedure=procedure, **{**DETAILS, "phone": "12"})
    assert info.value.message_dict == {"phone": ["“12” is not a valid phone number."]}


def test_update_audits_each_changed_field_from_and_to(procedure, officer):
    candidate = CandidateFactory(procedure=procedure, phone="+32470123456", language="nl")
    candidate_update(actor=officer, candidate=candidate, phone="+32 2 555 12 34", language="fr",
                     first_name=candidate.first_name)
    entry = AuditEntry.objects.get(action="candidate.updated")
    assert entry.changes == {"phone": ["+32470123456", "+3225551234"], "language": ["nl", "fr"]}
    candidate.refresh_from_db()
    assert (candidate.phone, candidate.language) == ("+3225551234", "fr")


def test_update_without_changes_writes_no_audit_entry(procedure, officer):
    candidate = CandidateFactory(procedure=procedure)
    candidate_update(actor=officer, candidate=candidate, first_name=candidate.first_name, phone=candidate.phone)
    assert not AuditEntry.objects.exists()


def test_update_refuses_the_e_mail_of_another_candidate(procedure, officer):
    CandidateFactory(procedure=procedure, email="taken@example.net")
    candidate = CandidateFactory(procedure=procedure, email="mine@example.net")
    with pytest.raises(ValidationError):
        candidate_update(actor=officer, candidate=candidate, email="TAKEN@example.net")
    candidate.refresh_from_db()
    assert candidate.email == "mine@example.net"


def test_import_creates_all_rows_with_one_audit_entry(procedure, officer):
    rows = [{**DETAILS, "email": f"c{i}@example.net", "phone": "+32470123456", "date_of_birth": None,
             "cv_text": "", "motivation": ""} for i in range(3)]
    assert candidates_import(actor=officer, procedure=procedure, rows=rows) == 3
    assert Candidate.objects.filter(procedure=procedure).count() == 3
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.changes) == ("candidates.imported", {"candidates": [None, 3]})


def test_import_creates_nothing_when_one_e_mail_was_added_meanwhile(procedure, officer):
    CandidateFactory(procedure=procedure, email="c2@example.net")
    rows = [{**DETAILS, "email": f"c{i}@example.net", "phone": "+32470123456", "date_of_birth": None,
             "cv_text": "", "motivation": ""} for i in range(4)]
    with pytest.raises(ValidationError):
        candidates_import(actor=officer, procedure=procedure, rows=rows)
    assert Candidate.objects.filter(procedure=procedure).count() == 1
    assert not AuditEntry.objects.exists()
