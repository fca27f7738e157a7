"""Every change to the organisation: units, people and their roles.

Administrators get Django admin access through their role, never by a flag set by hand, so the
role list is the one place that says who may do what.
"""

from __future__ import annotations

from django.db import transaction

from tillit.organisation.models import Membership, Municipality, Person, Role, Unit, UnitKind


@transaction.atomic
def create_unit(
    *,
    municipality: Municipality,
    kind: UnitKind,
    name: str,
    code: str,
    parent: Unit | None = None,
    email: str = "",
) -> Unit:
    unit, _ = Unit.objects.get_or_create(
        municipality=municipality,
        code=code,
        defaults={"kind": kind, "name": name, "parent": parent, "email": email},
    )
    return unit


@transaction.atomic
def grant_role(*, person: Person, unit: Unit, role: Role) -> Membership:
    membership, _ = Membership.objects.get_or_create(person=person, unit=unit, role=role)
    if role == Role.ADMINISTRATOR and not (person.is_staff and person.is_superuser):
        person.is_staff = True
        person.is_superuser = True
        person.save(update_fields=["is_staff", "is_superuser"])
    return membership


@transaction.atomic
def revoke_role(*, person: Person, unit: Unit, role: Role) -> None:
    Membership.objects.filter(person=person, unit=unit, role=role).delete()
    if role == Role.ADMINISTRATOR and not person.memberships.filter(role=role).exists():
        person.is_staff = False
        person.is_superuser = False
        person.save(update_fields=["is_staff", "is_superuser"])
