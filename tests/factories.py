"""Test data built with factory_boy on top of the real models."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from interviewdesk.core.models import User
from interviewdesk.procedures.models import (
    Candidate,
    Competency,
    CompetencyDictionary,
    Jury,
    JuryMember,
    Membership,
    Procedure,
    ProfileCompetency,
    Role,
    Room,
)
from interviewdesk.procedures.scales import ensure_default_scale
from interviewdesk.scheduling.models import Appointment


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery")


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure

    reference = factory.Sequence(lambda n: f"PRC{n:05d}")
    title = "Data analyst"
    language = "nl"
    contact_name = "An Peeters"
    contact_email = "selectie@example.org"
    contact_phone = "+3225550101"
    status = Procedure.Status.OPEN
    scale = factory.LazyFunction(ensure_default_scale)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    procedure = factory.SubFactory(ProcedureFactory)
    first_name = factory.Sequence(lambda n: f"Lotte{n}")
    last_name = "Janssens"
    email = factory.Sequence(lambda n: f"candidate{n}@example.net")
    phone = "+32470123456"
    language = "nl"
    date_of_birth = dt.date(1990, 5, 17)


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    name = factory.Sequence(lambda n: f"Room {n}")
    site = "Brussels"
    address = "Rue de la Loi 51, 1040 Brussels"


class JuryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jury

    procedure = factory.SubFactory(ProcedureFactory)
    name = factory.Sequence(lambda n: f"Jury {n}")
    languages = ["nl"]


def jury_with_members(procedure: Procedure, chair: User | None = None, assessors: list[User] | None = None) -> Jury:
    """A jury of a chair and two assessors, each with their procedure role."""
    jury = JuryFactory(procedure=procedure)
    chair = chair or UserFactory()
    assessors = assessors if assessors is not None else [UserFactory(), UserFactory()]
    JuryMember.objects.create(jury=jury, user=chair, role=JuryMember.Role.CHAIR)
    Membership.objects.get_or_create(procedure=procedure, user=chair, role=Role.JURY_CHAIR)
    for user in assessors:
        JuryMember.objects.create(jury=jury, user=user, role=JuryMember.Role.ASSESSOR)
        Membership.objects.get_or_create(procedure=procedure, user=user, role=Role.ASSESSOR)
    return jury


def member(procedure: Procedure, role: str, **kwargs) -> User:
    user = UserFactory(**kwargs)
    Membership.objects.create(procedure=procedure, user=user, role=role)
    return user


def competency(code: str = "analysing", dictionary: CompetencyDictionary | None = None) -> Competency:
    dictionary = dictionary or CompetencyDictionary.objects.get_or_create(name="Test", version="1")[0]
    return Competency.objects.get_or_create(
        dictionary=dictionary, code=code, defaults={"name": {"en": code.title(), "nl": code, "fr": code, "de": code}}
    )[0]


def with_profile(procedure: Procedure, codes=("analysing", "cooperating")) -> Procedure:
    for order, code in enumerate(codes):
        ProfileCompetency.objects.create(procedure=procedure, competency=competency(code), order=order)
    return procedure


def tomorrow_at(hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    procedure = factory.SubFactory(ProcedureFactory)
    candidate = factory.SubFactory(CandidateFactory, procedure=factory.SelfAttribute("..procedure"))
    kind = Appointment.Kind.INTERVIEW
    starts_at = factory.LazyFunction(lambda: tomorrow_at(10))
    ends_at = factory.LazyAttribute(lambda a: a.starts_at + dt.timedelta(hours=1))
    platform = Appointment.Platform.TEAMS
    join_url = "https://teams.example.org/l/meetup-join/abc"



def staffed_procedure(**procedure_fields):
    """A procedure with a selection officer, a proctor, a jury (chair + two assessors), and an
    outsider: the selection officer of another procedure."""
    from types import SimpleNamespace

    procedure = ProcedureFactory(**procedure_fields)
    jury = jury_with_members(procedure)
    assessor = jury.members.filter(role=JuryMember.Role.ASSESSOR).order_by("id").first().user
    return SimpleNamespace(
        procedure=procedure, jury=jury, chair=jury.chair, assessor=assessor,
        officer=member(procedure, Role.SELECTION_OFFICER), proctor=member(procedure, Role.PROCTOR),
        outsider=member(ProcedureFactory(), Role.SELECTION_OFFICER),
    )
