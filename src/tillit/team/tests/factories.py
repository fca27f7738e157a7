"""A small unit for team tests: `make_team(6)` gives six colleagues in one unit and a manager.

Dates: `working_day(n)` is the n-th working day after a fixed, ordinary Monday, so tests never
depend on the day they run; actions take `today=TODAY`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tillit.core.workdays import add_working_days
from tillit.organisation.models import Person, Role, Unit
from tillit.organisation.tests.factories import MunicipalityFactory, PersonFactory, UnitFactory
from tillit.team import actions
from tillit.team.models import Absence
from tillit.team.states import AbsenceKind, DayPart

TODAY = date(2031, 3, 3)  # a Monday in an ordinary week (no holidays in March 2031)


def working_day(n: int, start: date = TODAY) -> date:
    return add_working_days(start, n)


@dataclass
class Team:
    unit: Unit
    people: list[Person]
    manager: Person
    outsider: Person
    other_unit: Unit = field(repr=False)


def make_team(
    size: int = 6,
    *,
    min_present: int = 0,
    hero_rota: bool = False,
    fractions: list[int] | None = None,
    prefix: str = "t",
) -> Team:
    municipality = MunicipalityFactory()
    unit = UnitFactory(municipality=municipality, contact_centre=True, name="Kundcenter")
    other = UnitFactory(municipality=municipality, name="Bygglov")
    people = []
    for index in range(size):
        person = PersonFactory(username=f"{prefix}{index}", member_of=unit)
        if fractions:
            person.work_fraction = fractions[index]
            person.save(update_fields=["work_fraction"])
        people.append(person)
    manager = PersonFactory(username=f"{prefix}chef", member_of=unit, member_of__role=Role.MANAGER)
    outsider = PersonFactory(username=f"{prefix}ute", member_of=other)
    if min_present or hero_rota:
        actions.set_unit_rules(
            unit=unit, by=manager, min_present=min_present, hero_rota=hero_rota, today=TODAY
        )
    return Team(unit=unit, people=people, manager=manager, outsider=outsider, other_unit=other)


def book(
    person: Person,
    day: date,
    *,
    cover: Person | None = None,
    kind: AbsenceKind = AbsenceKind.REFLECTION,
    part: DayPart = DayPart.WHOLE,
    last_day: date | None = None,
    today: date = TODAY,
    **kwargs: object,
) -> Absence:
    return actions.book_absence(
        person=person,
        by=kwargs.pop("by", person),  # type: ignore[arg-type]
        kind=kind,
        first_day=day,
        last_day=last_day,
        part=part,
        cover=cover,
        today=today,
        **kwargs,  # type: ignore[arg-type]
    )
