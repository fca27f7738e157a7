import pytest

from tillit.organisation.actions import grant_role, revoke_role
from tillit.organisation.models import Role
from tillit.organisation.queries import managed_unit_ids
from tillit.organisation.tests.factories import PersonFactory, UnitFactory


@pytest.mark.django_db
def test_administrator_role_gives_and_takes_admin_access():
    unit = UnitFactory()
    person = PersonFactory()
    grant_role(person=person, unit=unit, role=Role.ADMINISTRATOR)
    person.refresh_from_db()
    assert person.is_staff and person.is_superuser
    revoke_role(person=person, unit=unit, role=Role.ADMINISTRATOR)
    person.refresh_from_db()
    assert not person.is_staff and not person.is_superuser


@pytest.mark.django_db
def test_a_manager_manages_the_teams_below():
    administration = UnitFactory()
    team = UnitFactory(parent=administration)
    other = UnitFactory()
    manager = PersonFactory(member_of=administration, member_of__role=Role.MANAGER)
    assert managed_unit_ids(manager) == {administration.id, team.id}
    assert other.id not in managed_unit_ids(manager)
