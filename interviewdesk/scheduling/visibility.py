"""Need-to-know: which candidates and sessions a staff member may see, and what of them.

`procedures.permissions` decides per procedure (does the user hold a role, may the role do X).
This module narrows it per jury and per session, because a candidate is reached through their
appointments, which live here:

- a selection officer (and an administrator) sees every candidate of the procedure, all of it;
- a jury chair or assessor sees the candidates that have an appointment with a jury they sit on,
  and of them only what scoring needs: the name, CV and motivation (the guide and the session's
  timeline are theirs through those appointments);
- a proctor sees the candidates of the sessions they proctor, and of the sessions of the
  procedure that have no proctor yet (someone has to welcome that candidate), with what running
  the day needs: name, phone, date of birth for the identity check, problem reports and identity
  notes of the session, and the adjustments approved for it (never the reason or the certificate);
  not the jury's conflict-of-interest declarations (other people's data the day does not need:
  the console only says whose are missing);
- special-category data (medical reasons, certificates) stay with the officer (`SENSITIVE`).

Another candidate of the same procedure answers 404, like another procedure's. docs/privacy.md
has the table of who sees what.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from interviewdesk.procedures.models import Candidate, JuryMember, Membership, Procedure, Role
from interviewdesk.procedures.permissions import roles_in

from .models import Appointment

# What of a candidate a role may read (the "needs"); a view names the one it shows.
NAME = "name"              # first and last name, language, the appointments' times
DOCUMENTS = "documents"    # CV and motivation
PHONE = "phone"
BIRTH_DATE = "birth_date"  # the identity check compares it with the document
DAY = "day"                # problem reports, identity-check notes, incidents of the session
ADJUSTMENTS = "adjustments"  # approved adjustments of a session (kinds and minutes, no reason)
CONTACT = "contact"        # e-mail address
RECORDS = "records"        # history, mail, room requests and their reasons, readiness export, links
SENSITIVE = "sensitive"    # medical reasons and certificates (each read is audited)
# The jury members' conflict-of-interest declarations on the candidate's sessions, and the decisions
# on them: the jury's and the officer's business, not the proctor's.
DECLARATIONS = "declarations"

EVERYTHING = frozenset({NAME, DOCUMENTS, PHONE, BIRTH_DATE, DAY, ADJUSTMENTS, CONTACT, RECORDS, SENSITIVE,
                        DECLARATIONS})
JURY_NEEDS = frozenset({NAME, DOCUMENTS, DECLARATIONS})
PROCTOR_NEEDS = frozenset({NAME, PHONE, BIRTH_DATE, DAY, ADJUSTMENTS})

JURY_ROLES = frozenset({Role.JURY_CHAIR, Role.ASSESSOR})


def _sits_on_jury(user) -> Exists:
    return Exists(JuryMember.objects.filter(jury_id=OuterRef("jury_id"), user=user))


def _proctors(user) -> Q:
    """Sessions the user proctors, and those of the same procedure without a proctor yet."""
    return Q(proctor=user) | Q(proctor__isnull=True)


def _officer_of(user):
    return Membership.objects.filter(user=user, role=Role.SELECTION_OFFICER).values("procedure_id")


def appointment_scope(user, need: str = NAME) -> Q:
    """The appointments (over every procedure) whose candidate the user may read `need` of, as a
    filter on Appointment."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    memberships = Membership.objects.filter(user=user)
    scope = Q(procedure_id__in=_officer_of(user))
    if need in JURY_NEEDS:
        jury_of = memberships.filter(role__in=JURY_ROLES).values("procedure_id")
        scope |= Q(procedure_id__in=jury_of) & Q(_sits_on_jury(user))
    if need in PROCTOR_NEEDS:
        proctor_of = memberships.filter(role=Role.PROCTOR).values("procedure_id")
        scope |= Q(procedure_id__in=proctor_of) & _proctors(user)
    return scope


def candidate_scope(user, need: str = NAME) -> Q:
    """The candidates (over every procedure) the user may read `need` of, as a filter on Candidate:
    every candidate of an officer's procedure (with or without appointments), the others through
    their appointments."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(procedure_id__in=_officer_of(user)) | Q(Exists(
        Appointment.objects.filter(appointment_scope(user, need), candidate_id=OuterRef("pk"))))


def _whole_procedure(user, procedure: Procedure | int) -> bool:
    return user.is_superuser or Role.SELECTION_OFFICER in roles_in(user, procedure)


def appointments_visible_to(user, procedure: Procedure) -> QuerySet[Appointment]:
    appointments = Appointment.objects.filter(procedure=procedure)
    if _whole_procedure(user, procedure):
        return appointments
    return appointments.filter(appointment_scope(user))


def candidate_filter(user, procedure: Procedure) -> Q:
    """Need-to-know over one procedure's candidates, as a condition on the candidate rows themselves:
    nothing for an officer, `candidate_scope` for the others. Lists filter with this rather than with
    `pk__in=candidates_visible_to(...)`: that self semi-join made PostgreSQL, without statistics on a
    freshly filled table, loop candidates × candidates (docs/setup.md, "Lists at 3,000 candidates")."""
    return Q() if _whole_procedure(user, procedure) else candidate_scope(user)


def candidates_visible_to(user, procedure: Procedure) -> QuerySet[Candidate]:
    """The procedure's candidates the user may see at all (one subquery, no duplicates)."""
    return Candidate.objects.filter(candidate_filter(user, procedure), procedure=procedure)


def _needs_over(user, procedure_id: int, appointments: QuerySet[Appointment]) -> frozenset[str]:
    """What the user may read of a candidate, given the candidate's (or one session's) appointments."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if _whole_procedure(user, procedure_id):
        return EVERYTHING
    roles = roles_in(user, procedure_id)
    needs: set[str] = set()
    if roles & JURY_ROLES and appointments.filter(_sits_on_jury(user)).exists():
        needs |= JURY_NEEDS
    if Role.PROCTOR in roles and appointments.filter(_proctors(user)).exists():
        needs |= PROCTOR_NEEDS
    return frozenset(needs)


def list_needs(user, procedure: Procedure) -> frozenset[str]:
    """What the user's roles may read of the candidates a list shows (the list itself holds only
    `candidates_visible_to` or `appointments_visible_to`)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if _whole_procedure(user, procedure):
        return EVERYTHING
    roles = roles_in(user, procedure)
    return (JURY_NEEDS if roles & JURY_ROLES else frozenset()) | (
        PROCTOR_NEEDS if Role.PROCTOR in roles else frozenset())


def candidate_needs(user, candidate: Candidate) -> frozenset[str]:
    return _needs_over(user, candidate.procedure_id, Appointment.objects.filter(candidate=candidate))


def appointment_needs(user, appointment: Appointment) -> frozenset[str]:
    """What the user may read of the candidate of this one session (a proctor of the candidate's
    interview does not read the jury's; a jury member does not read the proctor's)."""
    return _needs_over(user, appointment.procedure_id, Appointment.objects.filter(pk=appointment.pk))


def candidate_or_404(user, procedure: Procedure, pk: int, need: str = NAME) -> Candidate:
    """The procedure's candidate if the user may read `need` of them; 404 otherwise, like a
    candidate of another procedure. The needs are on `candidate.needs` for the template."""
    candidate = Candidate.objects.filter(pk=pk, procedure=procedure).first()
    if candidate is None:
        raise Http404
    needs = candidate_needs(user, candidate)
    if need not in needs:
        raise Http404
    candidate.needs = needs
    return candidate


def require_appointment(user, appointment: Appointment, need: str = NAME) -> frozenset[str]:
    """404 unless the user may read `need` of this session's candidate; returns all they may read."""
    needs = appointment_needs(user, appointment)
    if need not in needs:
        raise Http404
    return needs


def sees(needs: frozenset[str]) -> dict[str, bool]:
    """The needs as a dict for templates: {% if sees.phone %}."""
    return {need: need in needs for need in EVERYTHING}
