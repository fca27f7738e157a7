"""Reads about who belongs where. Other apps ask these instead of filtering memberships."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from tillit.core.prepared import Prepared
from tillit.organisation.models import ClosedDay, Membership, Person, Role, Unit


def units_of(person: Person) -> QuerySet[Unit]:
    """The units a person is a member of, in any role."""
    return Unit.objects.filter(memberships__person=person, is_active=True).distinct()


def unit_ids_of(person: Person) -> set[int]:
    return set(
        Membership.objects.filter(person=person, unit__is_active=True).values_list(
            "unit_id", flat=True
        )
    )


def roles_of(person: Person) -> set[str]:
    return set(Membership.objects.filter(person=person).values_list("role", flat=True))


def has_role(person: Person, role: Role, unit: Unit | None = None) -> bool:
    memberships = Membership.objects.filter(person=person, role=role)
    if unit is not None:
        memberships = memberships.filter(unit=unit)
    return memberships.exists()


def managed_unit_ids(person: Person) -> set[int]:
    """Units a person manages, and every unit below them in the tree."""
    roots = set(
        Membership.objects.filter(person=person, role=Role.MANAGER).values_list(
            "unit_id", flat=True
        )
    )
    return roots | descendant_ids(roots)


def memberships_of(person: Person) -> list[tuple[int, str, bool]]:
    """(unit id, role, unit is active) for each of a person's memberships, in one query."""
    return _MEMBERSHIPS(person=person.pk)


_MEMBERSHIPS: Prepared[tuple[int, str, bool]] = Prepared(
    lambda person: Membership.objects.filter(person_id=person).values_list(
        "unit_id", "role", "unit__is_active"
    ),
    person=int,
)


def descendant_ids(unit_ids: set[int]) -> set[int]:
    found: set[int] = set()
    frontier = set(unit_ids)
    while frontier:
        children = set(Unit.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        frontier = children - found - unit_ids
        found |= children
    return found


def members_of(unit: Unit | int, role: Role | None = None) -> QuerySet[Person]:
    people = Person.objects.filter(memberships__unit=unit, is_active=True)
    if role is not None:
        people = people.filter(memberships__role=role)
    return people.distinct()


def is_member(person: Person, unit: Unit) -> bool:
    return Membership.objects.filter(person=person, unit=unit).exists()


def closed_days(municipality_id: int) -> frozenset[date]:
    """The municipality's own closed days, for working-day arithmetic."""
    return frozenset(_CLOSED_DAYS(municipality=municipality_id))


_CLOSED_DAYS: Prepared[date] = Prepared(
    lambda municipality: ClosedDay.objects.filter(municipality_id=municipality).values_list(
        "day", flat=True
    ),
    municipality=int,
)
