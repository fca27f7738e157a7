"""Days, half days and weeks as time: what "a reflection day on Tuesday morning" means to routing.

A whole day is local midnight to midnight; a morning ends and an afternoon starts at noon. Routing
asks the half-open period [starts_at, ends_at), so work given at 12:00 on a booked morning already
goes back to the person. The calendar shows half days within office hours instead (see feeds).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from tillit.team.states import DayPart

NOON = time(12, 0)
HALVES = (DayPart.MORNING, DayPart.AFTERNOON)


def local(day: date, at: time = time(0, 0)) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), timezone.get_current_timezone())


def bounds(first_day: date, last_day: date, part: str) -> tuple[datetime, datetime]:
    """The half-open period a booking covers."""
    if part == DayPart.MORNING:
        return local(first_day), local(first_day, NOON)
    if part == DayPart.AFTERNOON:
        return local(first_day, NOON), local(first_day + timedelta(days=1))
    return local(first_day), local(last_day + timedelta(days=1))


def half_bounds(day: date, half: str) -> tuple[datetime, datetime]:
    return bounds(day, day, half)


def days(first_day: date, last_day: date) -> Iterator[date]:
    current = first_day
    while current <= last_day:
        yield current
        current += timedelta(days=1)


def halves_of(part: str) -> tuple[DayPart, ...]:
    """The half days a part of a day takes."""
    return HALVES if part == DayPart.WHOLE else (DayPart(part),)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks(first_monday: date, last_monday: date) -> Iterator[date]:
    current = first_monday
    while current <= last_monday:
        yield current
        current += timedelta(weeks=1)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_days(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a calendar quarter."""
    first = date(year, 3 * (quarter - 1) + 1, 1)
    following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, following - timedelta(days=1)


def quarter_weeks(year: int, quarter: int) -> list[date]:
    """The Mondays of the weeks whose Thursday falls in the quarter (ISO-week style)."""
    first, last = quarter_days(year, quarter)
    start = (
        monday(first)
        if monday(first) + timedelta(days=3) >= first
        else monday(first) + timedelta(weeks=1)
    )
    end = (
        monday(last)
        if monday(last) + timedelta(days=3) <= last
        else monday(last) - timedelta(weeks=1)
    )
    return list(weeks(start, end))


def shift_quarter(year: int, quarter: int, by: int) -> tuple[int, int]:
    index = year * 4 + (quarter - 1) + by
    return index // 4, index % 4 + 1
