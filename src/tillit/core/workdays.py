"""Working days in Sweden: the clock every service level and escalation runs on.

Public holidays come from the `holidays` library. Midsummer Eve, Christmas Eve and New Year's Eve
are not public holidays by law but municipal offices are closed on them (they count as Saturdays
in the Swedish working-hours act, semesterlagen 3 a §), so they are closed days here too. A
municipality adds its own closed days (e.g. a squeeze day, klämdag) through `extra_closed`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def public_closed_days(year: int) -> frozenset[date]:
    """Swedish public holidays and the three eves, weekdays and weekends alike, for one year."""
    calendar = holidays.country_holidays("SE", years=year, language="sv", include_sundays=False)
    days = set(calendar.keys())
    # The library lists the eves only as an optional category; add them explicitly.
    days.add(date(year, 12, 24))
    days.add(date(year, 12, 31))
    midsummer_day = next(d for d, n in calendar.items() if "Midsommardagen" in n)
    days.add(midsummer_day - timedelta(days=1))
    return frozenset(days)


def warm_up(today: date | None = None) -> None:
    """Load this year's and next year's calendars now. The holidays library imports its country
    modules on first use, which takes seconds; a server pays that at start, not on the first
    citizen's request."""
    year = (today or date.today()).year  # noqa: DTZ011 - only which years to load
    public_closed_days(year)
    public_closed_days(year + 1)


def is_working_day(day: date, extra_closed: Iterable[date] = ()) -> bool:
    """Monday to Friday, not a public holiday, not an eve, not one of the municipality's days."""
    if day.weekday() >= 5:
        return False
    if day in public_closed_days(day.year):
        return False
    return day not in set(extra_closed)


def add_working_days(start: date, days: int, extra_closed: Iterable[date] = ()) -> date:
    """The date `days` working days after `start` (the start day itself does not count).

    `add_working_days(friday, 1)` is the next Monday; with 0 the start is returned unchanged,
    or moved forward to the next working day if it is closed.
    """
    closed = frozenset(extra_closed)
    current = start
    if days == 0:
        while not is_working_day(current, closed):
            current += timedelta(days=1)
        return current
    step = 1 if days > 0 else -1
    remaining = abs(days)
    while remaining:
        current += timedelta(days=step)
        if is_working_day(current, closed):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, extra_closed: Iterable[date] = ()) -> int:
    """Working days after `start` up to and including `end` (negative if `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start, extra_closed)
    closed = frozenset(extra_closed)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current, closed):
            count += 1
    return count
