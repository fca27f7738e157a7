import pytest
from django.core.management import call_command

from tillit.organisation.models import Membership, Person, Role, Unit, UnitKind


@pytest.mark.django_db
def test_demo_municipality_is_realistic_and_idempotent():
    """The demo has a contact centre, at least five administrations, ~40 staff and every role."""
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (Person.objects.count(), Unit.objects.count(), Membership.objects.count())
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Person.objects.count(), Unit.objects.count(), Membership.objects.count()) == counts

    assert Unit.objects.filter(kind=UnitKind.CONTACT_CENTRE).count() == 1
    assert Unit.objects.filter(kind=UnitKind.ADMINISTRATION).count() >= 5
    assert Unit.objects.filter(kind=UnitKind.TEAM, parent__isnull=False).exists()
    assert 35 <= Person.objects.count() <= 60
    assert {r.value for r in Role} <= set(Membership.objects.values_list("role", flat=True))
    admin = Person.objects.get(username="sara.ek")
    assert admin.is_staff and admin.is_superuser
