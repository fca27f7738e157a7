"""The presence rule: a unit sets how many must be present, half day by half day.

A `Board` loads, once, every active absence of the people in the booker's units that have a rule,
and answers in memory: which half days a booking would leave short, and the nearest start days
where the same booking would fit. Only working days count (Swedish public holidays, the eves and
the municipality's closed days are skipped: nobody needs to be present then).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tillit.core.workdays import is_working_day
from tillit.organisation.models import Person, Unit
from tillit.organisation.queries import closed_days, members_of, units_of
from tillit.team.models import Absence, UnitRules
from tillit.team.periods import bounds, days, half_bounds, halves_of
from tillit.team.states import DayPart

SEARCH_DAYS = 60  # how far either way the nearest free days are looked for


@dataclass(frozen=True)
class Shortfall:
    unit: Unit
    day: date
    half: DayPart
    present: int
    required: int


@dataclass(frozen=True)
class _Rule:
    unit: Unit
    required: int
    members: frozenset[int]


class Board:
    """Who is away, for the booker's units with a presence rule, over a window of days."""

    def __init__(self, person: Person, first_day: date, last_day: date) -> None:
        self.person = person
        units = list(units_of(person).order_by("pk"))
        municipality_ids = {unit.municipality_id for unit in units}
        self.closed: frozenset[date] = frozenset().union(
            *(closed_days(m) for m in municipality_ids)
        )
        rules = {
            r.unit_id: r.min_present
            for r in UnitRules.objects.filter(unit__in=units, min_present__gt=0)
        }
        self.rules = [
            _Rule(
                unit=unit,
                required=rules[unit.pk],
                members=frozenset(members_of(unit).values_list("pk", flat=True)),
            )
            for unit in units
            if unit.pk in rules
        ]
        people = set().union(*(rule.members for rule in self.rules)) | {person.pk}
        start, _ = bounds(first_day, first_day, DayPart.WHOLE)
        _, end = bounds(last_day, last_day, DayPart.WHOLE)
        self.absences: list[tuple[int, int, datetime, datetime]] = list(
            Absence.objects.filter(
                person_id__in=people,
                cancelled_at__isnull=True,
                starts_at__lt=end,
                ends_at__gt=start,
            ).values_list("pk", "person_id", "starts_at", "ends_at")
        )

    def is_working_day(self, day: date) -> bool:
        return is_working_day(day, self.closed)

    def _away(self, start: datetime, end: datetime, ignore: int | None) -> set[int]:
        return {
            person
            for pk, person, starts, ends in self.absences
            if pk != ignore and starts < end and ends > start
        }

    def own_overlap(self, first_day: date, last_day: date, part: str) -> bool:
        start, end = bounds(first_day, last_day, part)
        return self.person.pk in self._away(start, end, None)

    def shortfalls(
        self, first_day: date, last_day: date, part: str, *, ignore: int | None = None
    ) -> list[Shortfall]:
        """The half days on which this booking would leave a unit with too few present."""
        found: list[Shortfall] = []
        for day in days(first_day, last_day):
            if not self.is_working_day(day):
                continue
            for half in halves_of(part):
                away = self._away(*half_bounds(day, half), ignore) | {self.person.pk}
                for rule in self.rules:
                    present = len(rule.members - away)
                    if present < rule.required:
                        found.append(Shortfall(rule.unit, day, half, present, rule.required))
        return found

    def fits(self, first_day: date, last_day: date, part: str) -> bool:
        return (
            self.is_working_day(first_day)
            and not self.own_overlap(first_day, last_day, part)
            and not self.shortfalls(first_day, last_day, part)
        )

    def free_days(
        self, first_day: date, last_day: date, part: str, *, today: date, count: int = 3
    ) -> list[date]:
        """The nearest start days (either way, never before today) where the same booking fits."""
        length = last_day - first_day
        found: list[date] = []
        for distance in range(1, SEARCH_DAYS + 1):
            for day in (first_day - timedelta(days=distance), first_day + timedelta(days=distance)):
                if day >= today and self.fits(day, day + length, part):
                    found.append(day)
            if len(found) >= count:
                break
        return sorted(found)[:count]


def board_for(person: Person, first_day: date, last_day: date, *, today: date) -> Board:
    """A board wide enough to look for free days around the booking."""
    start = max(today, first_day - timedelta(days=SEARCH_DAYS))
    return Board(person, start, last_day + timedelta(days=SEARCH_DAYS))
