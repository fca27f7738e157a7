"""Factories for the organisation. `PersonFactory(member_of=unit, role=Role.MANAGER)`."""

from __future__ import annotations

from typing import Any

import factory

from tillit.organisation.actions import grant_role
from tillit.organisation.models import Municipality, Person, Role, Unit, UnitKind


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("name",)

    name = "Testköpings kommun"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = UnitKind.ADMINISTRATION
    name = factory.Sequence(lambda n: f"Förvaltning {n}")
    code = factory.Sequence(lambda n: f"U{n}")

    class Params:
        contact_centre = factory.Trait(kind=UnitKind.CONTACT_CENTRE, name="Kundcenter")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Iterator(["Anna", "Erik", "Fatima", "Johan", "Linnéa", "Ahmed"])
    last_name = factory.Iterator(["Lindqvist", "Johansson", "Ali", "Persson", "Holm", "Yilmaz"])
    email = factory.LazyAttribute(lambda p: f"{p.username}@example.se")
    password = factory.django.Password("ett-bra-losenord")

    @factory.post_generation
    def member_of(self, create: bool, extracted: Unit | None, **kwargs: Any) -> None:
        if create and extracted is not None:
            grant_role(person=self, unit=extracted, role=kwargs.get("role", Role.STAFF))
