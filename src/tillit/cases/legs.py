"""The legs of a case: each stretch during which one unit owned it, with its time in working days.

A leg begins when a unit becomes the owner (registration, an accepted hand-over) and ends when
ownership moves on. Its clock runs only while the case is open: closing stops it and reopening
starts it again in the same leg. Time spent waiting for the citizen is counted inside the leg and
also shown on its own. Working days are counted as in `tillit.core.workdays`: the days after the
start up to and including the end, so a leg that ends the day it began took 0 working days.
See docs/decisions/0350-case-legs-in-working-days.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from tillit.cases.models import CaseEvent
from tillit.cases.states import EventKind, Status
from tillit.core.workdays import working_days_between
from tillit.organisation.models import Unit

_ENDS = {Status.CLOSED, Status.CANCELLED}


@dataclass
class Leg:
    unit: Unit
    started_at: datetime
    ended_at: datetime | None = None  # when ownership moved on (None: the current owner)
    working_days: int = 0
    waiting_days: int = 0
    closed_at: datetime | None = None  # the current leg of a closed case: when it was closed
    _running_since: datetime | None = None
    _waiting_since: datetime | None = None

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class _Clock:
    def __init__(self, closed: frozenset[date]) -> None:
        self.closed = closed

    def days(self, start: datetime, end: datetime) -> int:
        return working_days_between(
            timezone.localtime(start).date(), timezone.localtime(end).date(), self.closed
        )

    def stop(self, leg: Leg, at: datetime) -> None:
        if leg._running_since is not None:
            leg.working_days += self.days(leg._running_since, at)
            leg._running_since = None
        self.stop_waiting(leg, at)

    def stop_waiting(self, leg: Leg, at: datetime) -> None:
        if leg._waiting_since is not None:
            leg.waiting_days += self.days(leg._waiting_since, at)
            leg._waiting_since = None


def legs_of(
    events: Iterable[CaseEvent], *, closed_days: frozenset[date], now: datetime | None = None
) -> list[Leg]:
    """The legs, oldest first, from the case log alone (the log is the documentation)."""
    clock = _Clock(closed_days)
    legs: list[Leg] = []
    for event in events:
        if event.kind == EventKind.CREATED:
            legs.append(Leg(unit=event.unit, started_at=event.at, _running_since=event.at))
            continue
        if not legs:
            continue
        leg = legs[-1]
        if event.kind == EventKind.ACCEPTED:
            waiting = leg._waiting_since is not None
            clock.stop(leg, event.at)
            leg.ended_at = event.at
            legs.append(
                Leg(
                    unit=event.unit,
                    started_at=event.at,
                    _running_since=event.at,
                    _waiting_since=event.at if waiting else None,
                )
            )
        elif event.kind == EventKind.STATUS:
            before, after = event.data.get("from"), event.data.get("to")
            if after in _ENDS:
                clock.stop(leg, event.at)
                leg.closed_at = event.at
                continue
            if before in _ENDS:
                leg._running_since = event.at
                leg.closed_at = None
            if before == Status.WAITING:
                clock.stop_waiting(leg, event.at)
            if after == Status.WAITING:
                leg._waiting_since = event.at
    if legs:
        clock.stop(legs[-1], now or timezone.now())
    return legs
