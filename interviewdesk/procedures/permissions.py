"""Who may see and do what. The one place views ask.

Rights are per procedure (Membership). Administrators (superusers) see everything.
An object of a procedure the user has no role in answers 404, never 403, so its
existence is not revealed.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import Membership, Procedure, Role

# What each capability needs. Views name a capability, not a list of roles.
CAPABILITIES: dict[str, frozenset[str]] = {
    "procedure.view": frozenset(Role.values),
    "procedure.manage": frozenset({Role.SELECTION_OFFICER}),
    "candidate.view": frozenset({Role.SELECTION_OFFICER, Role.PROCTOR, Role.JURY_CHAIR, Role.ASSESSOR}),
    "candidate.manage": frozenset({Role.SELECTION_OFFICER}),
    "candidate.sensitive": frozenset({Role.SELECTION_OFFICER}),  # adjustments, certificates
    "appointment.manage": frozenset({Role.SELECTION_OFFICER}),
    "session.run": frozenset({Role.PROCTOR, Role.JURY_CHAIR, Role.SELECTION_OFFICER}),
    "session.jury": frozenset({Role.JURY_CHAIR, Role.ASSESSOR}),
    "session.view": frozenset({Role.PROCTOR, Role.JURY_CHAIR, Role.ASSESSOR, Role.SELECTION_OFFICER}),
    "assessment.view": frozenset({Role.SELECTION_OFFICER, Role.JURY_CHAIR, Role.ASSESSOR}),
    "assessment.score": frozenset({Role.JURY_CHAIR, Role.ASSESSOR}),
    "assessment.consensus": frozenset({Role.JURY_CHAIR}),
    "assessment.manage": frozenset({Role.SELECTION_OFFICER}),  # guide, corrections, results, statistics
    "mail.view": frozenset({Role.SELECTION_OFFICER}),
    "planning.manage": frozenset({Role.SELECTION_OFFICER}),  # proposals for the whole selection
    # Jury members and proctors enter their own availability; officers see and edit everyone's.
    "availability.enter": frozenset({Role.JURY_CHAIR, Role.ASSESSOR, Role.PROCTOR, Role.SELECTION_OFFICER}),
}


# Who may set up procedures and rooms at all: a Django permission, given by this group
# (docs/setup.md). Migration 0004_officer_group creates it; officer_group() recreates it where
# a test database was flushed.
OFFICER_GROUP = "Selection officers"
OFFICER_PERMISSIONS = ("add_procedure", "add_room", "change_room")


def officer_group():
    from django.contrib.auth.models import Group, Permission

    group, created = Group.objects.get_or_create(name=OFFICER_GROUP)
    if created:
        group.permissions.add(*Permission.objects.filter(content_type__app_label="procedures",
                                                         codename__in=OFFICER_PERMISSIONS))
    return group


def roles_in(user, procedure: Procedure | int) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    procedure_id = procedure if isinstance(procedure, int) else procedure.pk
    cache = getattr(user, "_roles_cache", None)
    if cache is None:
        cache = {}
        for proc_id, role in Membership.objects.filter(user=user).values_list("procedure_id", "role"):
            cache.setdefault(proc_id, set()).add(role)
        user._roles_cache = cache
    return cache.get(procedure_id, set())


def can(user, capability: str, procedure: Procedure | int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return bool(roles_in(user, procedure) & CAPABILITIES[capability])


def visible_procedures(user, capability: str = "procedure.view") -> QuerySet[Procedure]:
    if not getattr(user, "is_authenticated", False):
        return Procedure.objects.none()
    if user.is_superuser:
        return Procedure.objects.all()
    return Procedure.objects.filter(
        memberships__user=user, memberships__role__in=CAPABILITIES[capability]
    ).distinct()


def procedure_or_404(user, pk: int, *capabilities: str) -> Procedure:
    """The procedure if the user holds one of the capabilities in it (default: "procedure.view");
    404 otherwise, also when it does not exist, so a stranger cannot tell the two apart."""
    procedure = Procedure.objects.filter(pk=pk).select_related("scale").first()
    if procedure is None or not any(can(user, capability, procedure) for capability in capabilities or ["procedure.view"]):
        raise Http404
    return procedure


def require(user, capability: str, procedure: Procedure) -> None:
    if not can(user, capability, procedure):
        raise Http404
