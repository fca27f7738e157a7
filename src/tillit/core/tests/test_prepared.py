"""Prepared queries give what the queryset gives, compile once, and refuse what they cannot keep."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Count, Q

from tillit.core.prepared import Prepared, PreparedError
from tillit.organisation.models import ClosedDay, Membership, Role, Unit
from tillit.organisation.tests.factories import MunicipalityFactory, PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db


def memberships(unit: int, role: str):
    return (
        Membership.objects.filter(unit_id=unit, role=role)
        .select_related("person", "unit__municipality")
        .order_by("person__username")
    )


MEMBERS = Prepared(memberships, unit=int, role=str)


@pytest.fixture
def units() -> tuple[Unit, Unit]:
    municipality = MunicipalityFactory(name="Tillköping")
    first = UnitFactory(municipality=municipality, name="Bygglov", code="SBF")
    second = UnitFactory(municipality=municipality, name="Miljö", code="MHF")
    PersonFactory(username="berit", member_of=first)
    PersonFactory(username="adam", member_of=first)
    PersonFactory(username="chef", member_of=first, member_of__role=Role.MANAGER)
    PersonFactory(username="cecilia", member_of=second)
    return first, second


def test_the_same_models_as_the_queryset_with_their_related_rows(units, django_assert_num_queries):
    first, _second = units
    expected = list(memberships(first.pk, Role.STAFF))
    with django_assert_num_queries(1):
        got = MEMBERS(unit=first.pk, role=Role.STAFF.value)
        # The selected related rows are attached: reading them asks nothing more.
        shown = [(m.person.username, m.unit.name, m.unit.municipality.name) for m in got]
    assert shown == [("adam", "Bygglov", "Tillköping"), ("berit", "Bygglov", "Tillköping")]
    assert [m.pk for m in got] == [m.pk for m in expected]
    assert [m.__dict__.keys() for m in got] == [m.__dict__.keys() for m in expected]
    assert all(m._state.adding is False and m._state.db == "default" for m in got)


def test_compiled_once_and_every_run_reads_its_own_values(units):
    first, second = units
    query = Prepared(memberships, unit=int, role=str)
    assert [m.person.username for m in query(unit=first.pk, role="manager")] == ["chef"]
    assert [m.person.username for m in query(unit=second.pk, role="staff")] == ["cecilia"]
    assert query(unit=second.pk, role="manager") == []
    assert query.compilations == 1


def test_values_lists_flat_and_annotated_rows(units):
    first, second = units
    names = Prepared(
        lambda unit: (
            Membership.objects.filter(unit_id=unit)
            .order_by("person__username")
            .values_list("person__username", flat=True)
        ),
        unit=int,
    )
    assert names(unit=first.pk) == ["adam", "berit", "chef"]
    counted = Prepared(
        lambda municipality: (
            Unit.objects.filter(municipality_id=municipality)
            .annotate(people=Count("memberships"))
            .order_by("code")
        ),
        municipality=int,
    )
    assert [(u.code, u.people) for u in counted(municipality=first.municipality_id)] == [
        ("MHF", 1),
        ("SBF", 3),
    ]
    pairs = Prepared(
        lambda unit: Unit.objects.filter(Q(pk=unit) | Q(parent_id=unit)).values_list(
            "code", "name"
        ),
        unit=int,
    )
    assert pairs(unit=second.pk) == [("MHF", "Miljö")]


def test_a_list_is_compiled_per_length_and_an_empty_one_asks_nothing(
    units, django_assert_num_queries
):
    first, second = units
    codes = Prepared(
        lambda units: (
            Unit.objects.filter(pk__in=units).order_by("code").values_list("code", flat=True)
        ),
        units=list,
    )
    assert codes(units=[first.pk]) == ["SBF"]
    assert codes(units=[second.pk, first.pk]) == ["MHF", "SBF"]
    assert codes(units=[second.pk]) == ["MHF"]
    assert codes.compilations == 2
    with django_assert_num_queries(0):
        assert codes(units=[]) == []


def test_converters_apply_as_in_the_queryset(units):
    """Dates come back as dates on SQLite too, where the column holds text."""
    municipality = units[0].municipality
    ClosedDay.objects.create(municipality=municipality, day=date(2026, 5, 15), reason="Klämdag")
    days = Prepared(
        lambda municipality: ClosedDay.objects.filter(municipality_id=municipality).values_list(
            "day", flat=True
        ),
        municipality=int,
    )
    assert days(municipality=municipality.pk) == [date(2026, 5, 15)]


def test_wrong_values_are_refused_before_any_sql(units):
    with pytest.raises(TypeError, match="unit: int expected, got str"):
        MEMBERS(unit="1", role="staff")
    with pytest.raises(TypeError, match="unit: int expected, got bool"):
        MEMBERS(unit=True, role="staff")
    with pytest.raises(TypeError, match="takes"):
        MEMBERS(unit=1)
    codes = Prepared(lambda units: Unit.objects.filter(pk__in=units), units=list)
    with pytest.raises(TypeError, match="a list of int"):
        codes(units=["1"])
    with pytest.raises(PreparedError):
        Prepared(lambda day: ClosedDay.objects.filter(day=day), day=date)


def test_a_value_the_lookup_changes_cannot_be_prepared(units):
    """`icontains` sends '%value%': the SQL's parameter is not the value, so it is refused."""
    search = Prepared(lambda name: Unit.objects.filter(name__icontains=name), name=str)
    with pytest.raises(PreparedError, match="icontains"):
        search(name="bygg")
    branching = Prepared(
        lambda unit: (
            Unit.objects.filter(pk=unit, is_active=True)
            if unit > 5_000
            else Unit.objects.filter(pk=unit)
        ),
        unit=int,
    )
    with pytest.raises(PreparedError, match="depends on the values"):
        branching(unit=units[0].pk)
    related = Prepared(
        lambda unit: Unit.objects.filter(pk=unit).prefetch_related("memberships"), unit=int
    )
    with pytest.raises(PreparedError, match="prefetch_related"):
        related(unit=units[0].pk)


def test_models_of_an_empty_list_are_none_and_first_is_none(units, django_assert_num_queries):
    first, _second = units
    chosen = Prepared(lambda units: Unit.objects.filter(pk__in=units).order_by("pk"), units=list)
    with django_assert_num_queries(0):
        assert chosen(units=[]) == []
        assert chosen.first(units=[]) is None
    assert chosen.first(units=[first.pk]) == first
