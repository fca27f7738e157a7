"""What the rota planner needs from the database: who is in the pool, who can take which week.

A colleague cannot take a week when they are away (any absence, reflection day included) on any
of its working days, or when they are already another unit's hero that week.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from tillit.core.workdays import is_working_day
from tillit.organisation.models import Unit
from tillit.organisation.queries import closed_days
from tillit.team.models import Absence, HeroWeek
from tillit.team.periods import local

WORKING_WEEK = 5


def unavailable_weeks(
    unit: Unit, people: set[int], first_week: date, last_week: date
) -> dict[date, set[int]]:
    """For each Monday in the window, the people who cannot be hero that week."""
    closed = closed_days(unit.municipality_id)
    start, end = local(first_week), local(last_week + timedelta(days=7))
    busy: dict[date, set[int]] = defaultdict(set)
    absences = Absence.objects.filter(
        person_id__in=people, cancelled_at__isnull=True, starts_at__lt=end, ends_at__gt=start
    ).values_list("person_id", "starts_at", "ends_at")
    for person, starts, ends in absences:
        day = max(first_week, starts.astimezone(start.tzinfo).date() - timedelta(days=1))
        while local(day) < ends and day <= last_week + timedelta(days=6):
            if (
                day.weekday() < WORKING_WEEK
                and is_working_day(day, closed)
                and starts < local(day + timedelta(days=1))
                and ends > local(day)
            ):
                busy[day - timedelta(days=day.weekday())].add(person)
            day += timedelta(days=1)
    elsewhere = (
        HeroWeek.objects.filter(person_id__in=people, week__gte=first_week, week__lte=last_week)
        .exclude(unit=unit)
        .values_list("week", "person_id")
    )
    for week, person in elsewhere:
        busy[week].add(person)
    return busy
